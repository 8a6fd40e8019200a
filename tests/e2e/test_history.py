"""An article's history and corrections in the browser: two revisions compared
and one restored on a phone; a correction written in the admin reaches the
public page and its structured data."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles import revisions
from articles.models import Article
from articles.services import save_article
from portal.dates import iso_datetime
from tests.e2e.content import DESKTOP, STORY_BODY
from tests.e2e.helpers import log_in, parse_color, screenshot
from tests.factories import make_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIRST_TITLE = "Nước lũ dâng cao ở Hồng Ngự, người dân chủ động chằng chống nhà cửa"
SECOND_TITLE = "Nước lũ rút nhanh ở Hồng Ngự, người dân chủ động chằng chống nhà cửa"


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_two_revisions_are_compared_and_one_restored_on_a_phone(open_page, editor):
    article = make_article(
        title=FIRST_TITLE,
        body="<p>Giá lúa 7.000 đồng một ký ở https://example.vn/"
        "mot-dia-chi-rat-dai-khong-co-cho-xuong-dong-nao-ca</p>"
        + STORY_BODY.format(figure_url="/static/x.jpg", width=1600, height=900),
    )
    first = revisions.revisions_of(article)[0]
    article.title = SECOND_TITLE
    article.body = article.body.replace("7.000", "7.500")
    save_article(article=article, by=editor)
    page = open_page(None)
    log_in(page, editor)

    page.goto(reverse("admin:articles_article_history", args=[article.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lịch sử")
    no_sideways_scroll(page)
    screenshot(page, "history-phone")
    page.get_by_role("button", name="So sánh hai phiên bản đã chọn").click()
    expect(page.locator("#diff-title ins")).to_have_text("rút nhanh")
    expect(page.locator("#diff-title del")).to_have_text("dâng cao")
    ins = parse_color(
        page.locator("#diff-title ins").evaluate("e => getComputedStyle(e).backgroundColor")
    )
    dele = parse_color(
        page.locator("#diff-title del").evaluate("e => getComputedStyle(e).backgroundColor")
    )
    assert ins[1] > ins[0] and dele[0] > dele[1]  # green for added, red for removed
    no_sideways_scroll(page)
    screenshot(page, "compare-phone")

    page.goto(reverse("admin:articles_article_restore", args=[article.pk, first.pk]))
    no_sideways_scroll(page)
    page.get_by_role("button", name="Có, khôi phục phiên bản này").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã khôi phục")
    no_sideways_scroll(page)
    screenshot(page, "history-after-restore-phone")

    article.refresh_from_db()
    assert article.title == FIRST_TITLE and "7.000" in article.body
    # The restore is a revision of its own: history is never rewritten.
    assert len(revisions.revisions_of(article)) == 3
    reader = open_page(article.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text(FIRST_TITLE)


def test_a_correction_reaches_the_page_and_its_structured_data(open_page, editor, story):
    desk = open_page(None, viewport=DESKTOP)
    log_in(desk, editor)
    desk.goto(reverse("admin:articles_article_change", args=[story.pk]))
    group = desk.locator("#corrections-group")
    group.locator(".add-row a").click()
    text = "Bài viết trước đây ghi nhầm diện tích lúa là 1.500 ha; đúng là 15.000 ha."
    group.locator("textarea").first.fill(text)
    desk.locator("input[name=_save]").click()
    expect(desk.locator(".messagelist .success").first).to_be_visible()
    correction = Article.objects.get(pk=story.pk).corrections.get()
    local = timezone.localtime(correction.created_at)

    reader = open_page(story.get_absolute_url(), viewport=DESKTOP)
    shown = reader.locator(".corrections")
    expect(shown).to_contain_text(f"Đính chính lúc {local:%d/%m/%Y %H:%M}")
    expect(shown).to_contain_text(text)
    expect(reader.locator(".revised")).to_contain_text("Cập nhật lúc")
    # Under the body, before the tags and the comments.
    below = reader.evaluate(
        "() => document.querySelector('.article-body').getBoundingClientRect().bottom"
        " <= document.querySelector('.corrections').getBoundingClientRect().top"
    )
    assert below
    data = json.loads(reader.locator("script[type='application/ld+json']").first.inner_text())
    revised = Article.objects.get(pk=story.pk).revised_at
    assert revised >= correction.created_at
    assert data["dateModified"] == iso_datetime(revised)
    screenshot(reader, "correction-article-page")
