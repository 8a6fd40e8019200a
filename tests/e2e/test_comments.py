"""The comments block as a reader uses it: the live counter, posting with and
without JavaScript, refusals shown in place, and the approved list, which is part
of the article page itself (replies: test_replies.py)."""

import re
import unicodedata

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from comments.services import moderate, post_comment
from comments.views import PENDING_MESSAGE
from portal.text import char_count
from tests.e2e.content import DESKTOP
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def counter_text(count: int) -> str:
    return f"{count} / 500 ký tự"


def open_article(open_page, article, **kw):
    """The article page, its comments block rendered with it."""
    page = open_page(article.get_absolute_url(), **kw)
    count = Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)
    expect(page.locator("#y-kien-heading")).to_have_text(f"Ý kiến ({count})")
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


def publish(story, moderator, readers):
    """Post each (name, body, approved) as a reader would, and approve the approved ones."""
    for n, (name, body, shown) in enumerate(readers):
        comment = post_comment(
            article=story,
            name=name,
            email="",
            body=body,
            ip_address=f"192.0.2.{n + 1}",
            user_agent="e2e",
        )
        if shown:
            assert moderate(comment=comment, moderator=moderator, status="approved")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_approved_comments_are_on_the_article_page_itself(open_page, story, moderator, javascript):
    publish(
        story,
        moderator,
        [
            ("Lê Văn Tám", "Bà con Tháp Mười vất vả cả vụ, mừng cho bà con.", True),
            ("Trần Thị Hoa", "Mong giá lúa giữ được như vầy tới cuối vụ.", True),
            ("Ẩn Danh", "Ý kiến này còn chờ duyệt, không được hiện.", False),
        ],
    )
    requests = []
    page = open_page(None, viewport=DESKTOP, javascript=javascript)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(story.get_absolute_url())

    expect(page.locator("#y-kien-heading")).to_have_text("Ý kiến (2)")
    names = page.locator(".comment-list .comment-name")
    expect(names).to_have_text(["Trần Thị Hoa", "Lê Văn Tám"])  # newest first
    expect(page.get_by_text("còn chờ duyệt")).to_have_count(0)
    expect(page.get_by_text("Đang tải dữ liệu")).to_have_count(0)
    expect(page.get_by_label("Ý kiến của bạn")).to_be_visible()
    # Nothing is fetched for the block: it came with the page.
    list_url = reverse("comments:list", args=[story.pk])
    assert not [url for url in requests if list_url in url]
    screenshot(page, f"comments-on-the-article-page-{'script' if javascript else 'no-script'}")


def test_xem_them_brings_the_next_page_in_place(open_page, story, moderator, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    publish(story, moderator, [(f"Bạn đọc {n}", f"Ý kiến thứ {n}.", True) for n in range(3)])
    page = open_article(open_page, story)
    page.evaluate("() => { window.stillHere = true; }")
    expect(page.locator(".comment-list > .comment")).to_have_count(2)

    page.get_by_role("link", name="Xem thêm", exact=True).click()
    expect(page.locator(".comment-list > .comment")).to_have_count(3)
    expect(page.get_by_role("link", name="Xem thêm", exact=True)).to_have_count(0)
    expect(page.locator(".comment-list .comment-name").last).to_have_text("Bạn đọc 0")
    assert page.evaluate("() => window.stillHere === true")


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


def test_posting_without_javascript_works_from_the_article_page(open_page, story):
    page = open_page(story.get_absolute_url(), javascript=False)
    # Without the script: no buttons that could do nothing, the form right there.
    expect(page.get_by_role("button", name="Tăng cỡ chữ")).to_be_hidden()
    expect(page.get_by_role("heading", name="Ý kiến (0)")).to_be_visible()
    expect(page.get_by_text("Chưa có ý kiến nào được đăng.")).to_be_visible()
    screenshot(page, "comments-without-javascript-article")
    body = "Tôi đọc bằng điện thoại cũ, không bật JavaScript vẫn gửi được ý kiến."

    # A mistake comes back with the text kept, on the comments page.
    page.get_by_label("Ý kiến của bạn").fill(body)
    page.get_by_role("button", name="Gửi").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("comments:post", args=[story.pk]))))
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
