"""A cover picked in the article form survives the form coming back with an error."""

import os
import re
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.forms import PENDING_DIR
from articles.models import Article
from tests.articles.test_admin import ADD_URL, article_post_data
from tests.articles.test_editor_uploads import page_token
from tests.articles.test_images import image_bytes, upload
from tests.factories import make_author, make_section, staff_browser

pytestmark = pytest.mark.django_db

TITLE = "Nông dân Tháp Mười trúng mùa lúa Đông Xuân"
PENDING_FIELD = re.compile(r'name="cover_image-pending" value="([^"]+)"')


@pytest.fixture
def browser(journalist):
    return staff_browser(journalist)


def post_article(browser, page, **data):
    return browser.post(ADD_URL, {**data, "csrfmiddlewaretoken": page_token(page)})


def pending_files() -> list[str]:
    try:
        return default_storage.listdir(PENDING_DIR)[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def newsroom():
    return {"section": make_section(name="Nông nghiệp"), "author": make_author(name="Thanh Tâm")}


def test_cover_is_kept_and_saved_after_a_missing_title(
    browser, newsroom, django_capture_on_commit_callbacks
):
    page = browser.get(ADD_URL)
    data = article_post_data(
        section=newsroom["section"], title="", authors=[newsroom["author"]], cover_alt="Lúa chín"
    )
    shown_again = post_article(
        browser, page, **data, cover_image=upload("lúa chín.jpg", image_bytes(size=(320, 200)))
    )

    assert shown_again.status_code == 200
    assert "errornote" in shown_again.text
    assert "Ảnh đã chọn: <strong>lúa chín.jpg</strong>" in shown_again.text
    token = PENDING_FIELD.search(shown_again.text).group(1)
    preview = re.search(r'<img src="(/media/pending/[^"]+)"', shown_again.text).group(1)
    assert default_storage.exists(preview.removeprefix("/media/"))

    with django_capture_on_commit_callbacks(execute=True):  # the renditions come after it
        saved = post_article(
            browser, shown_again, **{**data, "title": TITLE, "cover_image-pending": token}
        )

    assert saved.status_code == 302
    article = Article.objects.get(title=TITLE)
    assert article.cover_image.name.startswith("covers/")
    assert article.cover_image.name.endswith(".jpg")
    assert article.cover_renditions  # made as for any new cover
    assert default_storage.exists(article.cover_image.name)
    assert pending_files() == []  # the pending copy went with the save


def test_cover_is_kept_when_only_the_authors_are_missing(browser, newsroom):
    page = browser.get(ADD_URL)
    data = article_post_data(section=newsroom["section"], title=TITLE, cover_alt="Lúa chín")
    shown_again = post_article(browser, page, **data, cover_image=upload("lua.jpg"))

    assert "Bài viết cần ít nhất một tác giả" in shown_again.text
    assert "Ảnh đã chọn: <strong>lua.jpg</strong>" in shown_again.text
    assert PENDING_FIELD.search(shown_again.text)


def test_a_refused_cover_is_not_kept(browser, newsroom):
    page = browser.get(ADD_URL)
    data = article_post_data(section=newsroom["section"], title="", authors=[newsroom["author"]])
    shown_again = post_article(
        browser, page, **data, cover_image=upload("a.jpg", b"<?php echo 1; ?>")
    )

    assert shown_again.status_code == 200
    assert "Ảnh đã chọn" not in shown_again.text
    assert not PENDING_FIELD.search(shown_again.text)
    assert pending_files() == []


def test_a_forged_reference_is_ignored(browser, newsroom):
    stored = default_storage.save("covers/2024/01/khac.jpg", ContentFile(image_bytes()))
    page = browser.get(ADD_URL)
    data = article_post_data(section=newsroom["section"], title=TITLE, authors=[newsroom["author"]])

    saved = post_article(browser, page, **data, **{"cover_image-pending": stored})

    assert saved.status_code == 302
    assert not Article.objects.get(title=TITLE).cover_image


def test_abandoned_pending_covers_are_removed_after_a_day(browser, newsroom):
    old = default_storage.save(f"{PENDING_DIR}/bo-do.jpg", ContentFile(image_bytes()))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    page = browser.get(ADD_URL)
    data = article_post_data(
        section=newsroom["section"], title="", authors=[newsroom["author"]], cover_alt="Lúa"
    )

    post_article(browser, page, **data, cover_image=upload("lua.jpg"))

    assert not default_storage.exists(old)
    assert len(pending_files()) == 1
