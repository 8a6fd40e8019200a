"""Readers report a comment (Báo vi phạm): the endpoint, its refusals, the hiding rule
and the Reported queue (Bị báo cáo)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentReport, ModerationLog
from comments.services import moderate
from tests.factories import make_article, make_comment, staff_browser

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}
QUEUE = reverse("admin:comments_reportedcomment_changelist")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = pytest.mark.django_db


def approved_comment(moderator, **kw):
    comment = make_comment(article=kw.pop("article", None) or make_article(), **kw)
    assert moderate(comment=comment, moderator=moderator, status="approved")
    return comment


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def reader(ip="198.51.100.7"):
    """A browser at ``ip`` that, like a real one, must send the token of the form it opened."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=ip)


def report(browser, comment, *, script=True, **fields):
    """Open the report form as the reader does, then send it with its token."""
    headers = SCRIPT if script else {}
    form = browser.get(report_url(comment), **headers)
    assert form.status_code == 200
    token = TOKEN.search(form.text)[1]
    data = {"reason": "abuse", "note": "", "csrfmiddlewaretoken": token, **fields}
    return browser.post(report_url(comment), data, **headers)


def list_text(comment):
    return Client().get(reverse("comments:list", args=[comment.article_id]), **SCRIPT).text


def test_a_reader_reports_a_comment(moderator):
    comment = approved_comment(moderator, body="Một ý kiến khó nghe.")
    assert f'href="{report_url(comment)}"' in list_text(comment)
    assert "Báo vi phạm" in list_text(comment)

    response = report(reader(), comment, reason="privacy", note="Có số điện thoại của tôi.")

    assert response.status_code == 201
    assert response.json() == {"message": "Cảm ơn bạn. Ban biên tập sẽ xem xét ý kiến này."}
    stored = CommentReport.objects.get()
    assert (stored.comment, stored.reason, stored.note) == (
        comment,
        "privacy",
        "Có số điện thoại của tôi.",
    )
    assert "198.51.100.7" not in stored.reporter and len(stored.reporter) == 64
    # One report does not hide it.
    assert "Một ý kiến khó nghe." in list_text(comment)


def test_every_comment_and_reply_links_to_its_own_report_and_reply_pages(moderator):
    first = approved_comment(moderator, body="Ý kiến thứ nhất.")
    second = approved_comment(moderator, article=first.article, body="Ý kiến thứ hai.")
    reply = approved_comment(moderator, article=first.article, parent=first, body="Trả lời.")

    html = list_text(first)

    for comment in (first, second, reply):
        assert f'href="{report_url(comment)}"' in html
    for comment in (first, second):
        assert f'href="{reverse("comments:reply", args=[comment.pk])}"' in html
    assert reverse("comments:reply", args=[reply.pk]) not in html  # one level only


def test_without_javascript_the_form_is_a_page_with_every_reason(moderator):
    comment = approved_comment(moderator)
    browser = reader()
    page = browser.get(report_url(comment))
    for label in [
        "Xúc phạm",
        "Quảng cáo / spam",
        "Lạc đề",
        "Thông tin sai sự thật",
        "Lộ thông tin cá nhân",
        "Khác",
    ]:
        assert label in page.text
    assert "<html" in page.text

    response = report(browser, comment, script=False, reason="off_topic")

    assert response.status_code == 200
    assert "Đã gửi báo cáo" in response.text
    assert CommentReport.objects.get().reason == "off_topic"


def test_csrf_is_enforced(moderator):
    comment = approved_comment(moderator)
    response = reader().post(report_url(comment), {"reason": "abuse"}, **SCRIPT)
    assert response.status_code == 403
    assert not CommentReport.objects.exists()


def test_a_second_report_from_the_same_reader_is_refused(moderator):
    comment = approved_comment(moderator)
    assert report(reader("2001:db8::1"), comment).status_code == 201

    # Another address of the same IPv6 /64 is the same reader.
    again = report(reader("2001:db8::2"), comment, reason="spam")

    assert again.status_code == 409
    assert again.json()["message"] == "Bạn đã báo vi phạm ý kiến này rồi. Ban biên tập sẽ xem xét."
    assert CommentReport.objects.count() == 1
    assert report(reader("2001:db8:0:1::1"), comment).status_code == 201  # another /64


def test_a_reason_outside_the_list_is_refused(moderator):
    comment = approved_comment(moderator)
    response = report(reader(), comment, reason="boring")
    assert response.status_code == 400
    assert response.json()["message"] == "Hãy chọn một lý do báo vi phạm trong danh sách."
    page = report(reader(), comment, script=False, reason="")
    assert page.status_code == 400
    assert "Hãy chọn một lý do báo vi phạm trong danh sách." in page.text
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_a_comment_readers_do_not_see_cannot_be_reported(moderator, status):
    comment = make_comment(status=status)
    browser = reader()
    assert browser.get(report_url(comment), **SCRIPT).status_code == 404
    assert browser.get(report_url(comment)).status_code == 404
    shown = approved_comment(moderator)
    token = TOKEN.search(browser.get(report_url(shown), **SCRIPT).text)[1]
    posted = browser.post(
        report_url(comment), {"reason": "abuse", "csrfmiddlewaretoken": token}, **SCRIPT
    )
    assert posted.status_code == 404
    assert not CommentReport.objects.exists()


