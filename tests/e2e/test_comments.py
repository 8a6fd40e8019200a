"""The comments block as a reader uses it: the live counter, posting with and
without JavaScript, refusals shown in place, and the list that loads after the page."""

import re
import unicodedata

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from comments.services import moderate, post_comment
from comments.views import PENDING_MESSAGE
from portal.text import char_count
from tests.e2e.content import DESKTOP
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LOADING = "Đang tải dữ liệu"


def counter_text(count: int) -> str:
    return f"{count} / 500 ký tự"


def open_article(open_page, article, **kw):
    """The article page with its comments block loaded (the form has its token)."""
    page = open_page(article.get_absolute_url(), **kw)
    expect(page.locator(".comments-loading")).to_have_count(0)
    expect(page.locator("[data-comments-body]")).not_to_have_attribute("aria-busy", "true")
    return page


def test_counter_counts_every_keystroke_as_the_server_does(open_page, story):
    page = open_article(open_page, story)
    box = page.get_by_label("Ý kiến của bạn")
    counter = page.locator("#y-kien-counter")
    expect(counter).to_have_text(counter_text(0))

    composed = "Tiếng Việt có dấu: ệ, Ỗ, ự."
    decomposed = unicodedata.normalize("NFD", " Đồng Tháp mùa nước nổi")
    emoji = " 😀👍🏽"
    assert len(decomposed) > len(unicodedata.normalize("NFC", decomposed))
    for text in (composed, decomposed, emoji):
        for character in text:  # one keystroke each, the counter follows every one
            box.press_sequentially(character)
            expect(counter).to_have_text(counter_text(char_count(box.input_value())))
    # The same numbers written out: code points after NFC, whatever was typed.
    typed = composed + decomposed + emoji
    assert box.input_value() == typed  # the browser keeps the decomposed marks as typed
    expect(counter).to_have_text(counter_text(27 + 23 + 4))
    assert len(typed) > 27 + 23 + 4

    screenshot(page, "comment-counter-vietnamese")


def test_past_500_characters_the_counter_warns_and_sending_waits(open_page, story):
    page = open_article(open_page, story)
    box = page.get_by_label("Ý kiến của bạn")
    counter = page.locator("#y-kien-counter")
    warning = page.get_by_text("Ý kiến tối đa 500 ký tự")
    send = page.get_by_role("button", name="Gửi")

    # 500 characters once composed, more than 500 code points as typed (NFD).
    sentence = "Lúa chín vàng đồng, bà con phấn khởi vì được mùa được giá. "
    text = unicodedata.normalize("NFD", (sentence * 9)[:500])
    assert len(text) > 500 and char_count(text) == 500
    box.fill(text)
    expect(counter).to_have_text(counter_text(500))
    expect(warning).to_be_hidden()
    expect(send).to_be_enabled()

    box.press("End")
    box.press_sequentially("!")
    expect(counter).to_have_text(counter_text(501))
    expect(counter).to_have_class(re.compile(r"\bis-over\b"))
    expect(warning).to_be_visible()
    expect(send).to_be_disabled()
    expect(box).to_have_attribute("aria-invalid", "true")
    screenshot(page, "comment-over-500")

    box.press("Backspace")
    expect(counter).to_have_text(counter_text(500))
    expect(warning).to_be_hidden()
    expect(send).to_be_enabled()
    # The server agrees: 500 characters are accepted.
    page.get_by_label("Họ tên").fill("Phạm Văn Đồng")
    send.click()
    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    stored = Comment.objects.get(article=story)
    assert len(stored.body) == 500
    assert stored.body == unicodedata.normalize("NFC", stored.body)


def test_server_refusals_show_in_place_and_keep_the_text(open_page, story, settings):
    settings.COMMENTS_RATE_LIMIT = "2/d"  # a day: no window boundary inside the test
    page = open_article(open_page, story)
    url = page.url
    box = page.get_by_label("Ý kiến của bạn")
    send = page.get_by_role("button", name="Gửi")
    status = page.get_by_role("status")
    errors = page.locator("[data-comments-errors]")
    page.get_by_label("Họ tên").fill("Nguyễn Thị Mai")

    first = "Mong tỉnh sớm nâng cấp tuyến đê bao ở xã Mỹ An."
    box.fill(first)
    send.click()
    expect(status).to_have_text(PENDING_MESSAGE)
    expect(box).to_have_value("")

    # The same words again: refused as a duplicate, shown inline, text kept.
    box.fill(first)
    send.click()
    expect(errors).to_contain_text("Bạn đã gửi ý kiến này rồi")
    expect(status).to_be_hidden()
    expect(box).to_have_value(first)
    screenshot(page, "comment-refused-duplicate")

    second = "Giá lúa năm nay tốt, cảm ơn bài viết của phóng viên."
    box.fill(second)
    send.click()
    expect(status).to_have_text(PENDING_MESSAGE)
    expect(errors).to_be_hidden()

    # A third comment the same day passes the limit of two: refused, text kept.
    third = "Xin hỏi thêm về lịch thời vụ vụ Hè Thu."
    box.fill(third)
    send.click()
    expect(errors).to_contain_text("Bạn đã gửi nhiều ý kiến trong thời gian ngắn")
    expect(box).to_have_value(third)
    screenshot(page, "comment-refused-rate-limit")

    assert page.url == url
    assert list(Comment.objects.order_by("id").values_list("body", flat=True)) == [first, second]


