"""The media storage down: the newsroom gets a Vietnamese message, readers their pages.

"Down" is the bucket's endpoint with nothing listening on it, as a stopped
SeaweedFS leaves it: every call is refused at once. Reader pages keep their
image URLs, which are computed from the settings, never fetched.
"""

import re
import time
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles import renditions
from articles.models import Article
from portal.storage import UNAVAILABLE
from tests.articles.test_admin import ADD_URL, article_post_data
from tests.articles.test_editor_uploads import page_token, post_upload
from tests.articles.test_images import image_bytes, upload
from tests.factories import make_article, make_author, make_section, staff_browser
from tests.s3 import bucket, dead_endpoint, use_storage
from tests.storage.conftest import fetch

pytestmark = pytest.mark.django_db

TITLE = "Nước lũ đầu nguồn sông Cửu Long lên nhanh"


def test_a_cover_chosen_while_the_storage_is_down_is_a_form_error_and_the_text_stays(
    dead_storage, journalist
):
    browser = staff_browser(journalist)
    page = browser.get(ADD_URL)
    data = article_post_data(
        section=make_section(name="Thời sự"),
        title=TITLE,
        authors=[make_author(name="Minh Khoa")],
        cover_alt="Nước lũ tràn đồng",
    )
    data["sapo"] = "Mực nước tại Tân Châu đã vượt báo động một."

    started = time.monotonic()
    shown_again = browser.post(
        ADD_URL,
        {**data, "cover_image": upload("lũ.jpg"), "csrfmiddlewaretoken": page_token(page)},
    )

    assert time.monotonic() - started < 10
    # The form again with what was typed, not a 500: 503, the storage is down.
    assert shown_again.status_code == 503
    assert "errornote" in shown_again.text
    assert UNAVAILABLE in unescape(shown_again.text)
    assert f'value="{TITLE}"' in shown_again.text
    assert "Mực nước tại Tân Châu đã vượt báo động một." in shown_again.text
    assert not Article.objects.exists()


def test_an_editor_image_while_the_storage_is_down_gets_a_message(dead_storage, journalist):
    browser = staff_browser(journalist)
    token = page_token(browser.get(reverse("admin:articles_article_add")))

    response = post_upload(browser, image_bytes(), token=token)

    assert response.status_code == 503
    assert response.json()["uploaded"] == 0
    assert "kho lưu trữ ảnh đang không kết nối được" in response.json()["error"]["message"]
    assert browser.get(reverse("ckeditor_browse")).status_code == 503


def test_reader_pages_answer_with_the_same_image_urls_while_the_storage_is_down(
    s3_server, settings
):
    use_storage(settings, *bucket(s3_server, prefix="readers"))
    author = make_author(
        name="Phan Thu",
        photo=SimpleUploadedFile("thu.png", image_bytes("PNG", size=(96, 96)), "image/png"),
    )
    article = make_article(
        authors=[author],
        cover_image=SimpleUploadedFile("lu.jpg", image_bytes(size=(1200, 700)), "image/jpeg"),
        cover_alt="Nước lũ tràn đồng",
    )
    cover = renditions.fallback_url(article.cover_image, article.cover_renditions)
    photo = author.photo.url
    assert fetch(cover)[0] == fetch(photo)[0] == 200

    use_storage(settings, *bucket(s3_server, endpoint=dead_endpoint(), prefix="readers"))
    reader = Client()
    for url, image in [
        ("/", cover),
        (article.section.get_absolute_url(), cover),
        (article.get_absolute_url(), cover),
        (author.get_absolute_url(), photo),
    ]:
        page = reader.get(url)
        assert page.status_code == 200, url
        assert image in [unescape(src) for src in re.findall(r'src="([^"]+)"', page.text)], url
    feed = reader.get(reverse("articles:feed"))
    assert feed.status_code == 200
    assert article.title in feed.text  # without its enclosure
    # The files themselves are served by the bucket's own host, not by this site.
    assert fetch(cover)[0] == 200
