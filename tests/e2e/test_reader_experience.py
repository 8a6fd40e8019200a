"""What every reader depends on without noticing: accessibility, keyboard use,
contrast, printing and the weight of the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.content import DESKTOP, PHONE
from tests.e2e.helpers import screenshot, text_contrast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

JS_BUDGET = 10 * 1024  # bytes before compression, every script the article page loads
CSS_BUDGET = 30 * 1024

# Form controls a person fills in, and whether each has a label (a <label>,
# aria-label or aria-labelledby). Hidden inputs carry no meaning for people.
UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll("input, textarea, select"))
  .filter((el) => el.type !== "hidden")
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                  && !el.getAttribute("aria-labelledby"))
  .map((el) => el.outerHTML)
"""

# What the keyboard focus is on, and whether it is drawn: an outline or a shadow.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {key: el.id || el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40),
          tag: el.tagName, shown: outline || style.boxShadow !== "none",
          inFooter: !!el.closest("footer")};
}
"""


def comments_loaded(page):
    expect(page.locator(".comments-loading")).to_have_count(0)


def test_pages_speak_vietnamese_and_name_every_image_field_and_button(open_page, story):
    for path in ("/", story.get_absolute_url()):
        page = open_page(path)
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        images = page.locator("img")
        assert images.count() >= 2
        missing_alt = images.evaluate_all(
            "(imgs) => imgs.filter((img) => !(img.getAttribute('alt') || '').trim())"
            ".map((img) => img.src)"
        )
        assert missing_alt == [], "images without alt text"
        if path != "/":
            comments_loaded(page)
        assert page.evaluate(UNLABELLED_FIELDS_JS) == [], "form fields without a label"

        # Every button has an accessible name (the accessibility tree, as a screen
        # reader gets it, lists a button without one as a bare `- button`).
        tree = page.locator("body").aria_snapshot()
        buttons = re.findall(r"^\s*- button\b(.*)$", tree, flags=re.MULTILINE)
        assert buttons, tree
        assert all(re.match(r' "[^"]+"', rest) for rest in buttons), tree

    # The two "A" buttons say what they do; the form's fields and button too.
    expect(page.get_by_role("button", name="Giảm cỡ chữ", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Tăng cỡ chữ", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Cỡ chữ")).to_be_visible()
    expect(page.get_by_role("textbox", name="Ý kiến của bạn")).to_be_visible()
    expect(page.get_by_role("textbox", name="Họ tên")).to_be_visible()
    expect(page.get_by_role("button", name="Gửi", exact=True)).to_be_visible()
    # The honeypot is neither announced nor reachable.
    expect(page.get_by_role("textbox", name="Để trống ô này")).to_have_count(0)
    screenshot(page, "accessibility-article-phone")


CONTRAST_CHECKS = {
    "body text": ".article-body p",
    "sapo": ".sapo",
    "date line": ".dateline",
    "byline": ".byline",
    "photo caption": ".article-cover figcaption",
    "quote": ".article-body blockquote p",
    "related time": ".related time",
    "comment label": ".comment-field label",
    "comment hint": ".comment-hint",
    "comment counter": "#y-kien-counter",
    "send button": ".comment-submit",
    "header date": ".today",
    "footer licence": ".site-footer .licence",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_text_contrast_is_at_least_4_5_to_1(open_page, story, viewport):
    page = open_page(story.get_absolute_url(), viewport=viewport)
    comments_loaded(page)
    ratios = {
        name: text_contrast(page.locator(selector).first)
        for name, selector in CONTRAST_CHECKS.items()
    }
    too_low = {name: round(ratio, 2) for name, ratio in ratios.items() if ratio < 4.5}
    assert not too_low, f"contrast below 4.5:1: {too_low}"
    assert ratios["body text"] >= 7  # the story itself: AAA


def test_keyboard_alone_reaches_and_uses_the_buttons_and_the_comment_form(open_page, story):
    page = open_page(story.get_absolute_url(), viewport=DESKTOP)
    comments_loaded(page)
    body = page.locator(".article-body")
    size_before = body.evaluate("(e) => getComputedStyle(e).fontSize")

    reached, unmarked = [], []
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None or focused["inFooter"]:
            break
        reached.append(focused["key"])
        if not focused["shown"]:
            unmarked.append(focused)
        if focused["key"] == "Tăng cỡ chữ":
            page.keyboard.press("Enter")
            expect(body).not_to_have_css("font-size", size_before)
        elif focused["key"] == "y-kien-body":
            page.keyboard.type("Đọc bằng bàn phím")
            expect(page.locator("#y-kien-counter")).to_have_text("17 / 500 ký tự")
            screenshot(page, "keyboard-focus-comment-box")

    assert reached[0] == "Chuyển đến nội dung chính", "the skip link should come first"
    for key in ("Giảm cỡ chữ", "Tăng cỡ chữ", "y-kien-body", "y-kien-name", "y-kien-email"):
        assert key in reached, f"{key} is not reachable with Tab: {reached}"
    assert "Gửi" in reached
    assert "y-kien-website" not in reached, "the honeypot takes the focus"
    assert reached.index("Tăng cỡ chữ") < reached.index("y-kien-body")
    assert not unmarked, f"focus not drawn on: {unmarked}"


def test_print_shows_the_story_without_menu_comment_form_or_buttons(open_page, story):
    page = open_page(story.get_absolute_url(), viewport=DESKTOP)
    comments_loaded(page)
    expect(page.locator(".menu")).to_be_visible()
    expect(page.locator("form.comment-form")).to_be_visible()

    page.emulate_media(media="print")
    for part in (".menu", ".site-search", "form.comment-form", "[data-font-size]", ".comments"):
        expect(page.locator(part)).to_be_hidden()
    visible_buttons = page.locator("button").evaluate_all(
        "(all) => all.filter((b) => b.checkVisibility()).map((b) => b.outerHTML)"
    )
    assert visible_buttons == [], "buttons on paper"
    for part in (".site-name", "h1", ".dateline", ".sapo", ".article-body", ".byline"):
        expect(page.locator(part).first).to_be_visible()
    screenshot(page, "article-print")


def test_the_article_page_stays_light(open_page, story):
    responses = []
    page = open_page(None)
    page.on("response", lambda response: responses.append(response))
    page.goto(story.get_absolute_url())
    comments_loaded(page)
    page.wait_for_load_state("networkidle")

    origin = re.match(r"https?://[^/]+", page.url).group(0)
    foreign = [r.url for r in responses if not r.url.startswith((origin, "data:"))]
    assert foreign == [], "the page loads from other sites"
    sizes = {"script": {}, "stylesheet": {}}
    for response in responses:
        kind = response.request.resource_type
        if kind in sizes:
            assert response.ok, response.url
            sizes[kind][response.url.removeprefix(origin)] = len(response.body())
    # What the page links is what it loads: nothing added behind its back.
    linked = page.evaluate(
        "() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')]"
        ".map((el) => new URL(el.src || el.href).pathname)"
    )
    assert sorted(linked) == sorted([*sizes["script"], *sizes["stylesheet"]])

    js, css = sum(sizes["script"].values()), sum(sizes["stylesheet"].values())
    assert sizes["script"], "no script loaded: the budget test would prove nothing"
    assert js < JS_BUDGET, f"JavaScript {js} bytes: {sizes['script']}"
    assert css < CSS_BUDGET, f"CSS {css} bytes: {sizes['stylesheet']}"
    screenshot(page, "article-budget-phone")
