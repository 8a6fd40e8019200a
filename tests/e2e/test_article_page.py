"""The article page and the home page as readers see them, on a phone and a desktop."""

import re
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from tests.e2e.content import DESKTOP, PHONE, STORY_DATELINE, STORY_SAPO, STORY_TITLE
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The header's date, e.g. "Thứ Bảy, 27/07/2024 15:42 (GMT +7)".
TODAY = re.compile(
    r"^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), \d\d/\d\d/\d{4} \d\d:\d\d \(GMT \+7\)$"
)
VIEWPORTS = [pytest.param(PHONE, id="phone-390"), pytest.param(DESKTOP, id="desktop-1280")]

SHOWN_IMAGES_LOADED_JS = (
    "() => Array.from(document.images).every((img) => img.complete || !img.checkVisibility())"
)
NO_SIDEWAYS_SCROLL_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"

# Every image shown: loaded, and no wider than the column that holds it (nor the window).
IMAGES_JS = """
(column) => Array.from(document.images).filter((img) => img.checkVisibility()).map((img) => {
  const box = img.getBoundingClientRect();
  const holder = column.contains(img) ? column.getBoundingClientRect() : {width: innerWidth};
  return {src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0,
          width: box.width, natural: img.naturalWidth, room: holder.width};
})
"""

# Characters per line of body text: the column's width over the average width
# of a Vietnamese sentence set in the body's own font.
MEASURE_JS = """
(body) => {
  const probe = document.createElement("span");
  probe.textContent = "Nông dân phấn khởi vì lúa chín đều, hạt chắc, ít sâu bệnh; giá bán ổn định.";
  body.append(probe);
  const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
  probe.remove();
  return body.getBoundingClientRect().width / perChar;
}
"""


def px(value: str) -> float:
    assert value.endswith("px"), value
    return float(value[:-2])


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_article_reads_in_one_column_without_sideways_scrolling(open_page, story, viewport):
    page = open_page(story.get_absolute_url(), viewport=viewport)
    article = page.locator("article.article")

    # The hierarchy a reader scans: date line, title, sapo, body, byline.
    expect(article.locator(".dateline")).to_have_text(STORY_DATELINE)
    expect(page.get_by_role("heading", level=1)).to_have_text(STORY_TITLE)
    expect(article.locator(".sapo")).to_have_text(STORY_SAPO)
    expect(article.locator(".article-body")).to_contain_text("tiếng máy gặt đập liên hợp")
    expect(article.locator(".byline")).to_have_text("Nguyễn Thanh Tâm, Lê Hoàng Phúc – Tháp Mười")
    for part in (".dateline", "h1", ".sapo", ".article-body", ".byline"):
        expect(article.locator(part)).to_be_visible()
    tops = [article.locator(part).bounding_box()["y"] for part in (".dateline", "h1", ".sapo")]
    tops += [article.locator(part).bounding_box()["y"] for part in (".article-body", ".byline")]
    assert tops == sorted(tops), "date line, title, sapo, body and byline out of order"
    # The sapo is bold; the byline sits at the right end of the column.
    assert int(article.locator(".sapo").evaluate("(e) => getComputedStyle(e).fontWeight")) >= 700
    assert article.locator(".byline").evaluate("(e) => getComputedStyle(e).textAlign") == "right"

    # Images (the cover and a 1600 px photo in the body) load and fit the column.
    page.wait_for_function(SHOWN_IMAGES_LOADED_JS)
    images = page.evaluate(IMAGES_JS, article.element_handle())
    assert len(images) >= 2
    for image in images:
        assert image["loaded"], f"image did not load: {image['src']}"
        assert image["width"] <= image["room"] + 0.5, f"image wider than its column: {image}"
    body_photo = article.locator(".article-body img")
    assert body_photo.bounding_box()["width"] < 1600

    # Type made for Vietnamese: at least 18 px, with room for marks above and
    # below the line (ệ, Ỗ): a line height of at least 1.5.
    style = article.locator(".article-body p").first.evaluate(
        "(e) => [getComputedStyle(e).fontSize, getComputedStyle(e).lineHeight]"
    )
    size, line_height = px(style[0]), px(style[1])
    assert size >= 18
    assert line_height >= 1.5 * size
    if viewport == DESKTOP:
        # A column of about 65-75 characters on a wide screen, not the full width.
        measure = article.locator(".article-body").evaluate(MEASURE_JS)
        assert 60 <= measure <= 80, f"{measure:.0f} characters per line"

    screenshot(page, f"article-{'phone-390' if viewport == PHONE else 'desktop-1280'}")
    # Last, after everything has loaded and been laid out.
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS), "the page scrolls sideways"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_page_shows_the_news_with_a_menu_that_collapses_on_phones(open_page, story, viewport):
    page = open_page("/", viewport=viewport)
    name = "phone-390" if viewport == PHONE else "desktop-1280"

    expect(page.locator(".site-name")).to_have_text("Báo Phù Sa")
    expect(page.locator(".today")).to_have_text(TODAY)
    expect(page.locator(".card--featured .card-title")).to_be_visible()
    expect(page.get_by_role("link", name=STORY_TITLE).first).to_be_visible()
    expect(page.locator(".site-footer address")).to_contain_text("tỉnh Phù Sa")

    for image in page.locator("main img:visible").all():  # lazy ones load when scrolled to
        image.scroll_into_view_if_needed()
    page.wait_for_function(SHOWN_IMAGES_LOADED_JS)
    images = page.evaluate(IMAGES_JS, page.locator("main").element_handle())
    assert images and all(image["loaded"] for image in images), images
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS), "the page scrolls sideways"

    # The front page's layout (first screen, each story once) is measured in
    # tests/e2e/test_frontpage.py.

    menu_link = page.locator(".menu nav").get_by_role("link", name="Nông nghiệp")
    if viewport == PHONE:
        expect(menu_link).to_be_hidden()
        screenshot(page, f"home-{name}")
        page.get_by_text("Chuyên mục", exact=True).click()
        expect(menu_link).to_be_visible()
        screenshot(page, "home-phone-390-menu-open")
    else:
        expect(menu_link).to_be_visible()
        expect(page.get_by_text("Chuyên mục", exact=True)).to_be_hidden()
        screenshot(page, f"home-{name}")

    menu_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nông nghiệp")


