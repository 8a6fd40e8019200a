"""Media in a real S3-compatible bucket (SeaweedFS), through the paths the newsroom takes.

Every upload goes in as a journalist sends it: the admin's forms and the
editor's upload, with the CSRF token of the page they come from. What readers
get is read back over plain HTTP from the bucket's public URLs.
"""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Author
from tests.articles.test_admin import ADD_URL, article_post_data
from tests.articles.test_editor_uploads import page_token, post_upload
from tests.articles.test_images import image_bytes, upload
from tests.factories import make_article, make_author, make_section, make_staff, staff_browser
from tests.storage.conftest import bucket_keys, fetch

pytestmark = pytest.mark.django_db

TITLE = "Nông dân Tháp Mười trúng mùa lúa Đông Xuân"
PENDING_FIELD = re.compile(r'name="cover_image-pending" value="([^"]+)"')
IMAGE_TYPES = {"image/jpeg", "image/webp", "image/png"}


@pytest.fixture
def newsroom():
    return {"section": make_section(name="Nông nghiệp"), "author": make_author(name="Thanh Tâm")}


@pytest.fixture
def editor_browser(editor):
    return staff_browser(editor)


def image_urls(html: str) -> list[str]:
    """Every URL an <img> or <source> of the page makes the browser fetch."""
    urls = []
    for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', html):
        urls.append(unescape(src))
    for srcset in re.findall(r'\ssrcset="([^"]+)"', html):
        urls += [part.strip().split(" ")[0] for part in unescape(srcset).split(",")]
    return urls


def cover_urls(html: str, media_url: str) -> list[str]:
    return [url for url in image_urls(html) if "/covers/" in url or url.startswith(media_url)]


def publish_with_cover(browser, newsroom, capture, **extra):
    page = browser.get(ADD_URL)
    data = article_post_data(
        section=newsroom["section"],
        title=TITLE,
        authors=[newsroom["author"]],
        cover_alt="Lúa chín vàng đồng",
        _workflow="publish",
    )
    with capture(execute=True):  # the renditions follow the commit
        return browser.post(
            ADD_URL,
            {
                **data,
                "cover_image": upload("lúa.jpg", image_bytes(size=(1600, 900))),
                "csrfmiddlewaretoken": page_token(page),
                **extra,
            },
        )


def assert_served(url: str) -> None:
    status, body, headers = fetch(url)
    assert status == 200, url
    assert headers.get("Content-Type", "").split(";")[0] in IMAGE_TYPES, (url, headers)
    assert len(body) > 100


def test_a_cover_lands_in_the_bucket_with_its_renditions_and_readers_get_it_from_there(
    s3_media_prefix, settings, editor_browser, newsroom, django_capture_on_commit_callbacks
):
    server, prefix = s3_media_prefix
    saved = publish_with_cover(editor_browser, newsroom, django_capture_on_commit_callbacks)
    assert saved.status_code == 302, saved.context and saved.context["errors"]

    article = Article.objects.get(title=TITLE)
    name = article.cover_image.name
    assert name.startswith("covers/")
    stem = name.rsplit(".", 1)[0]
    expected = {name} | {f"{stem}-{w}.{ext}" for w in (480, 960, 1440) for ext in ("webp", "jpg")}
    assert expected <= set(bucket_keys(server, prefix))
    assert not [key for key in bucket_keys(server, prefix) if key.startswith("pending/")]

    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    urls = cover_urls(page.text, settings.MEDIA_URL)
    # The fallback <img src>, then the WebP and the JPEG srcsets: three widths each.
    assert len(urls) == 7
    for url in urls:
        assert url.startswith(f"{server.endpoint}/{server.bucket}/{prefix}/covers/"), url
        assert_served(url)
    # Public media are sent without a signature: a CDN can keep them.
    assert not [url for url in urls if "?" in url]


