"""The moderation queue as moderators work it: ten decisions on a desktop with the
keyboard alone (static/js/moderation-queue.js), and on a phone-size screen, cards
that fit it, one tap per decision, a reason to reject and the Undo of a Spam; two
moderators at once, each handed their own comments."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.admin import ModerationQueueAdmin
from comments.models import Comment, ModerationLog
from tests.e2e.content import PHONE
from tests.e2e.helpers import log_in, screenshot
from tests.factories import make_article, make_comment, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Wide enough for the table beside both of the admin's sidebars.
WIDE = {"width": 1600, "height": 900}
LABEL = {"approved": "đã duyệt", "rejected": "từ chối", "spam": "spam"}


def waiting(count: int) -> list[Comment]:
    """``count`` pending comments, oldest first, each with its own name and body."""
    article = make_article(title="Đồng Tháp khởi công tuyến đường ven sông nối hai huyện")
    return [
        make_comment(
            article=article,
            name=f"Bạn đọc {chr(ord('A') + n)}",
            body=f"Ý kiến thứ {n + 1}: đề nghị làm thêm đèn chiếu sáng và lối đi cho xe đạp. "
            "Xem thêm https://example.vn/mot-dia-chi-rat-dai-khong-co-cho-xuong-dong-nao",
            held_reason="links",
        )
        for n in range(count)
    ]


def open_queue(open_page, moderator, viewport):
    page = open_page(None, viewport=viewport)
    log_in(page, moderator)
    page.goto(reverse("admin:comments_pendingcomment_changelist"))
    return page


def current_row(page):
    return page.locator("#result_list tbody tr.is-current")


def last_log(comment: Comment) -> ModerationLog:
    return comment.moderation_logs.order_by("-id").first()


def test_ten_decisions_with_the_keyboard_alone(open_page, moderator):
    comments = waiting(12)
    page = open_queue(open_page, moderator, WIDE)
    hint = "Phím tắt: j/k chọn, a duyệt, r từ chối, s spam, u hoàn tác, ? trợ giúp"
    expect(page.get_by_text(hint)).to_be_visible()
    # The table keeps a readable measure for the body, not a word per line.
    width, em = page.locator("#result_list tbody tr >> nth=0 >> .field-body_and_reason").evaluate(
        "cell => [cell.getBoundingClientRect().width, parseFloat(getComputedStyle(cell).fontSize)]"
    )
    assert width >= 28 * em - 1

    # Typing in the search box is typing, not deciding.
    page.locator("#searchbar").press("a")
    expect(page.locator("#searchbar")).to_have_value("a")
    page.locator("#searchbar").fill("")
    page.locator("#searchbar").blur()

    page.keyboard.press("?")
    help = page.get_by_role("dialog", name="Phím tắt trong hàng chờ duyệt")
    expect(help).to_be_visible()
    expect(help).to_contain_text("Enter không nêu lý do")
    page.keyboard.press("Escape")
    expect(help).to_be_hidden()

    # keys, the comment they decide, its status and reason; the queue's rows shift
    # up as each decided comment leaves it, and the row at the same place comes up.
    by_name = {c.name: c for c in comments}
    steps = [
        (["a"], "A", "approved", ""),
        (["j", "s"], "C", "spam", ""),
        (["r", "2"], "D", "rejected", "Quảng cáo / spam"),
        (["k", "a"], "B", "approved", ""),
        (["r", "Enter"], "E", "rejected", ""),
        (["a"], "F", "approved", ""),
        (["s"], "G", "spam", ""),
        (["r", "5"], "H", "rejected", "Lộ thông tin cá nhân"),
        (["j", "a"], "J", "approved", ""),
        (["k", "s"], "I", "spam", ""),
    ]
    next_up = ["B", "D", "E", "E", "F", "G", "H", "I", "K", "K"]
    for (keys, name, status, reason), following in zip(steps, next_up, strict=True):
        for key in keys:
            page.keyboard.press(key)
        expect(page.locator(".messagelist")).to_contain_text(
            f"Ý kiến của Bạn đọc {name}: {LABEL[status]}"
        )
        # The next comment is the current row at once, with the focus and its ring.
        row = page.locator("#result_list tbody tr:focus")
        expect(row).to_contain_text(f"Bạn đọc {following}")
        expect(current_row(page)).to_contain_text(f"Bạn đọc {following}")
        assert row.evaluate("r => getComputedStyle(r).outlineStyle") != "none"
        log = last_log(by_name[f"Bạn đọc {name}"])
        assert (log.from_status, log.to_status, log.reason) == ("pending", status, reason)
        assert log.moderator == moderator
    screenshot(page, "moderation-queue-keyboard")

    # u presses the Undo in the message: the last Spam is pending again.
    page.keyboard.press("u")
    expect(page.locator(".messagelist")).to_contain_text("Đã hoàn tác: ý kiến của Bạn đọc I")
    by_name["Bạn đọc I"].refresh_from_db()
    assert by_name["Bạn đọc I"].status == "pending"
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    expect(page.locator("#result_list tbody tr:focus")).to_have_count(1)
    assert ModerationLog.objects.filter(moderator=moderator).count() == 11


def assert_fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for results in page.locator("#changelist-form .results").all():
        assert results.evaluate("r => r.scrollWidth <= r.clientWidth")
    for control in page.locator(
        "#result_list .decisions > .button, #result_list summary.button,"
        " #result_list .reject-reasons[open] .button, .messagelist .button"
    ).all():
        box = control.bounding_box()
        assert box["height"] >= 44, control.text_content()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], control.text_content()


def test_a_phone_works_the_queue_one_tap_per_decision(open_page, moderator):
    first, second, third = waiting(3)
    page = open_queue(open_page, moderator, PHONE)
    cards = page.locator("#result_list tbody tr")
    expect(cards).to_have_count(3)
    # A card holds everything a decision needs: the whole body, the article, the
    # name, how long it waited and why it was held, each part labelled.
    card = cards.first
    expect(card).to_contain_text(first.body)
    expect(card).to_contain_text("Đồng Tháp khởi công tuyến đường ven sông nối hai huyện")
    expect(card).to_contain_text("Bạn đọc A")
    expect(card.locator(".field-waited")).to_have_text("dưới 1 phút")
    expect(card).to_contain_text("Lý do giữ lại:")
    label = card.locator(".field-waited").evaluate("c => getComputedStyle(c, '::before').content")
    assert label == '"Đã chờ"'
    assert_fits_the_phone(page)
    screenshot(page, "moderation-queue-phone")

    card.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Ý kiến của Bạn đọc A: đã duyệt.")
    first.refresh_from_db()
    assert first.status == "approved"
    assert_fits_the_phone(page)

    card = cards.first
    expect(card).to_contain_text("Bạn đọc B")
    card.get_by_text("Từ chối…").click()
    assert_fits_the_phone(page)
    screenshot(page, "moderation-queue-phone-reasons")
    card.get_by_role("button", name="Lạc đề").click()
    expect(page.locator(".messagelist")).to_contain_text("Ý kiến của Bạn đọc B: từ chối.")
    assert (last_log(second).to_status, last_log(second).reason) == ("rejected", "Lạc đề")

    cards.first.get_by_role("button", name="Spam", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Ý kiến của Bạn đọc C: spam.")
    expect(cards).to_have_count(0)
    assert_fits_the_phone(page)
    page.locator(".messagelist").get_by_role("button", name="Hoàn tác").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã hoàn tác: ý kiến của Bạn đọc C")
    third.refresh_from_db()
    assert third.status == "pending"
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(third.body)


def test_two_moderators_at_once_are_handed_different_comments(open_page, monkeypatch):
    # A page of two, so that four comments make two moderators' claims.
    monkeypatch.setattr(ModerationQueueAdmin, "list_per_page", 2)
    waiting(4)
    an, binh = make_staff("kiemduyet-an", "Moderators"), make_staff("kiemduyet-binh", "Moderators")
    first = open_queue(open_page, an, WIDE)
    second = open_queue(open_page, binh, WIDE)
    rows = "#result_list tbody tr .field-submission strong"
    expect(first.locator(rows)).to_have_text(["Bạn đọc A", "Bạn đọc B"])
    expect(second.locator(rows)).to_have_text(["Bạn đọc C", "Bạn đọc D"])
    expect(second.locator(".queue-claims")).to_contain_text(
        "2 ý kiến khác đang có người khác xem (kiemduyet-an: 2)."
    )
    screenshot(second, "moderation-queue-two-moderators")

    # Binh's decision hands Binh no comment of An's; An's next load is still An's two.
    second.locator("#result_list tbody tr").first.get_by_role(
        "button", name="Duyệt", exact=True
    ).click()
    expect(second.locator(".messagelist")).to_contain_text("Ý kiến của Bạn đọc C: đã duyệt.")
    expect(second.locator(rows)).to_have_text(["Bạn đọc D"])
    first.reload()
    expect(first.locator(rows)).to_have_text(["Bạn đọc A", "Bạn đọc B"])
    expect(first.locator(".queue-claims")).to_contain_text("1 ý kiến khác")