def font_size(page) -> float:
    return px(page.locator(".article-body").evaluate("(e) => getComputedStyle(e).fontSize"))


def test_font_size_buttons_change_the_article_text_and_the_choice_is_kept(open_page, story):
    page = open_page(story.get_absolute_url())
    smaller = page.get_by_role("button", name="Giảm cỡ chữ")
    larger = page.get_by_role("button", name="Tăng cỡ chữ")
    expect(smaller).to_be_visible()
    expect(larger).to_be_visible()
    start = font_size(page)
    title_size = page.locator("h1").evaluate("(e) => getComputedStyle(e).fontSize")

    sizes = [start]
    while larger.is_enabled():
        larger.click()
        page.wait_for_function(
            "(before) => parseFloat(getComputedStyle(document.querySelector('.article-body'))"
            ".fontSize) > before",
            arg=sizes[-1],
        )
        sizes.append(font_size(page))
        assert len(sizes) < 10, "the larger button never stops"
    # Visible steps (at least 1 px each), within sane bounds.
    assert len(sizes) >= 3
    assert all(b - a >= 1 for a, b in pairwise(sizes)), sizes
    assert sizes[-1] <= 32
    # The sapo and the byline follow the body; the title keeps its size.
    for part in (".sapo", ".byline"):
        assert px(page.locator(part).evaluate("(e) => getComputedStyle(e).fontSize")) == sizes[-1]
    assert page.locator("h1").evaluate("(e) => getComputedStyle(e).fontSize") == title_size
    screenshot(page, "font-size-largest")

    page.reload()
    expect(larger).to_be_disabled()
    assert font_size(page) == sizes[-1], "the larger text was forgotten"

    while smaller.is_enabled():
        before = font_size(page)
        smaller.click()
        page.wait_for_function(
            "(before) => parseFloat(getComputedStyle(document.querySelector('.article-body'))"
            ".fontSize) < before",
            arg=before,
        )
        assert before - font_size(page) >= 1
    smallest = font_size(page)
    assert 14 <= smallest < start
    page.reload()
    expect(smaller).to_be_disabled()
    assert font_size(page) == smallest, "the smaller text was forgotten"
    screenshot(page, "font-size-smallest")
