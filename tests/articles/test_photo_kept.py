"""An author's photo picked in the admin survives the form coming back with an error."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.models import Author
from tests.articles.test_cover_kept import pending_files
from tests.articles.test_editor_uploads import page_token
from tests.articles.test_images import image_bytes, upload
from tests.factories import make_author, staff_browser

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_author_add")
NAME = "Nguyễn Thị Thanh Tâm"
PENDING_FIELD = re.compile(r'name="photo-pending" value="([^"]+)"')
THUMBNAIL = re.compile(r'<div class="kept-upload"><img src="/media/(pending/[^"]+)"')


@pytest.fixture
def browser(editor):
    return staff_browser(editor)


def post_author(browser, url, page, **data):
    fields = {"name": "", "slug": "", "user": "", "bio": "", **data}
    return browser.post(url, {**fields, "csrfmiddlewaretoken": page_token(page)})


def test_photo_is_kept_and_saved_after_a_missing_name(browser):
    page = browser.get(ADD_URL)
    shown_again = post_author(
        browser,
        ADD_URL,
        page,
        bio="Phóng viên ban Nông nghiệp.",
        photo=upload("chân dung.jpg", image_bytes(size=(300, 400), exif_gps=True)),
    )

    assert shown_again.status_code == 200
    assert "errornote" in shown_again.text
    assert "Ảnh đã chọn: <strong>chân dung.jpg</strong>" in shown_again.text
    thumbnail = THUMBNAIL.search(shown_again.text).group(1)
    assert default_storage.exists(thumbnail)
    token = PENDING_FIELD.search(shown_again.text).group(1)

    saved = post_author(
        browser,
        ADD_URL,
        shown_again,
        name=NAME,
        bio="Phóng viên ban Nông nghiệp.",
        **{"photo-pending": token},
    )

    assert saved.status_code == 302
    author = Author.objects.get(name=NAME)
    assert author.photo.name.startswith("authors/")
    assert author.photo.name.endswith(".jpg")
    with Image.open(default_storage.path(author.photo.name)) as stored:
        assert stored.size == (300, 400)
        assert 0x8825 not in stored.getexif()  # the GPS went with the clean-up
    assert pending_files() == []  # the pending copy went with the save


def test_a_new_photo_replaces_the_old_one_after_an_error(browser):
    author = make_author(name=NAME)
    author.photo = upload("cu.jpg")
    author.save()
    old_photo = author.photo.name
    url = reverse("admin:articles_author_change", args=[author.pk])

    page = browser.get(url)
    shown_again = post_author(browser, url, page, slug=author.slug, photo=upload("moi.jpg"))
    assert "Ảnh đã chọn: <strong>moi.jpg</strong>" in shown_again.text
    token = PENDING_FIELD.search(shown_again.text).group(1)

    saved = post_author(
        browser, url, shown_again, name=NAME, slug=author.slug, **{"photo-pending": token}
    )

    assert saved.status_code == 302
    author.refresh_from_db()
    assert author.photo.name.startswith("authors/")
    assert author.photo.name != old_photo
    assert pending_files() == []


def test_a_refused_photo_is_not_kept(browser):
    page = browser.get(ADD_URL)
    shown_again = post_author(browser, ADD_URL, page, photo=upload("a.jpg", b"<?php echo 1; ?>"))

    assert shown_again.status_code == 200
    assert "Ảnh đã chọn" not in shown_again.text
    assert not PENDING_FIELD.search(shown_again.text)
    assert pending_files() == []