def test_the_reader_page_allows_images_from_the_media_origin(
    s3_media_prefix, editor_browser, newsroom, django_capture_on_commit_callbacks
):
    server, _ = s3_media_prefix
    publish_with_cover(editor_browser, newsroom, django_capture_on_commit_callbacks)
    page = Client().get(Article.objects.get(title=TITLE).get_absolute_url())

    policy = page["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert server.endpoint in img_src.split()


def test_a_cover_kept_across_a_form_error_is_kept_in_the_bucket_and_then_saved(
    s3_media_prefix, settings, journalist, newsroom, django_capture_on_commit_callbacks
):
    server, prefix = s3_media_prefix
    browser = staff_browser(journalist)
    page = browser.get(ADD_URL)
    data = article_post_data(
        section=newsroom["section"], title="", authors=[newsroom["author"]], cover_alt="Lúa chín"
    )
    shown_again = browser.post(
        ADD_URL,
        {
            **data,
            "cover_image": upload("lúa chín.jpg", image_bytes(size=(640, 400))),
            "csrfmiddlewaretoken": page_token(page),
        },
    )

    assert shown_again.status_code == 200
    assert "Ảnh đã chọn: <strong>lúa chín.jpg</strong>" in shown_again.text
    thumbnail = re.search(r'<div class="kept-upload"><img src="([^"]+)"', shown_again.text)
    assert thumbnail.group(1).startswith(f"{settings.MEDIA_URL}pending/")
    assert_served(unescape(thumbnail.group(1)))
    assert [k for k in bucket_keys(server, prefix) if k.startswith("pending/")]

    token = PENDING_FIELD.search(shown_again.text).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        saved = browser.post(
            ADD_URL,
            {
                **data,
                "title": TITLE,
                "cover_image-pending": token,
                "csrfmiddlewaretoken": page_token(shown_again),
            },
        )

    assert saved.status_code == 302
    article = Article.objects.get(title=TITLE)
    keys = bucket_keys(server, prefix)
    assert article.cover_image.name in keys
    assert article.cover_renditions["widths"] == [480, 640]
    assert not [key for key in keys if key.startswith("pending/")]  # gone with the save
    assert_served(article.cover_image.url)


def test_an_image_uploaded_from_the_editor_lands_in_the_bucket(s3_media_prefix, journalist):
    server, prefix = s3_media_prefix
    browser = staff_browser(journalist)
    token = page_token(browser.get(reverse("admin:articles_article_add")))

    response = post_upload(browser, image_bytes(size=(300, 200), exif_gps=True), token=token)

    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith(f"{server.endpoint}/{server.bucket}/{prefix}/uploads/")
    assert_served(url)
    stored = url.removeprefix(f"{server.endpoint}/{server.bucket}/{prefix}/")
    assert stored in bucket_keys(server, prefix)
    # django-ckeditor's thumbnail for its image browser, beside it.
    assert stored.replace(".jpg", "_thumb.jpg") in bucket_keys(server, prefix)

    browse = browser.get(reverse("ckeditor_browse"))
    assert browse.status_code == 200
    assert url in unescape(browse.text)


def test_an_author_photo_lands_in_the_bucket_and_shows_on_the_author_page(s3_media_prefix):
    server, prefix = s3_media_prefix
    browser = staff_browser(make_staff("toasoan", superuser=True))
    add_url = reverse("admin:articles_author_add")
    page = browser.get(add_url)

    saved = browser.post(
        add_url,
        {
            "name": "Lê Thị Hồng",
            "slug": "",
            "user": "",
            "bio": "Phóng viên ban Nông nghiệp.",
            "photo": upload("chân dung.png", image_bytes("PNG", size=(200, 200)), "image/png"),
            "csrfmiddlewaretoken": page_token(page),
            "_save": "Lưu lại",
        },
    )

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    author = Author.objects.get(name="Lê Thị Hồng")
    assert author.photo.name.startswith("authors/")
    assert author.photo.name in bucket_keys(server, prefix)
    # An author page lists the author's articles; one is enough to be shown.
    make_article(authors=[author])
    shown = Client().get(author.get_absolute_url())
    assert shown.status_code == 200
    src = re.search(r'<img class="author-photo" src="([^"]+)"', shown.text).group(1)
    assert src == f"{server.endpoint}/{server.bucket}/{prefix}/{author.photo.name}"
    assert_served(src)
