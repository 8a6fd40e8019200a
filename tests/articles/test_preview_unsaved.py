""" "Xem trước" on the article form: the article as the form holds it, before any
save, on the reader's page in a new tab; nothing stored, errors in Vietnamese."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from articles.models import Article, Byline, Section, Tag
from tests.factories import make_article, make_author, make_section, staff_browser
from tests.pages import read
from tests.portal.test_admin_vietnamese import english_in

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def preview(client, page_url, **typed):
    """Open the form at ``page_url``, type ``typed``, press "Xem trước": the new tab's page."""
    page = read(client.get(page_url))
    button = page.button("Xem trước")
    return client.post(button["formaction"], page.form_data(press="Xem trước", **typed)), button


def assert_nothing_stored(queries, media_root):
    writes = [q["sql"] for q in queries if WRITES.match(q["sql"])]
    assert writes == []
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


@pytest.fixture
def writer(journalist):
    """A journalist with their own byline, and a section to write in."""
    make_author(name="Lê Hoàng Phúc", user=journalist)
    make_section(name="Nông nghiệp")
    return journalist


def cover_file(name="bia.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (1600, 900), (40, 120, 60)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_a_new_article_shows_as_readers_will_see_it_before_its_first_save(writer, settings):
    client = staff_browser(writer)
    section = Section.objects.get()
    with CaptureQueriesContext(connection) as queries:
        response, button = preview(
            client,
            ADD_URL,
            section=str(section.pk),
            title="Nông dân Tháp Mười thu hoạch lúa sớm",
            sapo="Lúa hè thu được mùa, giá ổn định.",
            body='<p>Cánh đồng vàng rực.</p><script>alert("x")</script>',
            location="Tháp Mười",
            new_tags="Lúa gạo, Mùa nước nổi",
        )

    assert button["formtarget"] == "_blank"
    assert "formnovalidate" in button
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article-title">Nông dân Tháp Mười thu hoạch lúa sớm</h1>' in html
    assert "Lúa hè thu được mùa, giá ổn định." in html
    assert "<p>Cánh đồng vàng rực.</p>" in html
    assert "alert" not in html  # the body as it would be stored: sanitized
    assert ">Lê Hoàng Phúc</a> – Tháp Mười</p>" in html  # the byline table's own row
    assert "Bản xem trước" in html
    assert "bạn đọc chưa thấy bài này" in html
    assert "Sửa bài" not in html  # a new article has no form of its own to go back to
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert re.search(r'href="/the/lua-gao/">Lúa gạo</a>', html)
    assert_nothing_stored(queries, settings.MEDIA_ROOT)
    assert not Article.objects.exists() and not Byline.objects.exists()
    assert not Tag.objects.exists()


def test_an_edited_article_shows_its_unsaved_changes_and_stays_as_stored(editor, settings):
    article = make_article(title="Tiêu đề đã lưu", location="Sa Đéc")
    version = Article.objects.get().version
    client = staff_browser(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])

    with CaptureQueriesContext(connection) as queries:
        response, button = preview(client, change, title="Tiêu đề mới, chưa lưu")

    assert button["formaction"] == reverse(
        "admin:articles_article_preview_edited", args=[article.pk]
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiêu đề mới, chưa lưu" in html
    assert "Tiêu đề đã lưu" not in html
    assert "– Sa Đéc</p>" in html
    assert f'<a href="{change}">Sửa bài</a>' in html
    assert_nothing_stored(queries, settings.MEDIA_ROOT)
    stored = Article.objects.get()
    assert (stored.title, stored.version) == ("Tiêu đề đã lưu", version)


def test_a_newly_chosen_cover_shows_from_the_page_and_no_file_is_kept(writer, settings):
    client = staff_browser(writer)
    section = Section.objects.get()
    response, _ = preview(
        client,
        ADD_URL,
        section=str(section.pk),
        title="Ảnh bìa mới",
        sapo="Một câu.",
        body="<p>Nội dung.</p>",
        cover_image=cover_file(),
        cover_alt="Cánh đồng lúa chín",
    )

    html = response.content.decode()
    assert response.status_code == 200
    cover = re.search(r'<img class="" src="(data:image/jpeg;base64,[^"]+)" alt="([^"]*)"', html)
    assert cover and cover.group(2) == "Cánh đồng lúa chín"
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_a_form_with_errors_tells_them_in_vietnamese_and_stores_nothing(writer, settings):
    client = staff_browser(writer)
    with CaptureQueriesContext(connection) as queries:
        response, _ = preview(
            client,
            ADD_URL,
            title="",
            sapo="",
            **{"bylines-0-author": ""},
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa xem trước được bài" in html
    assert "<strong>Tiêu đề</strong>: Trường này là bắt buộc." in html
    assert "Bài viết cần ít nhất một tác giả" in html
    assert english_in(response) == []
    assert_nothing_stored(queries, settings.MEDIA_ROOT)


def test_the_preview_is_a_post_of_the_form_with_its_csrf_token(writer):
    client = staff_browser(writer)
    page = read(client.get(ADD_URL))
    url = page.button("Xem trước")["formaction"]

    without_token = page.form_data(press="Xem trước", csrfmiddlewaretoken="")
    assert client.post(url, without_token).status_code == 403
    assert client.get(url).status_code == 405


def test_only_staff_who_may_save_the_article_may_preview_it(journalist, moderator, client):
    others = make_article(title="Bài của người khác, đã xuất bản")
    new_url = reverse("admin:articles_article_preview_new")
    edited_url = reverse("admin:articles_article_preview_edited", args=[others.pk])

    # Anonymous: the login page.
    assert client.post(new_url).status_code == 302
    # A moderator has no article permission at all.
    moderating = staff_browser(moderator)
    moderating.get(reverse("admin:index"))
    token = moderating.cookies["csrftoken"].value
    assert moderating.post(new_url, {"csrfmiddlewaretoken": token}).status_code == 403
    # A journalist sees a published article of someone else read-only: no button, no preview.
    writing = staff_browser(journalist)
    page = writing.get(reverse("admin:articles_article_change", args=[others.pk]))
    assert "Xem trước" not in page.content.decode()
    token = writing.cookies["csrftoken"].value
    assert writing.post(edited_url, {"csrfmiddlewaretoken": token}).status_code == 403
    missing = reverse("admin:articles_article_preview_edited", args=[others.pk + 100])
    assert writing.post(missing, {"csrfmiddlewaretoken": token}).status_code == 404
