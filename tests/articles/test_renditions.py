import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from articles.renditions import rendition_name
from tests.articles.test_images import image_bytes
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def with_cover(size, **kw):
    return make_article(
        cover_image=SimpleUploadedFile("bia.jpg", image_bytes(size=size), "image/jpeg"),
        cover_alt="Cánh đồng lúa chín",
        **kw,
    )


def test_renditions_are_made_once_when_the_cover_is_stored():
    article = with_cover((1600, 900))
    assert article.cover_renditions == {"width": 1600, "height": 900, "widths": [480, 960, 1440]}
    for width in (480, 960, 1440):
        for ext in ("webp", "jpg"):
            name = rendition_name(article.cover_image.name, width, ext)
            with default_storage.open(name) as handle, Image.open(handle) as image:
                assert image.width == width
                assert image.format == {"webp": "WEBP", "jpg": "JPEG"}[ext]

    # Saving again without a new file makes nothing again.
    before = article.cover_renditions
    article.title = "Tiêu đề sửa lại"
    article.save()
    assert article.cover_renditions == before


def test_a_small_cover_is_never_enlarged():
    article = with_cover((300, 200))
    assert article.cover_renditions["widths"] == [300]


def test_article_page_offers_webp_and_jpeg_with_srcset_and_dimensions(client):
    article = with_cover((1600, 900))
    html = client.get(article.get_absolute_url()).content.decode()
    stem = article.cover_image.url.rsplit(".", 1)[0]
    assert '<source type="image/webp"' in html
    assert f"{stem}-480.webp 480w, {stem}-960.webp 960w, {stem}-1440.webp 1440w" in html
    assert f'src="{stem}-960.jpg"' in html
    assert 'width="1600" height="900"' in html
    assert 'alt="Cánh đồng lúa chín"' in html
    assert 'fetchpriority="high"' in html  # above the fold


def test_lists_lazy_load_cards_below_the_top_story(client):
    with_cover((1600, 900))
    with_cover((1600, 900))
    html = client.get("/").content.decode()
    assert html.count("<picture>") >= 2
    assert 'loading="lazy"' in html


def test_a_cover_stored_before_renditions_falls_back_to_the_original(client):
    article = with_cover((800, 450))
    Article.objects.filter(pk=article.pk).update(cover_renditions={})
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{article.cover_image.url}"' in html
    assert "<picture>" not in html
