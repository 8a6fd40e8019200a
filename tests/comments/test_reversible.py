"""Every moderation decision can be taken back: restore a rejected or spam comment,
undo in one click from the message, reasons picked in one click, and the site's
own decisions logged like a moderator's."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from comments.models import BannedTerm, Comment, ModerationLog
from comments.services import REJECT_REASONS, moderate, post_comment
from tests.factories import make_article, make_comment, staff_browser
from tests.pages import read

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_pendingcomment_changelist")
HISTORY = reverse("admin:comments_comment_changelist")


def decide_url(comment, status):
    return reverse("admin:comments_pendingcomment_decide", args=[comment.pk, status])


def token_of(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def count_of(article) -> int:
    return Article.objects.get(pk=article.pk).comment_count


def test_a_comment_marked_spam_by_mistake_is_restored_and_approved(moderator):
    comment = make_comment(body="Chống cá độ bóng đá ở trường học là việc cần làm ngay.")
    assert moderate(comment=comment, moderator=moderator, status="spam")
    assert moderate(comment=comment, moderator=moderator, status="approved")
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert count_of(comment.article) == 1
    chain = list(comment.moderation_logs.order_by("id").values_list("from_status", "to_status"))
    assert chain == [("pending", "spam"), ("spam", "approved")]


def test_the_history_restores_rejected_comments_to_the_queue(moderator):
    rejected = make_comment()
    moderate(comment=rejected, moderator=moderator, status="rejected", reason="Lạc đề")
    desk = staff_browser(moderator)
    page = desk.get(HISTORY)
    assert "Khôi phục: đưa các ý kiến đã chọn về hàng chờ duyệt" in page.text

    response = desk.post(
        HISTORY,
        {
            "action": "restore_to_queue",
            "_selected_action": [rejected.pk],
            "csrfmiddlewaretoken": token_of(page),
        },
        follow=True,
    )
    assert "Đã đưa về hàng chờ 1 ý kiến." in response.text
    rejected.refresh_from_db()
    assert rejected.status == "pending"
    assert rejected.pk in [c.pk for c in desk.get(QUEUE).context["cl"].result_list]


def test_rejecting_with_a_reason_is_one_click_and_logged(moderator):
    comment = make_comment()
    desk = staff_browser(moderator)
    queue = desk.get(QUEUE)
    for reason in REJECT_REASONS:
        assert f'name="reason" value="{reason}"' in queue.text

    desk.post(
        decide_url(comment, "rejected"),
        {"reason": "Xúc phạm", "csrfmiddlewaretoken": token_of(queue)},
    )
    comment.refresh_from_db()
    assert comment.status == "rejected"
    assert comment.moderation_logs.get().reason == "Xúc phạm"
    shown = read(desk.get(reverse("admin:comments_comment_change", args=[comment.pk]))).text
    assert any("Xúc phạm" in piece for piece in shown)


def test_the_message_after_a_decision_undoes_it_once(moderator):
    article = make_article()
    comment = make_comment(article=article)
    desk = staff_browser(moderator)
    queue = desk.get(QUEUE)
    decided = desk.post(
        decide_url(comment, "approved"), {"csrfmiddlewaretoken": token_of(queue)}, follow=True
    )
    assert count_of(article) == 1
    undo = re.search(r'<form method="post" action="([^"]+)" class="undo-form">', decided.text)
    assert undo, "the message offers Hoàn tác"

    response = desk.post(undo[1], {"csrfmiddlewaretoken": token_of(decided)}, follow=True)
    assert "Đã hoàn tác" in response.text
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert count_of(article) == 0
    last = comment.moderation_logs.order_by("-id").first()
    assert (last.from_status, last.to_status, last.reason) == ("approved", "pending", "Hoàn tác")

    again = desk.post(undo[1], {"csrfmiddlewaretoken": token_of(decided)}, follow=True)
    assert "Không hoàn tác được" in again.text
    assert comment.moderation_logs.count() == 2


def test_undo_needs_a_post_with_the_token(moderator):
    comment = make_comment()
    moderate(comment=comment, moderator=moderator, status="spam")
    log = comment.moderation_logs.get()
    url = reverse("admin:comments_moderationlog_undo", args=[log.pk])
    desk = staff_browser(moderator)
    assert desk.get(url).status_code == 405
    assert desk.post(url).status_code == 403  # no CSRF token
    comment.refresh_from_db()
    assert comment.status == "spam"


def test_the_sites_own_spam_decision_is_logged_and_shown_as_the_system(moderator):
    BannedTerm.objects.create(term="nhà cái uy tín", action=BannedTerm.Action.SPAM)
    comment = post_comment(
        article=make_article(),
        name="Khách",
        email="",
        body="Vào nhà cái uy tín nhận thưởng ngay",
        ip_address="203.0.113.9",
        user_agent="",
    )
    assert comment.status == Comment.Status.SPAM
    log = ModerationLog.objects.get(comment=comment)
    assert (log.moderator, log.from_status, log.to_status) == (None, "pending", "spam")
    assert log.reason

    page = staff_browser(moderator).get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "Hệ thống (tự động)" in page.text
