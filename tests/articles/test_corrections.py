"""Corrections (Đính chính) and the "Cập nhật lúc" time: the admin inline, the
public page, when an article counts as revised, and what crawlers and feeds read."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services, workflow
from articles.models import Article, Byline, Correction, Tag
from tests.articles.test_admin import change_url
from tests.factories import make_article, make_author, make_section, staff_browser
from tests.pages import read

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
CORRECTED = datetime(2026, 12, 2, 7, 5, tzinfo=UTC)  # 14:05 in Vietnam
TEXT = "Bài viết ghi cầu dài 300 m; cầu dài 350 m. Báo Phù Sa xin cáo lỗi cùng bạn đọc."
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture(autouse=True)
def _read_just_after_the_correction():
    """Pages are read a minute after CORRECTED, as a reader would read them:
    the page cache's purges (generations kept a day in the cache) are then
    still there, whatever day the suite runs on."""
    with time_machine.travel(CORRECTED + timedelta(minutes=1), tick=False):
        yield


@pytest.fixture
def article():
    with time_machine.travel(PUBLISHED, tick=False):
        return make_article(title="Cao Lãnh khánh thành cầu mới", published_at=PUBLISHED)


def save(article, *, at=CORRECTED, related=None):
    """``article`` stored at ``at`` as the newsroom stores it, and what follows
    the commit done (the page cache forgets what the save changed)."""
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        services.save_article(article=article, by=None, related=related)


def correct(article, text=TEXT, at=CORRECTED):
    """A correction added as the admin adds one: saved with the article."""
    save(article, at=at, related=lambda: Correction.objects.create(article=article, text=text))
    article.refresh_from_db()
    return article


def stored_revision(article):
    return Article.objects.values_list("revised_at", flat=True).get(pk=article.pk)


def added_row(page, text, **changes) -> dict:
    """The article form of ``page`` with one correction row typed in after the others."""
    data = read(page).form_data("article_form", press="Lưu", **changes)
    n = int(data["corrections-TOTAL_FORMS"])
    data.update(
        {
            "corrections-TOTAL_FORMS": [str(n + 1)],
            f"corrections-{n}-text": [text],
            f"corrections-{n}-id": [""],
            f"corrections-{n}-article": [str(page.context["original"].pk)],
        }
    )
    return data


# The admin


def test_an_editor_adds_a_correction_in_the_article_form(editor, article, committed):
    browser = staff_browser(editor)
    page = browser.get(change_url(article))
    assert page.status_code == 200
    assert "corrections-TOTAL_FORMS" in page.text

    with time_machine.travel(CORRECTED, tick=False), committed() as announced:
        response = browser.post(change_url(article), added_row(page, TEXT))

    assert response.status_code == 302, response.context and response.context["errors"]
    [correction] = article.corrections.all()
    assert (correction.text, correction.created_at) == (TEXT, CORRECTED)
    assert stored_revision(article) == CORRECTED
    # Its pages are retired from the page cache after the commit.
    assert len(announced) == 1 and article.pk in announced[0].articles
    # Shown again with its time, read-only.
    again = browser.get(change_url(article)).text
    assert TEXT in again
    assert re.search(r'<td class="field-at">\s*<p>02/12/2026 14:05</p>', again)


def test_a_cached_article_page_shows_the_correction_once_saved(client, editor, article, committed):
    assert "Đính chính" not in client.get(article.get_absolute_url()).text  # now cached
    browser = staff_browser(editor)
    page = browser.get(change_url(article))

    with time_machine.travel(CORRECTED, tick=False), committed():
        browser.post(change_url(article), added_row(page, TEXT))

    assert TEXT in client.get(article.get_absolute_url()).text


def test_the_add_page_has_no_correction_rows(editor):
    page = staff_browser(editor).get(reverse("admin:articles_article_add"))

    assert page.status_code == 200
    assert "corrections-TOTAL_FORMS" not in page.text


def test_a_journalist_sees_corrections_but_cannot_add_or_change_them(journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    Correction.objects.create(article=draft, text="Đính chính cũ.")
    browser = staff_browser(journalist)

    page = browser.get(change_url(draft))

    assert page.status_code == 200
    assert "Đính chính cũ." in page.text
    assert 'name="corrections-0-text"' not in page.text  # shown, not editable
    [inline] = [f for f in page.context["inline_admin_formsets"] if f.opts.model is Correction]
    assert not inline.has_add_permission and not inline.has_change_permission

    data = added_row(page, "Đính chính của phóng viên.", sapo="Sapo phóng viên sửa.")
    data["corrections-0-text"] = ["Phóng viên sửa đính chính."]
    response = browser.post(change_url(draft), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Article.objects.get(pk=draft.pk).sapo == "Sapo phóng viên sửa."  # the rest is saved
    assert list(draft.corrections.values_list("text", flat=True)) == ["Đính chính cũ."]


def test_an_editor_changes_and_deletes_corrections(editor, article, committed):
    first = Correction.objects.create(article=article, text="Đính chính thứ nhất.")
    second = Correction.objects.create(article=article, text="Đính chính thứ hai.")
    browser = staff_browser(editor)
    page = browser.get(change_url(article))
    data = read(page).form_data("article_form", press="Lưu")
    data["corrections-0-text"] = ["Đính chính thứ nhất, đã sửa."]
    data["corrections-1-DELETE"] = ["on"]

    with committed():
        response = browser.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(article.corrections.values_list("pk", "text")) == [
        (first.pk, "Đính chính thứ nhất, đã sửa.")
    ]
    assert not Correction.objects.filter(pk=second.pk).exists()
    assert stored_revision(article) is not None


def test_an_unchanged_form_saved_again_revises_nothing(editor, committed):
    article = make_article(
        body="<p>Đoạn <strong>một</strong> có <a href='https://dongthap.gov.vn'>liên kết</a>.</p>"
        "<ul><li>Ý thứ nhất</li></ul>",
        cover_caption="Cầu nhìn từ bờ Bắc",
    )
    article.tags.add(Tag.objects.create(name="Giao thông"))
    Correction.objects.create(article=article, text=TEXT)
    browser = staff_browser(editor)
    page = browser.get(change_url(article))

    with committed():
        response = browser.post(
            change_url(article), read(page).form_data("article_form", press="Lưu")
        )

    assert response.status_code == 302, response.context and response.context["errors"]
    assert stored_revision(article) is None


# When an article counts as revised


def test_a_correction_dates_the_update(article):
    correct(article)

    assert article.revised_at == CORRECTED


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a: setattr(a, "title", "Cầu mới dài 350 m"), id="title"),
        pytest.param(lambda a: setattr(a, "sapo", "Cầu dài 350 m."), id="sapo"),
        pytest.param(lambda a: setattr(a, "body", "<p>Đã sửa.</p>"), id="body"),
        pytest.param(lambda a: setattr(a, "cover_caption", "Cầu mới"), id="caption"),
        pytest.param(lambda a: setattr(a, "cover_credit", "Thanh Tâm"), id="credit"),
        pytest.param(lambda a: setattr(a, "location", "Sa Đéc"), id="location"),
        pytest.param(lambda a: setattr(a, "section", make_section()), id="section"),
    ],
)
def test_a_change_readers_see_after_publication_dates_the_update(article, change):
    change(article)
    save(article)

    assert stored_revision(article) == article.revised_at == CORRECTED


def test_bylines_tags_and_corrections_count(article):
    second = make_author()
    tag = Tag.objects.create(name="Cầu đường")
    changes = [
        lambda: Byline.objects.create(article=article, author=second, position=1),
        lambda: article.bylines.exclude(author=second).update(position=2),  # the order
        lambda: article.tags.add(tag),
        lambda: Correction.objects.create(article=article, text=TEXT),
        lambda: article.corrections.update(text="Đính chính đã sửa."),
        lambda: article.corrections.all().delete(),
    ]
    for hour, change in enumerate(changes, start=1):
        at = CORRECTED + timedelta(hours=hour)
        save(article, at=at, related=change)
        assert stored_revision(article) == at, hour


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a: setattr(a, "comments_open", False), id="comments_open"),
        pytest.param(lambda a: None, id="nothing"),
    ],
)
def test_a_save_readers_see_nothing_of_dates_nothing(article, change):
    change(article)
    save(article)

    assert stored_revision(article) is None


def test_a_draft_or_a_scheduled_article_edited_is_not_revised():
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))
    for unpublished in (draft, scheduled):
        unpublished.title = "Tiêu đề sửa trước khi đăng"
        save(
            unpublished,
            at=timezone.now(),
            related=lambda a=unpublished: Correction.objects.create(article=a, text=TEXT),
        )
        assert stored_revision(unpublished) is None


def test_publishing_and_taking_down_are_not_updates():
    draft = make_article(status=Article.Status.DRAFT)
    draft.title = "Tiêu đề lúc xuất bản"
    workflow.publish(article=draft, by=None)
    assert stored_revision(draft) is None

    draft.title = "Tiêu đề lúc gỡ"
    workflow.unpublish(article=draft, by=None)
    assert stored_revision(draft) is None


# The public page


def test_the_article_page_shows_corrections_under_the_body_with_their_time(client, article):
    correct(article, text="Đính chính <b>thứ nhất</b>.")
    correct(article, text="Đính chính thứ hai.", at=CORRECTED + timedelta(days=1))

    page = client.get(article.get_absolute_url()).text

    first = (
        '<p class="correction"><strong>Đính chính lúc '
        '<time datetime="2026-12-02T14:05:00+07:00">02/12/2026 14:05</time>:</strong> '
        "Đính chính &lt;b&gt;thứ nhất&lt;/b&gt;.</p>"
    )
    second = '<time datetime="2026-12-03T14:05:00+07:00">03/12/2026 14:05</time>:</strong> Đính'
    assert first in page and second in page
    assert page.index('class="article-body"') < page.index(first) < page.index(second)


def test_cap_nhat_luc_beside_the_date_line_only_once_revised(client, article):
    dateline = '<time class="dateline" datetime="2026-12-01T08:00:00+07:00">'
    page = client.get(article.get_absolute_url()).text
    assert dateline in page and "Cập nhật lúc" not in page

    correct(article)
    page = client.get(article.get_absolute_url()).text

    revised = (
        '<time class="revised" datetime="2026-12-02T14:05:00+07:00">'
        "Cập nhật lúc 02/12/2026 14:05</time>"
    )
    assert revised in page
    assert page.index(dateline) < page.index(revised) < page.index('class="article-title"')


def test_corrections_cost_no_query_each(client, settings, article):
    settings.PAGE_CACHE_SECONDS = 0
    correct(article)

    def queries():
        client.get(article.get_absolute_url())  # the section menu cached again after a save
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        correct(article, text=f"Đính chính số {n}.", at=CORRECTED + timedelta(hours=n + 1))
    assert queries() == one


# What crawlers and feeds read


def json_ld(html):
    [block] = JSON_LD.findall(html)
    return json.loads(block)


def test_json_ld_date_modified_follows_the_update(client, article):
    page = client.get(article.get_absolute_url()).text
    assert json_ld(page)["dateModified"] == "2026-12-01T08:00:00+07:00"

    # A save readers see nothing of leaves it.
    article.comments_open = False
    save(article, at=CORRECTED - timedelta(hours=1))
    page = client.get(article.get_absolute_url()).text
    assert json_ld(page)["dateModified"] == "2026-12-01T08:00:00+07:00"

    correct(article)
    page = client.get(article.get_absolute_url()).text
    assert json_ld(page)["dateModified"] == "2026-12-02T14:05:00+07:00"
    assert json_ld(page)["datePublished"] == "2026-12-01T08:00:00+07:00"
    assert '<meta property="article:modified_time" content="2026-12-02T14:05:00+07:00">' in page


def test_sitemap_lastmod_follows_the_update(client, article):
    other = make_article(published_at=PUBLISHED - timedelta(days=3))
    other.comments_open = False  # readers see nothing of it: lastmod stays
    save(other, at=PUBLISHED + timedelta(days=5))
    correct(article, at=PUBLISHED + timedelta(days=2))

    root = ET.fromstring(client.get("/sitemap-bai-viet.xml").content)
    lastmods = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root}
    index = ET.fromstring(client.get(reverse("sitemap")).content)
    latest = {s.findtext(f"{SM}loc"): s.findtext(f"{SM}lastmod") for s in index}

    assert lastmods[f"http://testserver{article.get_absolute_url()}"] == "2026-12-03"
    assert lastmods[f"http://testserver{other.get_absolute_url()}"] == "2026-11-28"
    assert latest["http://testserver/sitemap-bai-viet.xml"].startswith("2026-12-03T08:00:00")


def test_feed_last_build_date_follows_the_update(client, article):
    def last_build():
        feed = ET.fromstring(client.get(reverse("articles:feed")).content)
        return feed.find("channel").findtext("lastBuildDate")

    assert last_build() == "Tue, 01 Dec 2026 08:00:00 +0700"
    correct(article)
    assert last_build() == "Wed, 02 Dec 2026 14:05:00 +0700"
