"""Reader endpoints: comments:list, comments:post, comments:posted and the article block.

Replies are in test_replies.py, the same-origin guard of comments:post in
test_same_origin.py."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import save_article
from articles.workflow import unpublish
from comments.models import Comment, CommenterEmail
from comments.services import moderate
from tests.factories import make_article, make_comment

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}
PENDING = "Ý kiến của bạn đang chờ duyệt"

pytestmark = pytest.mark.django_db


def list_url(article, **query):
    url = reverse("comments:list", args=[article.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def data(**kw):
    return {"name": "Võ Thị Sáu", "email": "", "body": "Bài viết hữu ích.", **kw}


def approve(comment, moderator, capture):
    with capture(execute=True):
        assert moderate(comment=comment, moderator=moderator, status="approved")


# comments:list


def test_pending_is_invisible_and_approved_is_visible_with_the_count(
    client, moderator, django_capture_on_commit_callbacks
):
    article = make_article()
    comment = make_comment(article=article, body="Chờ người duyệt xem.")
    response = client.get(list_url(article), **SCRIPT)
    assert response.status_code == 200
    assert "Ý kiến (0)" in response.text
    assert "Chờ người duyệt xem." not in response.text

    approve(comment, moderator, django_capture_on_commit_callbacks)
    response = client.get(list_url(article), **SCRIPT)
    assert "Ý kiến (1)" in response.text
    assert "Chờ người duyệt xem." in response.text
    assert comment.name in response.text


def test_list_is_newest_first_with_vietnamese_date(client, moderator):
    article = make_article()
    for body, hours_ago in [("Cũ nhất.", 5), ("Mới nhất.", 1), ("Ở giữa.", 3)]:
        c = make_comment(article=article, body=body)
        Comment.objects.filter(pk=c.pk).update(
            created_at=timezone.now() - timedelta(hours=hours_ago)
        )
        c.refresh_from_db()
        moderate(comment=c, moderator=moderator, status="approved")
    text = client.get(list_url(article), **SCRIPT).text
    assert text.index("Mới nhất.") < text.index("Ở giữa.") < text.index("Cũ nhất.")
    newest = Comment.objects.get(body="Mới nhất.")
    local = timezone.localtime(newest.created_at)
    assert f"{local:%d/%m/%Y %H:%M}" in text


def test_markup_is_escaped_and_line_breaks_kept(client, moderator):
    article = make_article()
    c = make_comment(
        article=article, name="<b>Kẻ xấu</b>", body="<script>alert(1)</script>\nDòng 2"
    )
    moderate(comment=c, moderator=moderator, status="approved")
    text = client.get(list_url(article), **SCRIPT).text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Dòng 2" in text
    assert "&lt;b&gt;Kẻ xấu&lt;/b&gt;" in text


def test_fragment_for_the_script_full_page_otherwise(client):
    article = make_article()
    fragment = client.get(list_url(article), **SCRIPT)
    assert "<html" not in fragment.text
    assert "csrfmiddlewaretoken" not in fragment.text
    assert "X-Requested-With" in fragment["Vary"]
    # The same for every reader: a public page, kept once per answer.
    assert fragment["Cache-Control"].startswith("public, max-age=")
    # Read by fetch() into the article page, which carries the policy.
    assert "Content-Security-Policy" not in fragment

    page = client.get(list_url(article))
    assert page.status_code == 200
    assert "<html" in page.text
    assert "csrfmiddlewaretoken" not in page.text  # comments:post checks the origin
    assert article.get_absolute_url() in page.text
    assert "X-Requested-With" in page["Vary"]
    assert f'action="{post_url(article)}"' in page.text
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert page["Cache-Control"].startswith("public, max-age=")


def test_the_page_cache_keeps_the_list_once_for_the_script_and_once_for_a_browser(
    django_assert_num_queries,
):
    article = make_article()
    fragment = Client().get(list_url(article), **SCRIPT).content
    page = Client().get(list_url(article)).content
    assert b"<html" in page and b"<html" not in fragment
    for _ in range(2):
        with django_assert_num_queries(0):
            assert Client().get(list_url(article), **SCRIPT).content == fragment
            assert (
                Client().get(list_url(article), HTTP_X_REQUESTED_WITH="XMLHttpRequest").content
                == fragment
            )
            assert Client().get(list_url(article)).content == page
            assert Client().get(list_url(article), HTTP_X_REQUESTED_WITH="other").content == page


def test_closed_article_shows_a_notice_instead_of_the_form(client):
    article = make_article(comments_open=False)
    text = client.get(list_url(article), **SCRIPT).text
    assert "Bài viết này không nhận ý kiến." in text
    assert "<form" not in text


@pytest.mark.parametrize(
    "article_kw",
    [{"status": Article.Status.DRAFT}, {"published_at": timezone.now() + timedelta(hours=2)}],
    ids=["draft", "scheduled"],
)
def test_unpublished_article_has_no_comment_list(client, article_kw):
    assert client.get(list_url(make_article(**article_kw))).status_code == 404


def test_paging_with_xem_them(client, moderator, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = make_article()
    for n in range(3):
        c = make_comment(article=article, body=f"Ý kiến số {n}.")
        Comment.objects.filter(pk=c.pk).update(
            created_at=timezone.now() - timedelta(minutes=10 - n)
        )
        c.refresh_from_db()
        moderate(comment=c, moderator=moderator, status="approved")

    first = client.get(list_url(article), **SCRIPT).text
    assert "Ý kiến số 2." in first and "Ý kiến số 1." in first
    assert "Ý kiến số 0." not in first
    assert f'href="{list_url(article)}?trang=2"' in first
    assert "Xem thêm" in first

    second = client.get(list_url(article, trang=2), **SCRIPT).text
    assert "Ý kiến số 0." in second
    assert "Xem thêm" not in second


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1", "1e3", "99999999999999999999", "²"])
def test_bad_or_missing_page_is_404(client, page):
    article = make_article()
    assert client.get(list_url(article), {"trang": page}).status_code == 404


def test_unknown_or_non_numeric_article_is_404(client):
    assert client.get(reverse("comments:list", args=[987654])).status_code == 404
    assert client.get("/y-kien/abc/").status_code == 404
    assert client.get("/y-kien/99999999999999999999999/").status_code == 404
    assert client.post("/y-kien/abc/gui/", data()).status_code == 404
    assert client.post(reverse("comments:post", args=[987654]), data()).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_budget(client, moderator, settings, count):
    settings.PAGE_CACHE_SECONDS = 0  # the view's own cost
    article = make_article()
    comments = [make_comment(article=article, body=f"Bình luận {n}.") for n in range(count)]
    for c in comments:
        moderate(comment=c, moderator=moderator, status="approved")
    for headers in (SCRIPT, {}):
        cache.clear()  # the cold path: the list is read from the database
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(article), **headers)
        assert response.status_code == 200
        # The article, the menu, the page of comments and their replies.
        assert len(queries) <= 4, [q["sql"] for q in queries]


def test_a_kept_list_costs_no_query_and_changes_with_every_decision(
    client, moderator, django_capture_on_commit_callbacks, django_assert_num_queries
):
    article = make_article()
    comment = make_comment(article=article, body="Đường ven sông đã sáng đèn.")
    client.get(list_url(article), **SCRIPT)

    with django_assert_num_queries(0):  # the article and its list, from the cache
        kept = client.get(list_url(article), **SCRIPT)
    assert "Ý kiến (0)" in kept.text

    approve(comment, moderator, django_capture_on_commit_callbacks)
    fresh = client.get(list_url(article), **SCRIPT)
    assert "Ý kiến (1)" in fresh.text
    assert "Đường ven sông đã sáng đèn." in fresh.text


def test_unpublishing_or_closing_an_article_shows_in_its_kept_list_at_once(
    client, django_capture_on_commit_callbacks
):
    closing, unpublished = make_article(), make_article()
    for article in (closing, unpublished):
        assert "Ý kiến (0)" in client.get(list_url(article), **SCRIPT).text  # now kept

    with django_capture_on_commit_callbacks(execute=True):
        closing.comments_open = False
        save_article(article=closing, by=None)
        unpublish(article=unpublished, by=None)

    assert "Bài viết này không nhận ý kiến." in client.get(list_url(closing), **SCRIPT).text
    assert client.get(list_url(unpublished), **SCRIPT).status_code == 404


# comments:post


def test_post_with_script_answers_201_and_stores_pending(client):
    article = make_article()
    response = client.post(
        post_url(article),
        data(),
        HTTP_USER_AGENT="Thử nghiệm/1.0",
        REMOTE_ADDR="203.0.113.50",
        **SCRIPT,
    )
    assert response.status_code == 201
    assert json.loads(response.text)["message"] == PENDING
    assert PENDING in response.text  # readable as it is, not \u-escaped
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.ip_address == "203.0.113.50"
    assert comment.user_agent == "Thử nghiệm/1.0"
    article.refresh_from_db()
    assert article.comment_count == 0


def test_post_without_script_redirects_303_to_a_page_that_says_so(client):
    article = make_article()
    response = client.post(post_url(article), data())
    assert response.status_code == 303
    assert response["Location"] == reverse("comments:posted", args=[article.pk])
    page = client.get(response["Location"])
    assert PENDING in page.text
    assert f'href="{article.get_absolute_url()}#y-kien"' in page.text
    assert Comment.objects.count() == 1


@pytest.fixture
def trusted(moderator, settings):
    """A commenter trusted by comments/trust.py: a confirmed e-mail, a good record."""
    settings.COMMENTS_TRUST = True
    settings.COMMENTS_TRUST_APPROVED = 1
    email = "tin.cay@example.vn"
    CommenterEmail.objects.create(email=email, confirmed_at=timezone.now())
    earlier = make_comment(email=email, body="Ý kiến cũ đã được duyệt.")
    assert moderate(comment=earlier, moderator=moderator, status="approved")
    return email


def test_a_published_comment_is_told_so_to_the_script(client, trusted):
    article = make_article()
    response = client.post(post_url(article), data(email=trusted), **SCRIPT)
    assert response.status_code == 201
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    assert json.loads(response.text) == {
        "message": "Ý kiến của bạn đã được đăng.",
        "published": comment.pk,
    }


def test_a_published_comment_is_told_so_without_script(client, trusted):
    article = make_article()
    response = client.post(post_url(article), data(email=trusted))
    comment = Comment.objects.get(article=article)
    posted = reverse("comments:posted", args=[article.pk])
    assert response.status_code == 303
    assert response["Location"] == f"{posted}?da-dang={comment.pk}"
    page = client.get(response["Location"])
    assert "<h1" in page.text and "Ý kiến của bạn đã được đăng." in page.text
    assert f'href="{article.get_absolute_url()}#y-kien-{comment.pk}"' in page.text
    assert PENDING not in page.text


def test_the_posted_page_says_published_only_of_a_comment_readers_see(client, moderator):
    article = make_article()
    waiting = make_comment(article=article)
    elsewhere = make_comment()
    moderate(comment=elsewhere, moderator=moderator, status="approved")
    posted = reverse("comments:posted", args=[article.pk])
    for value in (waiting.pk, elsewhere.pk, "abc", "9" * 40, ""):
        page = client.get(posted, {"da-dang": value})
        assert page.status_code == 200
        assert PENDING in page.text and "đã được đăng" not in page.text


def test_refused_body_with_script_is_400_with_messages(client):
    article = make_article()
    response = client.post(post_url(article), data(body="ữ" * 501), **SCRIPT)
    assert response.status_code == 400
    payload = json.loads(response.text)
    assert payload["errors"]["body"] == ["Ý kiến tối đa 500 ký tự, bạn đã viết 501 ký tự."]
    assert not Comment.objects.exists()


def test_refused_body_without_script_is_400_page_with_the_text_kept(client):
    article = make_article()
    body = "Nội dung dài <b>quá</b> " + "ữ" * 500
    response = client.post(post_url(article), data(body=body, email="ban@example.vn"))
    assert response.status_code == 400
    assert "<html" in response.text
    assert "Ý kiến tối đa 500 ký tự, bạn đã viết 524 ký tự." in response.text
    assert "Nội dung dài &lt;b&gt;quá&lt;/b&gt; " + "ữ" * 500 + "</textarea>" in response.text
    assert 'value="ban@example.vn"' in response.text
    assert "524 / 500 ký tự" in response.text
    assert not Comment.objects.exists()


def test_duplicate_is_400_with_a_message(client):
    article = make_article()
    assert client.post(post_url(article), data(), **SCRIPT).status_code == 201
    response = client.post(post_url(article), data(), **SCRIPT)
    assert response.status_code == 400
    assert "Bạn đã gửi ý kiến này rồi" in json.loads(response.text)["message"]
    assert Comment.objects.count() == 1


# A draft or scheduled article is a 404, as a missing one: tests/articles/test_unpublished.py
@pytest.mark.parametrize("headers", [SCRIPT, {}], ids=["script", "plain"])
def test_post_to_an_article_with_comments_closed_is_403(client, headers):
    article = make_article(comments_open=False)
    response = client.post(post_url(article), data(), **headers)
    assert response.status_code == 403
    assert "Bài viết này không nhận ý kiến." in response.text
    assert not Comment.objects.exists()


def test_wrong_methods_are_405_with_a_message(client):
    article = make_article()
    response = client.get(post_url(article))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "không nhận yêu cầu GET" in response.text
    response = client.post(list_url(article), data())
    assert response.status_code == 405
    assert "không nhận yêu cầu POST" in response.text
    assert not Comment.objects.exists()


def test_honeypot_gets_the_same_answer_and_is_stored_as_spam(client):
    article = make_article()
    response = client.post(post_url(article), data(website="http://mua-ban.example"), **SCRIPT)
    assert response.status_code == 201
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_post_query_budget(client):
    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(post_url(article), data(), **SCRIPT)
    assert response.status_code == 201
    # The article, the duplicate check, the banned terms, the ban look-up and
    # the insert: 5, with room for the rate limit's database count when the
    # cache is down.
    assert len(queries) <= 7, [q["sql"] for q in queries]


# Hostile input: always a 4xx with a message or a normal answer, never a 500


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": "An"},
        {"body": "Chỉ có nội dung"},
        {"name": "\x00", "body": "\x00\x00"},
        {"name": "An", "body": "\u202e\u200b\u200f" * 10},
        {"name": "An", "body": "a" + "\u0301" * 2000},
        {"name": "An", "body": "x" * 100_000},
        {"name": ["A", "B"], "body": ["một", "hai"]},
        {"name": "An", "body": "ok", "email": "@@"},
    ],
)
def test_hostile_posts_are_answered_without_error(client, payload):
    response = client.post(post_url(make_article()), payload, **SCRIPT)
    assert response.status_code in (201, 400), response.status_code
    assert json.loads(response.text)["message"]
    assert all(len(c.body) <= 500 for c in Comment.objects.all())


def test_wrong_content_type_is_400(client):
    response = client.post(
        post_url(make_article()), '{"name": "An"}', content_type="application/json", **SCRIPT
    )
    assert response.status_code == 400


# The article page block


def test_article_block_is_the_same_for_every_reader_and_works_without_the_script():
    article = make_article()
    html = render_to_string("comments/_article_block.html", {"article": article})
    assert '<section id="y-kien"' in html
    assert ">Ý kiến (0)</h2>" in html
    assert "Chưa có ý kiến nào được đăng." in html
    assert "Đang tải dữ liệu" not in html
    assert "0 / 500 ký tự" in html
    assert 'aria-live="polite"' in html
    assert ">Gửi</button>" in html
    assert "Họ tên" in html and "Ý kiến của bạn" in html
    assert f'data-comments-url="{list_url(article)}"' in html
    assert 'src="/static/js/comments.js" defer' in html
    # The form is there for everyone, script or not, and posts on its own.
    form = re.search(r"<form [^>]*>", html)[0]
    assert f'action="{post_url(article)}"' in form and 'method="post"' in form
    assert "hidden" not in form
    assert '<input type="hidden" name="parent" value=""' in html
    assert "csrfmiddlewaretoken" not in html
    honeypot = re.search(r'<div class="comment-hp" aria-hidden="true">.*?</div>', html, re.S)
    assert 'name="website"' in honeypot[0]
    assert 'tabindex="-1"' in honeypot[0] and 'autocomplete="off"' in honeypot[0]
    assert "Để trống ô này" in honeypot[0]
    assert "style=" not in html and "<style" not in html
    assert "<script>" not in html


def test_article_page_shows_the_approved_comments_and_is_the_same_for_every_reader(
    client, moderator, django_capture_on_commit_callbacks
):
    article = make_article()
    shown = make_comment(article=article, name="Lê Văn Tám", body="Mừng cho bà con.")
    make_comment(article=article, body="Còn chờ người duyệt.")
    approve(shown, moderator, django_capture_on_commit_callbacks)

    # The header's date shows the second a page is rendered: both readers at one instant.
    with time_machine.travel(timezone.now(), tick=False):
        first = client.get(article.get_absolute_url())
        other = Client(HTTP_COOKIE="csrftoken=x; sessionid=y").get(article.get_absolute_url())
    assert first.status_code == 200
    assert "Ý kiến (1)</h2>" in first.text
    assert "Mừng cho bà con." in first.text and "Lê Văn Tám" in first.text
    assert "Còn chờ người duyệt." not in first.text
    assert "Đang tải dữ liệu" not in first.text
    assert "csrfmiddlewaretoken" not in first.text
    assert not first.cookies
    assert other.content == first.content


def test_article_page_links_the_next_page_of_comments(client, moderator, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = make_article()
    for _ in range(3):
        moderate(comment=make_comment(article=article), moderator=moderator, status="approved")
    html = client.get(article.get_absolute_url()).text
    assert html.count('class="comment"') == 2
    assert f'href="{list_url(article)}?trang=2" data-comments-more>Xem thêm</a>' in html


@pytest.mark.parametrize("count", [3, 30])
def test_article_page_with_comments_and_replies_costs_two_queries_more(
    client, moderator, settings, django_assert_max_num_queries, count
):
    # The article page's own budget (tests/articles/test_views.py) is 5 with no
    # comment to show; the list and its replies are two queries more, at any size,
    # each on its partial index.
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article()
    for n in range(count):
        comment = make_comment(article=article, body=f"Ý kiến {n}.")
        moderate(comment=comment, moderator=moderator, status="approved")
        reply = make_comment(article=article, parent=comment, body=f"Trả lời {n}.")
        moderate(comment=reply, moderator=moderator, status="approved")
    cache.clear()
    with django_assert_max_num_queries(7):
        response = client.get(article.get_absolute_url())
    assert f"Ý kiến ({2 * count})</h2>" in response.text
    assert f"Trả lời {count - 1}." in response.text  # under the newest comment


@pytest.fixture
def cache_reads(monkeypatch):
    """The round trips that read the default cache (``get``, ``get_many``; a
    ``get_many`` made of ``get`` calls, as the local-memory cache makes it, is one)."""
    from django.core.cache import caches

    backend = caches["default"]
    reads, depth = [], []

    def counted(method):
        def read(*args, **kwargs):
            if not depth:
                reads.append(args)
            depth.append(1)
            try:
                return method(*args, **kwargs)
            finally:
                depth.pop()

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(backend, name, counted(getattr(backend, name)))
    return reads


def test_a_kept_article_page_reads_the_cache_and_the_database_once(
    moderator, settings, django_assert_max_num_queries, cache_reads
):
    # One round trip for the article's parts with the menu, the most-read
    # lists and the comments block (articles/fragments.py, ARTICLE_PAGE_KEYS).
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article()
    moderate(
        comment=make_comment(article=article, body="Đã duyệt."),
        moderator=moderator,
        status="approved",
    )
    Client().get(article.get_absolute_url())
    cache_reads.clear()
    with django_assert_max_num_queries(1):
        html = Client().get(article.get_absolute_url()).text
    assert "Ý kiến (1)</h2>" in html and "Đã duyệt." in html
    assert len(cache_reads) == 1, cache_reads


def test_a_kept_comments_block_follows_the_count_the_article_row_shows(settings):
    # A page that read the article before a decision's commit and the list
    # version after it keeps a block under the new version with the old count;
    # the next page, reading the new count, must not show that block.
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article()
    assert "Ý kiến (0)</h2>" in Client().get(article.get_absolute_url()).text
    Article.objects.filter(pk=article.pk).update(comment_count=4)  # no announcement
    assert "Ý kiến (4)</h2>" in Client().get(article.get_absolute_url()).text