def test_approved_comments_replace_the_loading_line_after_the_page(open_page, story, moderator):
    readers = [
        ("Lê Văn Tám", "Bà con Tháp Mười vất vả cả vụ, mừng cho bà con."),
        ("Trần Thị Hoa", "Mong giá lúa giữ được như vầy tới cuối vụ."),
        ("Ẩn Danh", "Ý kiến này còn chờ duyệt, không được hiện."),
    ]
    for n, (name, body) in enumerate(readers):
        comment = post_comment(
            article=story,
            name=name,
            email="",
            body=body,
            ip_address=f"192.0.2.{n + 1}",
            user_agent="e2e",
        )
        if n < 2:
            assert moderate(comment=comment, moderator=moderator, status="approved")

    # Hold the list's request to see what the reader sees before it arrives.
    held = []
    list_url = reverse("comments:list", args=[story.pk])
    page = open_page(None, viewport=DESKTOP)
    page.route(re.compile(rf"{re.escape(list_url)}$"), lambda route: held.append(route))
    page.goto(story.get_absolute_url())
    for _ in range(200):  # each call lets Playwright deliver the route event
        if held:
            break
        page.evaluate("1")
    assert held, "comments.js never asked for the list"

    heading = page.locator("#y-kien-heading")
    expect(page.get_by_text(LOADING)).to_be_visible()
    expect(page.locator("[data-comments-body]")).to_have_attribute("aria-busy", "true")
    expect(heading).to_have_text("Ý kiến")
    expect(page.locator(".comment")).to_have_count(0)
    screenshot(page, "comments-loading")

    held[0].continue_()
    expect(page.get_by_text(LOADING)).to_have_count(0)
    expect(heading).to_have_text("Ý kiến (2)")
    names = page.locator(".comment-list .comment-name")
    expect(names).to_have_count(2)
    expect(names).to_have_text(["Trần Thị Hoa", "Lê Văn Tám"])  # newest first
    expect(page.get_by_text("còn chờ duyệt")).to_have_count(0)
    screenshot(page, "comments-loaded")


def test_posting_with_javascript_stays_on_the_page(open_page, story):
    page = open_article(open_page, story)
    page.evaluate("() => { window.stillHere = true; }")  # gone if the page reloads
    url = page.url

    page.get_by_label("Ý kiến của bạn").fill("Bài viết rất thiết thực cho bà con nông dân.")
    page.get_by_label("Họ tên").fill("Võ Thị Sáu")
    page.get_by_label("E-mail").fill("vothisau@example.vn")
    page.get_by_role("button", name="Gửi").click()

    expect(page.get_by_role("status")).to_have_text(PENDING_MESSAGE)
    expect(page.get_by_label("Ý kiến của bạn")).to_have_value("")
    expect(page.locator("#y-kien-counter")).to_have_text(counter_text(0))
    assert page.url == url
    assert page.evaluate("() => window.stillHere === true")
    # Waiting for a moderator: stored as pending, not shown to readers.
    comment = Comment.objects.get(article=story)
    assert (comment.status, comment.name, comment.email) == (
        "pending",
        "Võ Thị Sáu",
        "vothisau@example.vn",
    )
    expect(page.get_by_text("Chưa có ý kiến nào được đăng.")).to_be_visible()
    screenshot(page, "comment-posted-with-javascript")


def test_posting_without_javascript_works_through_the_plain_form(open_page, story):
    page = open_page(story.get_absolute_url(), javascript=False)
    # Without the script: no counter work, no buttons that could do nothing,
    # and a plain link to the comments page instead of the hidden form.
    expect(page.get_by_role("button", name="Tăng cỡ chữ")).to_be_hidden()
    expect(page.locator("form.comment-form")).to_be_hidden()
    link = page.get_by_role("link", name="Xem và gửi ý kiến")
    expect(link).to_be_visible()
    screenshot(page, "comments-without-javascript-article")
    link.click()

    expect(page).to_have_url(re.compile(re.escape(reverse("comments:list", args=[story.pk]))))
    expect(page.get_by_role("heading", name="Ý kiến (0)")).to_be_visible()
    body = "Tôi đọc bằng điện thoại cũ, không bật JavaScript vẫn gửi được ý kiến."

    # A mistake comes back on the same page with the text kept.
    page.get_by_label("Ý kiến của bạn").fill(body)
    page.get_by_role("button", name="Gửi").click()
    expect(page.get_by_text("Hãy cho biết họ tên của bạn.")).to_be_visible()
    expect(page.get_by_label("Ý kiến của bạn")).to_have_value(body)
    expect(page.locator("#y-kien-counter")).to_have_text(counter_text(char_count(body)))
    screenshot(page, "comments-without-javascript-error")

    page.get_by_label("Họ tên").fill("Huỳnh Văn Bé")
    page.get_by_role("button", name="Gửi").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("comments:posted", args=[story.pk]))))
    expect(page.get_by_role("heading", level=1)).to_have_text(PENDING_MESSAGE)
    screenshot(page, "comments-without-javascript-posted")
    comment = Comment.objects.get(article=story)
    assert (comment.status, comment.name, comment.body) == ("pending", "Huỳnh Văn Bé", body)
