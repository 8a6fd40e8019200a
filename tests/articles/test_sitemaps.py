"""Sitemaps (index, articles, sections, authors, tags), Google News sitemap, robots.txt."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
DRAFT = Article.Status.DRAFT


def xml(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(client, path):
    return [url.findtext(f"{SM}loc") for url in xml(client, path).iter(f"{SM}url")]


def absolute(path):
    return f"http://testserver{path}"


@pytest.fixture
def unpublished():
    """A draft and a scheduled article, each in a section and by an author of its own."""
    draft = make_article(title="Bản nháp", status=DRAFT, authors=[make_author()])
    scheduled = make_article(title="Tin hẹn giờ", published_at=timezone.now() + timedelta(hours=3))
    tag = Tag.objects.create(name="Chưa đăng")
    draft.tags.add(tag)
    scheduled.tags.add(tag)
    return [draft, scheduled]


def test_index_points_at_each_sitemap_with_lastmod(client):
    make_article(published_at=datetime(2024, 2, 13, 10, 0, tzinfo=UTC))

    root = xml(client, reverse("sitemap"))

    entries = {s.findtext(f"{SM}loc"): s.findtext(f"{SM}lastmod") for s in root}
    for name in ("bai-viet", "chuyen-muc", "tac-gia", "the"):
        assert absolute(f"/sitemap-{name}.xml") in entries
    assert entries[absolute("/sitemap-chuyen-muc.xml")].startswith("2024-02-13")
    assert all(entries[absolute(f"/sitemap-{n}.xml")] for n in ("bai-viet", "tac-gia"))


def test_article_sitemap_lists_published_articles_only(client, unpublished):
    article = make_article()

    root = xml(client, "/sitemap-bai-viet.xml")

    [url] = root.findall(f"{SM}url")
    assert url.findtext(f"{SM}loc") == absolute(article.get_absolute_url())
    assert url.findtext(f"{SM}lastmod") == f"{timezone.localdate(article.updated_at):%Y-%m-%d}"


def test_sections_authors_and_tags_appear_only_with_published_articles(client, unpublished):
    tag = Tag.objects.create(name="Sen Tháp Mười")
    author = make_author()
    article = make_article(authors=[author])
    article.tags.add(tag)
    make_section(name="Chuyên mục trống")

    assert locations(client, "/sitemap-chuyen-muc.xml") == [
        absolute(article.section.get_absolute_url())
    ]
    assert locations(client, "/sitemap-tac-gia.xml") == [absolute(author.get_absolute_url())]
    assert locations(client, "/sitemap-the.xml") == [absolute(tag.get_absolute_url())]


def test_news_sitemap_holds_the_last_48_hours(client, unpublished):
    now = datetime(2024, 7, 27, 8, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        fresh = make_article(title="Lũ về sớm & nhanh", published_at=now - timedelta(hours=47))
        make_article(title="Tin cũ", published_at=now - timedelta(hours=49))

        root = xml(client, reverse("sitemap-news"))

    [url] = root.findall(f"{SM}url")
    assert url.findtext(f"{SM}loc") == absolute(fresh.get_absolute_url())
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Báo Phù Sa"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "vi"
    assert news.findtext(f"{NEWS}publication_date") == "2024-07-25T16:00:00+07:00"
    assert news.findtext(f"{NEWS}title") == "Lũ về sớm & nhanh"


def test_unpublished_articles_appear_in_no_sitemap(client, unpublished):
    make_article(title="Tin đã đăng")
    paths = [
        "/sitemap-bai-viet.xml",
        "/sitemap-chuyen-muc.xml",
        "/sitemap-tac-gia.xml",
        "/sitemap-the.xml",
        "/sitemap-news.xml",
    ]

    everything = " ".join(client.get(p).content.decode() for p in paths)

    for article in unpublished:
        assert f"-{article.pk}.html" not in everything
        assert article.section.slug not in everything
    assert "chua-dang" not in everything
    assert unpublished[0].authors.get().slug not in everything


def test_unknown_sitemap_is_a_404(client):
    assert client.get("/sitemap-khong-co.xml").status_code == 404


def test_sitemap_index_costs_a_few_queries_whatever_the_number_of_articles(
    client, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(30):
        make_article()

    with django_assert_max_num_queries(8):
        client.get(reverse("sitemap"))


def test_robots_txt_points_at_the_sitemaps(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /xem-truoc/" in lines
    assert "Disallow: /" not in lines  # the site itself stays open to crawlers


def test_the_search_form_is_indexable_and_its_results_are_not(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    # A prefix rule: every address with a query is closed, the form itself open.
    assert "Disallow: /tim-kiem/?" in lines
    assert "Disallow: /tim-kiem/" not in lines

    form = client.get(reverse("articles:search"))
    results = client.get(reverse("articles:search"), {"q": "lúa"})

    assert b'name="robots"' not in form.content
    assert b'<meta name="robots" content="noindex, follow">' in results.content
