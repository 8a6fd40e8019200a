"""Replies (Trả lời) and reports (Báo vi phạm) as readers use them in Chromium:
with the script the form moves under the comment answered; without it a small
page of its own does the same; a moderator's approval shows the reply under its
comment on the next visit."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, CommenterEmail, CommentReport
from comments.services import moderate, post_comment
from comments.views import PENDING_MESSAGE, PUBLISHED_MESSAGE
from tests.e2e.helpers import screenshot
from tests.e2e.test_comments import open_article
from tests.factories import make_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def approved(story, moderator, name, body, n):
    comment = post_comment(
        article=story, name=name, email="", body=body, ip_address=f"192.0.2.{n}", user_agent="e2e"
    )
    assert moderate(comment=comment, moderator=moderator, status="approved")
    return comment


@pytest.fixture
def two_comments(story, moderator):
    tam = approved(story, moderator, "Lê Văn Tám", "Giá phân bón tăng, lời lãi chẳng bao nhiêu.", 1)
    hoa = approved(story, moderator, "Trần Thị Hoa", "Xin hỏi lịch xuống giống vụ Hè Thu?", 2)
    return tam, hoa


def item(page, comment):
    return page.locator(f"#y-kien-{comment.pk}")


def test_a_reader_reports_a_comment_and_replies_to_another(
    open_page, story, moderator, two_comments
):
    tam, hoa = two_comments
    page = open_article(open_page, story)

    # Báo vi phạm under one comment: a small page of its own, then back.
    item(page, tam).get_by_role("link", name="Báo vi phạm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo vi phạm")
    page.get_by_label("Xúc phạm").check()
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi báo cáo")
    assert CommentReport.objects.get().comment_id == tam.pk

    page = open_article(open_page, story)
    page.evaluate("() => { window.stillHere = true; }")  # gone if the page reloads
    form = page.locator("form.comment-form")
    under_hoa = item(page, hoa)
    under_hoa.get_by_role("link", name="Trả lời").click()
    # The form moves under the comment answered and says so.
    expect(under_hoa.locator("form.comment-form")).to_be_visible()
    expect(form.get_by_text("Trả lời ý kiến của Trần Thị Hoa")).to_be_visible()
    expect(page.get_by_label("Ý kiến của bạn")).to_be_focused()

    # Changing one's mind puts it back; answering again moves it again.
    form.get_by_role("link", name="Hủy trả lời").click()
    expect(under_hoa.locator("form.comment-form")).to_have_count(0)
    expect(form.get_by_text("Trả lời ý kiến của")).to_be_hidden()
    expect(page.get_by_label("Ý kiến của bạn")).to_be_focused()
    assert form.locator("[name=parent]").input_value() == ""
    under_hoa.get_by_role("link", name="Trả lời").click()
    assert form.locator("[name=parent]").input_value() == str(hoa.pk)

    body = "Theo lịch của ngành nông nghiệp, bà con xuống giống từ đầu tháng Năm."
    page.get_by_label("Ý kiến của bạn").fill(body)
    page.get_by_label("Họ tên").fill("Nguyễn Văn Út")
    page.get_by_role("button", name="Gửi").click()
    expect(form.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    expect(page.get_by_label("Ý kiến của bạn")).to_have_value("")
    screenshot(page, "reply-posted-under-the-comment")
    assert page.evaluate("() => window.stillHere === true")
    reply = Comment.objects.get(body=body)
    assert (reply.status, reply.parent_id, reply.article_id) == ("pending", hoa.pk, story.pk)

    # A moderator approves it: the next visit shows it under its comment.
    assert moderate(comment=reply, moderator=moderator, status="approved")
    page.reload()
    expect(page.locator("#y-kien-heading")).to_have_text("Ý kiến (3)")
    replies = item(page, hoa).locator(".comment-replies .comment")
    expect(replies).to_have_count(1)
    expect(replies.locator(".comment-name")).to_have_text("Nguyễn Văn Út")
    expect(replies.get_by_role("link", name="Trả lời")).to_have_count(0)  # one level
    expect(replies.get_by_role("link", name="Báo vi phạm")).to_be_visible()
    screenshot(page, "reply-approved-under-its-comment")


def test_without_javascript_a_reader_replies_from_a_page_of_its_own(open_page, story, two_comments):
    _, hoa = two_comments
    page = open_page(story.get_absolute_url(), javascript=False)
    item(page, hoa).get_by_role("link", name="Trả lời").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("comments:reply", args=[hoa.pk])) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Trả lời ý kiến")
    expect(page.get_by_text("Xin hỏi lịch xuống giống vụ Hè Thu?")).to_be_visible()
    expect(page.get_by_text("Trả lời ý kiến của Trần Thị Hoa")).to_be_visible()
    screenshot(page, "reply-without-javascript")

    body = "Bà con hỏi trạm khuyến nông xã là có lịch cụ thể."
    page.get_by_label("Ý kiến của bạn").fill(body)
    page.get_by_role("button", name="Gửi").click()  # no name yet: comes back, text kept
    expect(page.get_by_text("Hãy cho biết họ tên của bạn.")).to_be_visible()
    expect(page.get_by_label("Ý kiến của bạn")).to_have_value(body)
    expect(page.get_by_text("Trả lời ý kiến của Trần Thị Hoa")).to_be_visible()

    page.get_by_label("Họ tên").fill("Phạm Thị Lan")
    page.get_by_role("button", name="Gửi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PENDING_MESSAGE)
    reply = Comment.objects.get(body=body)
    assert (reply.status, reply.parent_id, reply.name) == ("pending", hoa.pk, "Phạm Thị Lan")


def test_a_published_reply_shows_in_place(open_page, story, moderator, two_comments, settings):
    # A trusted commenter (comments/trust.py): approved at once, shown without a reload.
    settings.COMMENTS_TRUST = True
    settings.COMMENTS_TRUST_APPROVED = 1
    email = "ut.nguyen@example.vn"
    CommenterEmail.objects.create(email=email, confirmed_at=timezone.now())
    earlier = post_comment(
        article=make_article(),
        name="Út",
        email=email,
        body="Cảm ơn.",
        ip_address=None,
        user_agent="",
    )
    assert moderate(comment=earlier, moderator=moderator, status="approved")
    _, hoa = two_comments
    page = open_article(open_page, story)
    page.evaluate("() => { window.stillHere = true; }")

    item(page, hoa).get_by_role("link", name="Trả lời").click()
    body = "Lịch xuống giống có trên trang của Sở Nông nghiệp."
    page.get_by_label("Ý kiến của bạn").fill(body)
    page.get_by_label("Họ tên").fill("Nguyễn Văn Út")
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Gửi").click()

    expect(page.get_by_role("status")).to_have_text(PUBLISHED_MESSAGE)
    expect(page.locator("#y-kien-heading")).to_have_text("Ý kiến (3)")
    reply = item(page, hoa).locator(".comment-replies .comment")
    expect(reply.locator(".comment-body")).to_have_text(body)
    expect(reply).to_be_in_viewport()
    assert page.evaluate("() => window.stillHere === true")
    screenshot(page, "reply-published-in-place")
