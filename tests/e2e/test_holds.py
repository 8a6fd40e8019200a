"""A hold as reader and moderator meet it: a comment with a phone number, posted from
the article page, waits in the moderation queue with the reason in words
(comments/holds.py, spam.describe_reason)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from comments.views import PENDING_MESSAGE
from tests.e2e.content import DESKTOP
from tests.e2e.helpers import log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = (
    "Ruộng nhà tôi ở xã Mỹ An cũng bị rầy nâu. Bà con nào có kinh nghiệm trị rầy "
    "xin gọi giúp tôi số 0912.345.678, cảm ơn nhiều."
)


def test_a_comment_with_a_phone_number_waits_for_a_moderator_with_that_reason(
    open_page, story, moderator
):
    reader = open_page(story.get_absolute_url())
    # The comments block has loaded: the form carries its token.
    expect(reader.locator(".comments-loading")).to_have_count(0)
    expect(reader.locator("[data-comments-body]")).not_to_have_attribute("aria-busy", "true")
    reader.get_by_label("Ý kiến của bạn").fill(BODY)
    reader.get_by_label("Họ tên").fill("Nguyễn Văn Tư")
    reader.get_by_role("button", name="Gửi").click()
    # The reader is told what every reader is told; nothing names the hold.
    expect(reader.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    expect(reader.get_by_text("Chưa có ý kiến nào được đăng.")).to_be_visible()
    comment = Comment.objects.get(article=story)
    assert (comment.status, comment.held_reason) == ("pending", "phone:0912.345.678")

    desk = open_page(None, viewport=DESKTOP)
    log_in(desk, moderator)
    desk.goto(reverse("admin:comments_pendingcomment_changelist"))
    row = desk.locator("#result_list tbody tr", has_text="Nguyễn Văn Tư")
    expect(row).to_contain_text(BODY)
    expect(row.locator(".field-body_and_reason p")).to_have_text(
        "Lý do giữ lại: Có số điện thoại: 0912.345.678"
    )
    screenshot(desk, "moderation-queue-phone-number-hold")

    # The moderator decides: the reader's number was a plea for advice, not an advert.
    row.get_by_role("button", name="Duyệt", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("Ý kiến của Nguyễn Văn Tư: đã duyệt.")
    reader.reload()
    expect(reader.locator(".comment-list")).to_contain_text("0912.345.678")
