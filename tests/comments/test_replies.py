"""Replies, one level (Trả lời): posted through comments:post with ``parent``,
moderated like any comment, shown under their parent, counted in ``Ý kiến (N)``,
and the article page kept fresh by every decision readers can see."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.services import save_article
from comments.models import Comment
from comments.services import PARENT_MESSAGE, CommentRefused, moderate, post_comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}
# What Chromium sends with a form or fetch() from the site's own page.
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
PENDING = "Ý kiến của bạn đang chờ duyệt"


def reader() -> Client:
    """A reader's browser: Django's CSRF check on, as in production."""
    return Client(enforce_csrf_checks=True, **SAME_ORIGIN)


def reply_data(parent, **kw):
    return {
        "name": "Trần Văn Ba",
        "email": "",
        "body": "Tôi cũng nghĩ vậy.",
        "parent": parent,
        **kw,
    }


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def approved(article, moderator, **kw) -> Comment:
    comment = make_comment(article=article, **kw)
    assert moderate(comment=comment, moderator=moderator, status="approved")
    return comment


def count_of(article) -> int:
    return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def test_a_reply_is_stored_pending_under_its_parent(moderator):
    article = make_article()
    parent = approved(article, moderator)

    response = reader().post(post_url(article), reply_data(parent.pk), **SCRIPT)

    assert response.status_code == 201
    assert json.loads(response.text)["message"] == PENDING
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.article_id, reply.body) == (
        "pending",
        article.pk,
        "Tôi cũng nghĩ vậy.",
    )
    assert count_of(article) == 1  # waiting for a moderator, like any comment


def test_a_reply_meets_the_same_abuse_rules(moderator, settings):
    settings.COMMENTS_RATE_LIMIT = "2/d"  # a day: no window boundary inside the test
    article = make_article()
    parent = approved(article, moderator)
    browser = reader()
    trap = reply_data(parent.pk, website="http://mua-ban.example")
    response = browser.post(post_url(article), trap, **SCRIPT)
    assert response.status_code == 201  # a bot is told what everyone is told
    assert Comment.objects.get(parent=parent).status == Comment.Status.SPAM

    once = browser.post(post_url(article), reply_data(parent.pk, body="Một."), **SCRIPT)
    assert once.status_code == 201
    again = browser.post(post_url(article), reply_data(parent.pk, body="Một."))
    assert again.status_code == 429
    assert "Một.</textarea>" in again.text  # kept, on the reply page
    assert f'<input type="hidden" name="parent" value="{parent.pk}"' in again.text


def refused_parents(article, moderator):
    other = make_article()
    shown = approved(article, moderator)
    return {
        "pending": make_comment(article=article).pk,
        "rejected": make_comment(article=article, status=Comment.Status.REJECTED).pk,
        "spam": make_comment(article=article, status=Comment.Status.SPAM).pk,
        "another article's": approved(other, moderator).pk,
        "a reply": approved(article, moderator, parent=shown).pk,
        "missing": 987654,
    }


@pytest.mark.parametrize(
    "kind", ["pending", "rejected", "spam", "another article's", "a reply", "missing"]
)
def test_a_reply_to_what_readers_cannot_answer_is_refused_with_the_text_kept(moderator, kind):
    article = make_article()
    parent = refused_parents(article, moderator)[kind]
    before = Comment.objects.count()
    body = "Nội dung <b>giữ nguyên</b> khi bị từ chối."

    script = reader().post(post_url(article), reply_data(parent, body=body), **SCRIPT)
    assert script.status_code == 400
    assert json.loads(script.text)["message"] == PARENT_MESSAGE

    plain = reader().post(post_url(article), reply_data(parent, body=body))
    assert plain.status_code == 400
    assert PARENT_MESSAGE in plain.text
    assert "Nội dung &lt;b&gt;giữ nguyên&lt;/b&gt; khi bị từ chối.</textarea>" in plain.text
    assert 'value="Trần Văn Ba"' in plain.text
    # Sent again as it stands, it is a comment of its own.
    assert '<input type="hidden" name="parent" value=""' in plain.text
    assert Comment.objects.count() == before


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5e3", "99999999999999999999999", "²"])
def test_a_parent_that_is_no_comment_id_is_a_400_with_a_message(value):
    article = make_article()
    response = reader().post(post_url(article), reply_data(value), **SCRIPT)
    assert response.status_code == 400
    payload = json.loads(response.text)
    assert payload["errors"]["parent"] == ["Ý kiến được trả lời không hợp lệ."]
    assert not Comment.objects.exists()


def test_replies_show_under_their_parent_oldest_first_and_count(client, moderator):
    article = make_article()
    parent = approved(article, moderator, name="Lê Văn Tám", body="Đường đẹp quá.")
    later = approved(article, moderator, body="Ý kiến mới hơn, không có trả lời.")
    first = approved(article, moderator, parent=parent, body="Trả lời thứ nhất.")
    second = approved(article, moderator, parent=parent, body="Trả lời thứ hai.")
    make_comment(article=article, parent=parent, body="Trả lời còn chờ duyệt.")

    html = client.get(article.get_absolute_url()).text

    assert "Ý kiến (4)</h2>" in html
    assert "Trả lời còn chờ duyệt." not in html
    item = re.search(rf'<li class="comment" id="y-kien-{parent.pk}">.*?</ol>\s*</li>', html, re.S)[
        0
    ]
    assert (
        item.index("Đường đẹp quá.")
        < item.index("Trả lời thứ nhất.")
        < item.index("Trả lời thứ hai.")
    )
    assert f'id="y-kien-{first.pk}"' in item and f'id="y-kien-{second.pk}"' in item
    assert 'aria-label="Trả lời ý kiến của Lê Văn Tám"' in item
    # Newest comment first; replies do not count as comments of the page.
    assert html.index("Ý kiến mới hơn") < html.index("Đường đẹp quá.")
    assert html.count('class="comment"') == 2
    assert html.count('class="comment comment-reply"') == 2
    # Trả lời under comments only: one level.
    reply_links = re.findall(r'href="/y-kien/tra-loi/(\d+)/"', html)
    assert sorted(map(int, reply_links)) == sorted([parent.pk, later.pk])


def test_a_parent_taken_down_hides_its_replies_and_the_count_follows(
    client, moderator, django_capture_on_commit_callbacks
):
    article = make_article()
    parent = approved(article, moderator, body="Ý kiến gốc.")
    approved(article, moderator, parent=parent, body="Câu trả lời.")
    approved(article, moderator, body="Ý kiến khác.")
    assert count_of(article) == 3
    assert "Câu trả lời." in client.get(article.get_absolute_url()).text

    parent.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert moderate(comment=parent, moderator=moderator, status="rejected")
    assert count_of(article) == 1
    html = client.get(article.get_absolute_url()).text
    assert "Ý kiến (1)</h2>" in html
    assert "Câu trả lời." not in html and "Ý kiến gốc." not in html

    # Restored: back with its reply.
    with django_capture_on_commit_callbacks(execute=True):
        assert moderate(comment=parent, moderator=moderator, status="approved")
    assert count_of(article) == 3
    assert "Câu trả lời." in client.get(article.get_absolute_url()).text


def test_a_reply_approved_while_its_parent_is_hidden_is_not_counted(moderator):
    article = make_article()
    parent = approved(article, moderator)
    reply = make_comment(article=article, parent=parent)
    assert moderate(comment=parent, moderator=moderator, status="pending")
    assert moderate(comment=reply, moderator=moderator, status="approved")
    assert count_of(article) == 0
    assert moderate(comment=parent, moderator=moderator, status="approved")
    assert count_of(article) == 2


def test_the_count_is_recounted_not_adjusted(moderator):
    # Written around the service (a shell, an import): the next decision sets it right.
    article = make_article()
    approved(article, moderator)
    Article.objects.filter(pk=article.pk).update(comment_count=40)
    approved(article, moderator)
    assert count_of(article) == 2


def test_with_the_page_cache_on_a_decision_shows_on_the_next_anonymous_visit(
    moderator, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 60
    article = make_article()
    parent = approved(article, moderator, body="Ý kiến gốc.")
    reply = make_comment(article=article, parent=parent, body="Câu trả lời mới.")
    assert "Ý kiến (1)</h2>" in Client().get(article.get_absolute_url()).text
    with django_assert_num_queries(0):  # kept by the page cache
        assert "Ý kiến (1)</h2>" in Client().get(article.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        assert moderate(comment=reply, moderator=moderator, status="approved")
    page = Client().get(article.get_absolute_url()).text
    assert "Ý kiến (2)</h2>" in page and "Câu trả lời mới." in page

    parent.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert moderate(comment=parent, moderator=moderator, status="spam")
    page = Client().get(article.get_absolute_url()).text
    assert "Ý kiến (0)</h2>" in page and "Câu trả lời mới." not in page


def test_a_decision_readers_cannot_see_retires_nothing(
    moderator, django_capture_on_commit_callbacks
):
    comment = make_comment()
    with django_capture_on_commit_callbacks() as callbacks:
        assert moderate(comment=comment, moderator=moderator, status="spam")
    assert callbacks == []


# comments:reply, the page a reader without JavaScript replies from


def reply_url(comment):
    return reverse("comments:reply", args=[comment.pk])


def test_the_reply_page_shows_the_comment_and_a_form_that_posts_the_reply(moderator):
    article = make_article()
    parent = approved(article, moderator, name="Lê Văn Tám", body="Đường đẹp quá.")
    browser = reader()

    page = browser.get(reply_url(parent))
    assert page.status_code == 200
    assert "Trả lời ý kiến của Lê Văn Tám" in page.text
    assert "Đường đẹp quá." in page.text
    assert f'action="{post_url(article)}"' in page.text
    assert f'<input type="hidden" name="parent" value="{parent.pk}"' in page.text
    assert f'href="{article.get_absolute_url()}#y-kien-{parent.pk}"' in page.text
    assert "csrfmiddlewaretoken" not in page.text
    assert "noindex" in page.text

    posted = browser.post(post_url(article), reply_data(parent.pk))
    assert posted.status_code == 303
    assert browser.get(posted["Location"]).text.count(PENDING) >= 1
    assert Comment.objects.get(parent=parent).status == Comment.Status.PENDING


def test_a_reply_refused_without_javascript_comes_back_on_the_reply_page(moderator):
    article = make_article()
    parent = approved(article, moderator)
    body = "Tôi quên điền họ tên."
    response = reader().post(post_url(article), reply_data(parent.pk, name="", body=body))
    assert response.status_code == 400
    assert "Hãy cho biết họ tên của bạn." in response.text
    assert f"{body}</textarea>" in response.text
    assert f'<input type="hidden" name="parent" value="{parent.pk}"' in response.text
    assert "Trả lời ý kiến của" in response.text
    assert not Comment.objects.filter(parent=parent).exists()


def test_the_reply_page_is_404_for_what_readers_cannot_answer(client, moderator):
    article = make_article()
    shown = approved(article, moderator)
    draft = make_article(status=Article.Status.DRAFT)
    for comment in (
        make_comment(article=article),
        approved(article, moderator, parent=shown),
        make_comment(article=draft, status=Comment.Status.APPROVED),
    ):
        assert client.get(reply_url(comment)).status_code == 404
    assert client.get("/y-kien/tra-loi/99999999999999999999999/").status_code == 404
    assert client.post(reply_url(shown)).status_code == 405


def test_closed_comments_offer_no_reply(client, moderator, django_capture_on_commit_callbacks):
    article = make_article()
    parent = approved(article, moderator)
    assert reply_url(parent) in client.get(article.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        article.comments_open = False
        save_article(article=article, by=None)
    html = client.get(article.get_absolute_url()).text
    assert reply_url(parent) not in html
    assert "Bài viết này không nhận ý kiến." in html
    assert "Bài viết này không nhận ý kiến." in client.get(reply_url(parent)).text
    with pytest.raises(CommentRefused, match="không nhận ý kiến"):
        post_comment(
            article=article,
            name="An",
            email="",
            body="Muộn.",
            ip_address=None,
            user_agent="",
            parent_id=parent.pk,
        )


def test_a_reply_post_stays_within_the_query_budget(moderator, django_assert_max_num_queries):
    article = make_article()
    parent = approved(article, moderator)
    browser = reader()
    # The article, the parent, the duplicate check, the banned terms, the ban
    # look-up and the insert.
    with django_assert_max_num_queries(7):
        response = browser.post(post_url(article), reply_data(parent.pk), **SCRIPT)
    assert response.status_code == 201


def test_the_queue_shows_a_reply_with_the_comment_it_answers(client, moderator):
    article = make_article()
    parent = approved(article, moderator, name="Lê Thị Mai", body="Giá lúa năm nay khá hơn.")
    post_comment(
        article=article,
        name="Trần Văn Ba",
        email="",
        body="Ở xã tôi cũng vậy.",
        ip_address="203.0.113.9",
        user_agent="",
        parent_id=parent.pk,
    )
    client.force_login(moderator)

    response = client.get(reverse("admin:comments_pendingcomment_changelist"))

    assert response.status_code == 200
    assert "Trả lời Lê Thị Mai (đã duyệt): “Giá lúa năm nay khá hơn.”" in response.text
    assert "Ở xã tôi cũng vậy." in response.text


def test_a_decision_keeps_what_is_kept_of_the_article_itself(
    moderator, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    # The page shows the decision (above); the article's own parts, which a
    # comment does not change, stay kept: the next render reads its short row,
    # the comments and their replies, not the whole article again.
    article = make_article()
    comment = make_comment(article=article, body="Đèn đường ven sông đã sáng.")
    Client().get(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert moderate(comment=comment, moderator=moderator, status="approved")

    assert [c.__name__ for c in callbacks] == ["send"]
    with django_assert_max_num_queries(3):
        page = Client().get(article.get_absolute_url()).text
    assert "Ý kiến (1)</h2>" in page and "Đèn đường ven sông đã sáng." in page