def test_reports_are_rate_limited_per_reader(settings, moderator):
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    comments = [approved_comment(moderator) for _ in range(3)]
    browser = reader()
    # A refused report (a duplicate) uses no allowance.
    assert report(browser, comments[0]).status_code == 201
    assert report(browser, comments[0]).status_code == 409
    assert report(browser, comments[1]).status_code == 201

    refused = report(browser, comments[2])

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "nhiều báo cáo" in refused.json()["message"]
    assert CommentReport.objects.count() == 2
    # Reports have an allowance of their own: posting a comment is still allowed.
    article = comments[2].article
    body = {"name": "An", "email": "", "body": "Vẫn gửi được."}
    posted = browser.post(
        reverse("comments:post", args=[article.pk]),
        body,
        HTTP_SEC_FETCH_SITE="same-origin",
        **SCRIPT,
    )
    assert posted.status_code == 201


def test_the_limit_holds_from_the_database_when_nothing_is_cached(settings, moderator):
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    first, second = approved_comment(moderator), approved_comment(moderator)
    browser = reader()
    assert report(browser, first).status_code == 201
    assert report(browser, second).status_code == 429
    assert report(reader("198.51.100.8"), second).status_code == 201


def test_the_nth_report_hides_the_comment_until_a_moderator_decides(
    settings, moderator, django_capture_on_commit_callbacks
):
    settings.COMMENTS_REPORTS_TO_HIDE = 3
    comment = approved_comment(moderator, body="Ý kiến sẽ bị ẩn.")
    assert "Ý kiến sẽ bị ẩn." in list_text(comment)  # the list is kept in the cache

    with django_capture_on_commit_callbacks(execute=True):
        for n in (1, 2):
            assert report(reader(f"198.51.100.{n}"), comment).status_code == 201
    assert "Ý kiến sẽ bị ẩn." in list_text(comment)
    with django_capture_on_commit_callbacks(execute=True):
        assert report(reader("198.51.100.3"), comment, reason="false").status_code == 201

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Ý kiến sẽ bị ẩn." not in list_text(comment)
    log = ModerationLog.objects.filter(comment=comment).order_by("-id").first()
    assert (log.moderator, log.from_status, log.to_status, log.reason) == (
        None,
        "approved",
        "pending",
        "Ẩn tự động: 3 báo cáo vi phạm",
    )
    queue = staff_browser(moderator).get(reverse("admin:comments_pendingcomment_changelist"))
    assert "Ý kiến sẽ bị ẩn." in queue.text
    # Hidden: no longer reportable.
    assert report_url(comment) not in list_text(comment)
    assert reader("198.51.100.4").get(report_url(comment)).status_code == 404


def test_the_reported_queue_lists_most_reported_first_with_the_reasons(settings, moderator):
    settings.COMMENTS_REPORTS_TO_HIDE = 10
    once = approved_comment(moderator, body="Báo cáo một lần.")
    twice = approved_comment(moderator, body="Báo cáo hai lần.")
    approved_comment(moderator, body="Không ai báo cáo.")
    report(reader("198.51.100.1"), once, reason="spam")
    report(reader("198.51.100.1"), twice, reason="abuse", note="Chửi người khác")
    report(reader("198.51.100.2"), twice, reason="abuse")

    page = staff_browser(moderator).get(QUEUE)

    assert page.status_code == 200
    assert page.text.index("Báo cáo hai lần.") < page.text.index("Báo cáo một lần.")
    assert "Không ai báo cáo." not in page.text
    assert "Xúc phạm (2)" in page.text and "Chửi người khác" in page.text
    assert "Quảng cáo / spam (1)" in page.text


def test_a_moderator_keeps_or_rejects_a_reported_comment_from_the_queue(
    settings, moderator, django_capture_on_commit_callbacks
):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    kept = approved_comment(moderator, body="Ý kiến được giữ lại.")
    rejected = approved_comment(moderator, body="Ý kiến bị từ chối.")
    with django_capture_on_commit_callbacks(execute=True):
        for n in (1, 2):
            report(reader(f"198.51.100.{n}"), kept)  # hidden
        report(reader("198.51.100.1"), rejected)  # still shown
    browser = staff_browser(moderator)
    page = browser.get(QUEUE)
    token = TOKEN.search(page.text)[1]

    def decide(comment, status):
        url = reverse("admin:comments_reportedcomment_decide", args=[comment.pk, status])
        assert url in page.text  # the row's own button
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post(url, {"csrfmiddlewaretoken": token})

    assert decide(kept, "approved")["Location"] == QUEUE
    assert decide(rejected, "rejected").status_code == 302

    kept.refresh_from_db()
    rejected.refresh_from_db()
    assert (kept.status, kept.moderated_by) == ("approved", moderator)
    assert rejected.status == "rejected"
    assert "Ý kiến được giữ lại." in list_text(kept)
    after = browser.get(QUEUE).text
    assert "Ý kiến được giữ lại." not in after and "Ý kiến bị từ chối." not in after
    # Its earlier reports are answered: one more report does not hide it again.
    assert report(reader("198.51.100.3"), kept).status_code == 201
    kept.refresh_from_db()
    assert kept.status == "approved"


def test_a_reader_cannot_open_the_reported_queue(moderator):
    reader_user = type(moderator).objects.create_user("docgia", password="x", is_staff=True)
    assert staff_browser(reader_user).get(QUEUE).status_code == 403
