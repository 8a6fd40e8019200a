"""RSS 2.0 feeds: whole paper, section, author and tag; published articles only."""

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import workflow
from articles.models import Article, Tag
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"


def jpeg(size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, "JPEG")
    return SimpleUploadedFile("lua.jpg", buffer.getvalue(), "image/jpeg")


def items(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def titles(client, path):
    return [item.findtext("title") for item in items(client, path)[1]]


def test_site_feed_describes_an_article(client):
    author = make_author(name="Lê Minh Tâm")
    article = make_article(
        title="Đồng Tháp xuống giống vụ Đông Xuân",
        sapo="Nông dân gieo sạ đồng loạt trên 200.000 ha.",
        published_at=datetime(2024, 2, 13, 10, 38, 6, tzinfo=UTC),
        authors=[author],
    )

    channel, [item] = items(client, reverse("articles:feed"))

    assert channel.findtext("title") == "Báo Phù Sa"
    assert channel.findtext("language") == "vi"
    assert item.findtext("title") == article.title
    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("description") == article.sapo
    assert item.findtext("pubDate") == "Tue, 13 Feb 2024 17:38:06 +0700"
    assert item.findtext(f"{DC}creator") == "Lê Minh Tâm"
    assert item.findtext("category") == article.section.name


def test_site_feed_holds_the_latest_fifty_published_only(client):
    now = timezone.now()
    for i in range(52):
        make_article(title=f"Tin số {i}", published_at=now - timedelta(minutes=i + 1))
    make_article(title="Bản nháp", status=Article.Status.DRAFT)
    make_article(title="Tin hẹn giờ", published_at=now + timedelta(hours=1))

    listed = titles(client, reverse("articles:feed"))

    assert len(listed) == 50
    assert listed[0] == "Tin số 0"
    assert "Bản nháp" not in listed
    assert "Tin hẹn giờ" not in listed


def test_cover_image_is_an_enclosure_with_its_size_and_type(client):
    article = make_article(cover_image=jpeg(), cover_alt="Ruộng lúa")
    article.refresh_from_db()

    _, [item] = items(client, reverse("articles:feed"))

    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"http://testserver{article.cover_image.url}"
    assert enclosure.get("length") == str(article.cover_image.size)
    assert enclosure.get("type") == "image/jpeg"


def test_a_missing_cover_file_leaves_the_item_without_enclosure(client):
    make_article(title="Ảnh đã mất", cover_image="covers/khong-con.jpg", cover_alt="Ảnh")

    _, [item] = items(client, reverse("articles:feed"))

    assert item.findtext("title") == "Ảnh đã mất"
    assert item.find("enclosure") is None


def test_section_feed_lists_only_its_section(client):
    farming, sport = make_section(name="Nông nghiệp"), make_section(name="Thể thao")
    make_article(section=farming, title="Giá lúa tăng")
    make_article(section=sport, title="Bóng đá phong trào")

    channel, _ = items(client, reverse("articles:section_feed", kwargs={"slug": farming.slug}))

    assert channel.findtext("title") == "Nông nghiệp – Báo Phù Sa"
    assert titles(client, f"/rss/{farming.slug}/") == ["Giá lúa tăng"]
    assert client.get("/rss/khong-co/").status_code == 404


def test_author_feed_lists_what_the_author_signed(client):
    tam, other = make_author(name="Lê Minh Tâm"), make_author()
    make_article(title="Bài của Tâm", authors=[tam, other])
    make_article(title="Bài người khác", authors=[other])
    make_article(title="Nháp của Tâm", authors=[tam], status=Article.Status.DRAFT)

    path = reverse("articles:author_feed", kwargs={"slug": tam.slug})

    assert titles(client, path) == ["Bài của Tâm"]


def test_tag_feed_lists_tagged_articles(client):
    tag = Tag.objects.create(name="Mùa nước nổi")
    tagged = make_article(title="Cá linh về")
    tagged.tags.add(tag)
    make_article(title="Không gắn thẻ")

    assert titles(client, reverse("articles:tag_feed", kwargs={"slug": tag.slug})) == ["Cá linh về"]


def test_pages_announce_the_feed(client):
    make_article()

    html = client.get("/").content.decode()

    assert (
        f'type="application/rss+xml" title="Báo Phù Sa" href="{reverse("articles:feed")}"' in html
    )


def test_feed_is_refreshed_when_an_article_is_published(client, django_capture_on_commit_callbacks):
    article = make_article(title="Tin sắp đăng", status=Article.Status.DRAFT)
    assert titles(client, "/rss/") == []  # now in the page cache

    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=article, by=None)

    assert titles(client, "/rss/") == ["Tin sắp đăng"]
