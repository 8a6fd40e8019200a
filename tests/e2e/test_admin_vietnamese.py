"""The article form in the browser: what the admin's scripts draw (calendar, clock)
speaks Vietnamese, and "Xem trước" opens the unsaved article in a new tab."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Author
from tests.e2e.content import DESKTOP
from tests.e2e.helpers import log_in, screenshot
from tests.portal.test_admin_vietnamese import english_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Nông dân Tháp Mười xuống giống vụ đông xuân sớm"


class Rendered:
    """The page as the browser holds it after its scripts ran, read like a response."""

    def __init__(self, page):
        self.content = page.content().encode()


def test_the_article_form_speaks_vietnamese_and_previews_before_its_first_save(
    open_page, journalist, newsroom
):
    Author.objects.filter(pk=newsroom["phuc"].pk).update(user=journalist)
    desk = open_page(None, viewport=DESKTOP)
    log_in(desk, journalist)
    desk.goto(reverse("admin:articles_article_add"))

    # The publication time's calendar and clock, drawn by the admin's script.
    desk.locator("#calendarlink0").click()
    calendar = desk.locator("#calendarbox0")
    expect(calendar).to_be_visible()
    for words in ("Hôm qua", "Hôm nay", "Ngày mai", "Huỷ", "CN"):
        expect(calendar).to_contain_text(words)
    screenshot(desk, "admin-calendar")
    desk.keyboard.press("Escape")
    desk.locator("#clocklink0").click()
    clock = desk.locator("#clockbox0")
    expect(clock).to_be_visible()
    for words in ("Chọn giờ", "Bây giờ", "Nửa đêm", "Trưa", "Huỷ"):
        expect(clock).to_contain_text(words)
    desk.keyboard.press("Escape")
    assert english_in(Rendered(desk)) == []

    # Written, never saved, and previewed in a new tab.
    desk.locator("#id_title").fill(TITLE)
    desk.locator("#id_sapo").fill("Nước rút sớm, bà con tranh thủ gieo sạ.")
    body = desk.frame_locator("#cke_id_body iframe").locator("body[contenteditable=true]")
    body.click()
    desk.keyboard.type("Cánh đồng đã khô ráo.")
    desk.locator("#id_section").select_option(label="Nông nghiệp")
    desk.locator("#id_location").fill("Tháp Mười")
    with desk.expect_popup() as opened:
        desk.get_by_role("button", name="Xem trước").click()
    preview = opened.value
    expect(preview.locator("h1")).to_have_text(TITLE)
    expect(preview.locator(".article-body")).to_contain_text("Cánh đồng đã khô ráo.")
    expect(preview.locator(".byline")).to_have_text("Lê Hoàng Phúc – Tháp Mười")
    expect(preview.locator(".preview-banner")).to_contain_text("Bản xem trước")
    screenshot(preview, "admin-preview-unsaved")
    assert not Article.objects.exists()
    # The form is still there, as typed.
    expect(desk.locator("#id_title")).to_have_value(TITLE)
