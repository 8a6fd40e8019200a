"""The front page in the browser: full first screen on a desktop, each story once
on a phone, and an editor choosing the lead in the admin."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from demo.covers import MOTIF_ALT
from tests.e2e.content import PHONE, draw
from tests.e2e.helpers import log_in, screenshot
from tests.factories import make_article, make_section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDE = {"width": 1366, "height": 768}
MOTIFS = ["bridge", "boats", "fields", "houses", "flags", "palms"]
SECTIONS = ["Thời sự", "Kinh tế", "Nông nghiệp", "Xã hội", "Văn hóa – Thể thao", "Du lịch"]
HEADLINES = [
    "Khởi công tuyến đê bao chống sạt lở dài 12 km ven sông Tiền",
    "Giá lúa Đông Xuân tăng nhẹ, nông dân phấn khởi",
    "Thương lái thu mua xoài cát Hòa Lộc xuất khẩu sang Nhật Bản",
    "Hơn 2.000 học sinh được nhận học bổng vượt khó đến trường",
    "Lễ hội Đua ghe ngo thu hút hàng vạn người xem",
    "Đón đoàn khách du lịch đầu tiên đi tàu cao tốc từ TP.HCM",
]


@pytest.fixture
def paper():
    """A day's paper: 25 stories with covers in six sections, newest first by the hour."""
    sections = [make_section(name=name, position=n) for n, name in enumerate(SECTIONS)]
    now = timezone.now()
    stories = []
    for n in range(25):
        motif = MOTIFS[n % 6]
        stories.append(
            make_article(
                section=sections[n % 6],
                title=f"{HEADLINES[n % 6]} ({n + 1})",
                sapo="Tin trong ngày của phóng viên Báo Phù Sa tại các huyện, thành phố "
                "trong tỉnh, cập nhật liên tục từ sáng sớm.",
                published_at=now - timedelta(hours=n + 1),
                cover_image=draw(motif, seed=f"front-{n}", size=(640, 360)),
                cover_alt=MOTIF_ALT[motif],
            )
        )
    return stories


# For each column of the first screen (left of the right-hand column, and in
# it), the tallest band with nothing in it, from the top of the page's content
# to the bottom of the window.
BLANK_BANDS_JS = """
() => {
  const limit = innerHeight;
  const top = document.querySelector("main").getBoundingClientRect().top;
  const aside = document.querySelector(".home-aside").getBoundingClientRect();
  const parts = document.querySelectorAll(
    "main :is(.card, .block-heading, .headline-list li, .most-read li, .most-read-period)");
  const columns = {left: [], right: []};
  for (const part of parts) {
    const box = part.getBoundingClientRect();
    if (!box.height || box.top >= limit) continue;
    columns[box.left >= aside.left - 1 ? "right" : "left"].push([box.top, box.bottom]);
  }
  const blank = {};
  for (const [name, spans] of Object.entries(columns)) {
    spans.sort((a, b) => a[0] - b[0]);
    let reached = top, widest = 0;
    for (const [from, to] of spans) {
      widest = Math.max(widest, from - reached);
      reached = Math.max(reached, to);
    }
    blank[name] = Math.max(widest, limit - reached);
  }
  return blank;
}
"""


def test_desktop_first_screen_is_full_with_the_lead_tieu_diem_and_tin_moi(open_page, paper):
    page = open_page("/", viewport=WIDE)

    lead = page.locator(".home-top .card--featured")
    expect(lead.get_by_role("link", name=paper[0].title)).to_be_visible()
    featured = page.locator(".home-featured .card")
    expect(featured).to_have_count(4)
    latest = page.locator(".home-latest .headline-list li")
    expect(latest.first).to_be_visible()

    screen = WIDE["height"]
    assert lead.bounding_box()["y"] + lead.bounding_box()["height"] <= screen
    for card in featured.all():  # every Tiêu điểm story is on the first screen, whole
        box = card.bounding_box()
        assert box["y"] + box["height"] <= screen, box
    heading = page.locator("#tin-moi").bounding_box()
    assert heading["y"] < lead.bounding_box()["y"] + 10, "Tin mới starts beside the lead"
    assert heading["x"] > lead.bounding_box()["x"] + lead.bounding_box()["width"]
    in_view = [li for li in latest.all() if li.bounding_box()["y"] < screen]
    assert len(in_view) >= 6, "Tin mới fills its column"

    blank = page.evaluate(BLANK_BANDS_JS)
    assert max(blank.values()) <= 48, f"blank bands in the first screen: {blank}"
    screenshot(page, "frontpage-desktop-1366")


def test_phone_shows_each_story_once_on_a_short_page(open_page, paper):
    page = open_page("/", viewport=PHONE)
    expect(page.locator(".home-top .card--featured")).to_be_visible()

    hrefs = page.locator("main a[href$='.html']:not(.most-read a)").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    twice = {href for href in hrefs if hrefs.count(href) > 1}
    assert not twice, f"stories shown twice: {twice}"
    assert len(hrefs) == len(paper), "every story of the day is on the front page"

    screens = page.evaluate("() => document.documentElement.scrollHeight") / PHONE["height"]
    assert screens <= 6, f"the front page is {screens:.1f} screens long"
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "frontpage-phone-390")


def test_an_editor_sets_the_lead_story_and_the_home_page_shows_it(open_page, paper, editor):
    chosen, featured = paper[9], paper[14]
    reader = open_page("/", viewport=WIDE)
    lead_link = reader.locator(".home-top .card--featured .card-title a")
    expect(lead_link).to_have_attribute("href", paper[0].get_absolute_url())

    admin = open_page(None, viewport=WIDE)
    log_in(admin, editor)
    admin.goto(reverse("admin:articles_article_changelist"))
    admin.locator("#result_list tr", has_text=chosen.title).locator(".action-select").check()
    admin.locator("select[name=action]").select_option("set_as_lead")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist .success")).to_contain_text(
        f"“{chosen.title}” là tin chính trang chủ."
    )

    # Tiêu điểm through the picks' own form, the article found by the autocomplete.
    admin.goto(reverse("admin:articles_frontpagepick_add"))
    admin.locator("#id_article + .select2 .select2-selection").click()
    admin.locator(".select2-container--open .select2-search__field").fill(f"({15})")
    admin.locator(".select2-results__option", has_text=featured.title).click()
    admin.locator("#id_place").select_option("featured")
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist .success")).to_be_visible()
    expect(admin.locator("#result_list")).to_contain_text("Đang hiện")
    screenshot(admin, "frontpage-picks-admin")

    # The reader's cached home was retired: the chosen story leads, the picked one is featured.
    reader.reload()
    expect(lead_link).to_have_attribute("href", chosen.get_absolute_url())
    expect(lead_link).to_have_text(chosen.title)
    first_featured = reader.locator(".home-featured .card-title a").first
    expect(first_featured).to_have_attribute("href", featured.get_absolute_url())
    expect(reader.locator("main").get_by_role("link", name=chosen.title)).to_have_count(1)
    screenshot(reader, "frontpage-editor-lead")
    lead_link.click()
    expect(reader).to_have_url(re.compile(re.escape(chosen.get_absolute_url()) + "$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(chosen.title)
