"""A trusted commenter in Chromium: confirms their e-mail through the link mailed to
them, then posts from the article page and sees the comment without any moderator."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from comments.models import Comment, CommenterEmail
from comments.services import moderate
from tests.e2e.helpers import screenshot
from tests.e2e.test_comments import open_article
from tests.factories import make_article, make_comment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "tran.thi.hoa@example.vn"
NAME = "Trần Thị Hoa"


def post_from_the_article(page, body):
    page.get_by_label("Ý kiến của bạn").fill(body)
    page.get_by_label("Họ tên").fill(NAME)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_role("button", name="Gửi").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_label("Ý kiến của bạn")).to_have_value("")


def test_a_trusted_commenters_comment_appears_without_waiting(
    open_page, story, moderator, settings
):
    settings.COMMENTS_TRUST = True
    settings.COMMENTS_TRUST_APPROVED = 3
    elsewhere = make_article()
    for n in range(3):  # a good record: three approved by a moderator, none rejected
        earlier = make_comment(article=elsewhere, name=NAME, email=EMAIL, body=f"Ý kiến {n}.")
        assert moderate(comment=earlier, moderator=moderator, status="approved")

    # Not confirmed yet: the comment waits, and the link goes to the address.
    page = open_article(open_page, story)
    post_from_the_article(page, "Xin hỏi lịch thời vụ Hè Thu năm nay.")
    assert Comment.objects.get(article=story).status == "pending"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/y-kien/xac-nhan-email/\S+/", mail.outbox[0].body)[0]
    path = link.split("://", 1)[1].split("/", 1)[1]

    mailbox = open_page(f"/{path}")
    expect(mailbox.get_by_role("heading", level=1)).to_have_text("Xác nhận địa chỉ e-mail")
    expect(mailbox.get_by_text(EMAIL)).to_be_visible()
    assert CommenterEmail.objects.get(email=EMAIL).confirmed_at is None  # opening is not enough
    mailbox.get_by_role("button", name="Xác nhận").click()
    expect(mailbox.get_by_role("heading", level=1)).to_have_text(
        "Cảm ơn bạn, địa chỉ e-mail đã được xác nhận"
    )
    screenshot(mailbox, "trusted-commenter-confirmed")
    assert CommenterEmail.objects.get(email=EMAIL).confirmed_at is not None

    # Confirmed, with a good record: the next comment is published at once.
    body = "Cảm ơn phóng viên, bà con Tháp Mười rất mong tin này."
    page = open_article(open_page, story)
    post_from_the_article(page, body)
    page.reload()  # the article page comes from the page cache; its list is fresh
    expect(page.locator(".comments-loading")).to_have_count(0)
    expect(page.locator("#y-kien-heading")).to_have_text("Ý kiến (1)")
    shown = page.locator(".comment-list .comment").filter(has_text=body)
    expect(shown).to_have_count(1)
    expect(shown.locator(".comment-name")).to_have_text(NAME)
    screenshot(page, "trusted-commenter-published")

    published = Comment.objects.get(article=story, body=body)
    assert (published.status, published.moderated_by) == ("approved", None)
    assert published.moderation_logs.get().reason.startswith("Người gửi tin cậy")
