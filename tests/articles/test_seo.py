"""What crawlers and share previews read on an article page, and the share buttons."""

import io
import json
import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from articles.models import Article
from articles.renditions import share_image_url
from articles.services import save_article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2024, 2, 13, 10, 38, 6, tzinfo=UTC)  # 17:38:06 in Vietnam
EDITED = datetime(2024, 2, 14, 1, 0, 0, tzinfo=UTC)  # 08:00:00 in Vietnam
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 64), (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("song.jpg", buffer.getvalue(), "image/jpeg")


def meta(html, key):
    """The content of ``<meta property|name="key" content="...">``."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return found and found.group(1)


def json_ld(html):
    [block] = JSON_LD.findall(html)
    return json.loads(block)


@pytest.fixture
def article():
    """Published, then its sapo edited the next morning: readers' content changed."""
    with time_machine.travel(PUBLISHED, tick=False):
        article = make_article(
            title="Cao Lãnh khánh thành cầu mới",
            sapo="Cây cầu dài 300 m nối hai bờ sông.",
            cover_image=jpeg(),
            cover_alt="Cầu mới",
            published_at=PUBLISHED,
            authors=[make_author(name="Lê Minh Tâm"), make_author(name="Trần Hoa")],
        )
    with time_machine.travel(EDITED, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        article.sapo = "Cây cầu dài 300 m nối hai bờ sông Tiền."
        save_article(article=article, by=None)
    return article


@pytest.fixture
def page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def test_canonical_and_description(page, article):
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
    assert meta(page, "description") == article.sapo


def test_open_graph_and_twitter_card(page, article):
    url = f"http://testserver{article.get_absolute_url()}"
    # The largest JPEG rendition: what share cards fetch.
    image = f"http://testserver{share_image_url(Article.objects.get())}"
    assert image.endswith(".jpg") and "-" in image.rsplit("/", 1)[1]

    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == url
    assert meta(page, "og:title") == article.title
    assert meta(page, "og:description") == article.sapo
    assert meta(page, "og:image") == image
    assert meta(page, "og:site_name") == "Báo Phù Sa"
    assert meta(page, "article:published_time") == "2024-02-13T17:38:06+07:00"
    assert meta(page, "article:modified_time") == "2024-02-14T08:00:00+07:00"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:title") == article.title
    assert meta(page, "twitter:image") == image


def test_news_article_json_ld(page, article):
    data = json_ld(page)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == article.sapo
    assert data["image"] == [f"http://testserver{share_image_url(Article.objects.get())}"]
    assert data["datePublished"] == "2024-02-13T17:38:06+07:00"
    assert data["dateModified"] == "2024-02-14T08:00:00+07:00"
    assert data["mainEntityOfPage"]["@id"] == f"http://testserver{article.get_absolute_url()}"
    assert [a["name"] for a in data["author"]] == ["Lê Minh Tâm", "Trần Hoa"]
    assert all(a["@type"] == "Person" and a["url"].startswith("http") for a in data["author"])
    publisher = data["publisher"]
    assert publisher["name"] == "Báo Phù Sa"
    assert publisher["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert finders.find("img/logo.png")


def test_json_ld_cannot_be_broken_out_of(client):
    title = '</script><script>alert("x")</script> & <!-- Tin'
    article = make_article(title=title, sapo="Sapo <b>đậm</b>")

    html = client.get(article.get_absolute_url()).content.decode()

    [block] = JSON_LD.findall(html)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["description"] == "Sapo <b>đậm</b>"
    assert data["headline"] == title
    assert "<script>alert" not in html


def test_an_article_without_cover_has_no_image_tags(client):
    article = make_article()

    html = client.get(article.get_absolute_url()).content.decode()

    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"
    assert "image" not in json_ld(html)


def test_share_links_are_plain_links_and_a_copy_button(page, article):
    encoded = quote(f"http://testserver{article.get_absolute_url()}", safe="")

    assert f'href="https://www.facebook.com/sharer/sharer.php?u={encoded}"' in page
    assert f'href="https://sp.zalo.me/share_inline?u={encoded}"' in page
    assert "data-share-copy=" in page
    # No third-party script: every script is the site's own.
    sources = re.findall(r'<script[^>]* src="([^"]+)"', page)
    assert sources and all(src.startswith("/static/") for src in sources)


def test_staff_preview_carries_no_share_or_structured_data(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)

    html = client.get(draft.get_preview_url()).content.decode()

    assert 'content="noindex, nofollow"' in html
    assert "application/ld+json" not in html
    assert "og:title" not in html
    assert "sharer.php" not in html
