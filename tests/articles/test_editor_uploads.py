"""The editor's upload and browse endpoints, reached as the browser reaches them.

The client enforces CSRF like a browser's request meets it. The editor sends
what static/js/editor-baophusa.js and CKEditor's filetools send: the admin
form's ``csrfmiddlewaretoken`` in ``X-CSRFToken``, the file as ``upload`` and
CKEditor's own ``ckCsrfToken``.
"""

import json
import re
from urllib.parse import urljoin

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.articles.test_images import animated_gif, image_bytes
from tests.factories import make_staff

CK_TOKEN = "a" * 40  # CKEditor's double-submit cookie, set by its own script


def browser_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def page_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def editor_token(client) -> str:
    """The token of the article form the editor sits in, read from the page."""
    return page_token(client.get(reverse("admin:articles_article_add")))


def post_upload(client, data, *, token, name="ảnh.jpg", content_type="image/jpeg", **headers):
    client.cookies["ckCsrfToken"] = CK_TOKEN
    if token:
        headers["HTTP_X_CSRFTOKEN"] = token
    return client.post(
        reverse("ckeditor_upload") + "?responseType=json",
        {"upload": SimpleUploadedFile(name, data, content_type), "ckCsrfToken": CK_TOKEN},
        **headers,
    )


@pytest.fixture
def editor_page(journalist):
    client = browser_for(journalist)
    return client, editor_token(client)


def test_journalist_uploads_an_image_under_a_random_name(editor_page, settings):
    client, token = editor_page
    response = post_upload(client, image_bytes(exif_gps=True), token=token)
    assert response.status_code == 200
    payload = response.json()
    assert payload["uploaded"] == "1"
    assert payload["url"].startswith("/media/uploads/")
    assert "anh" not in payload["fileName"]
    stored = settings.MEDIA_ROOT / payload["url"].removeprefix(settings.MEDIA_URL).lstrip("/")
    with Image.open(stored) as image:
        assert not image.getexif()


def test_the_editor_config_loads_the_plugin_that_sends_the_token(editor_page):
    client, _ = editor_page
    page = client.get(reverse("admin:articles_article_add"))
    textarea = re.search(r"<textarea[^>]*data-type=\"ckeditortype\"[^>]*>", page.text).group(0)
    unescape = lambda s: json.loads(s.replace("&quot;", '"'))  # noqa: E731
    config = unescape(re.search(r'data-config="([^"]+)"', textarea).group(1))
    plugins = unescape(re.search(r'data-external-plugin-resources="([^"]+)"', textarea).group(1))
    assert "baophusa" in config["extraPlugins"].split(",")
    assert config["filebrowserUploadMethod"] == "xhr"
    assert config["language"] == "vi"
    assert plugins == [["baophusa", "../../js/", "editor-baophusa.js"]]
    # CKEditor resolves the path against its own folder, as a browser resolves a link.
    plugin_url = urljoin(static("ckeditor/ckeditor/"), "../../js/editor-baophusa.js")
    assert plugin_url == static("js/editor-baophusa.js")
    assert b"X-CSRFToken" in b"".join(client.get(plugin_url).streaming_content)


@pytest.mark.parametrize(
    ("token", "headers"),
    [
        # A cross-site form can set CKEditor's double-submit field and, from a
        # sibling subdomain, its cookie; it cannot read Django's token.
        pytest.param("", {}, id="editor-token-alone"),
        pytest.param("x" * 64, {}, id="wrong-django-token"),
        pytest.param(None, {"HTTP_ORIGIN": "https://tin-gia.example"}, id="other-origin"),
    ],
)
def test_upload_without_django_s_token_is_refused(editor_page, token, headers, settings):
    client, good_token = editor_page
    response = post_upload(
        client, image_bytes(), token=good_token if token is None else token, **headers
    )
    assert response.status_code == 403
    assert not (settings.MEDIA_ROOT / "uploads").exists()


def test_not_an_image_is_refused_with_a_message(editor_page):
    client, token = editor_page
    response = post_upload(client, b"GIF89a<script>", token=token)
    assert response.status_code == 400
    assert "không phải ảnh" in response.json()["error"]["message"]


def test_a_heavy_animation_is_refused_with_a_message(editor_page):
    client, token = editor_page
    data = animated_gif((2000, 2000), 12, optimize=False)
    response = post_upload(client, data, token=token, name="dong.gif", content_type="image/gif")
    assert response.status_code == 400
    assert "mọi khung hình" in response.json()["error"]["message"]


@pytest.mark.parametrize("who", ["anonymous", "moderator"])
def test_only_article_writers_reach_the_editor_endpoints(db, who):
    user = make_staff("kiemduyet2", "Moderators") if who == "moderator" else None
    client = browser_for(user)
    assert client.get(reverse("ckeditor_browse")).status_code in (302, 403)
    # Even with a valid CSRF token (the login page or, logged in, the logout button has one).
    token = page_token(client.get(reverse("admin:login"), follow=True))
    assert post_upload(client, image_bytes(), token=token).status_code in (302, 403)


def test_the_image_browser_speaks_vietnamese_and_searches(editor_page):
    client, token = editor_page
    first = post_upload(client, image_bytes(), token=token).json()
    post_upload(client, image_bytes("PNG"), token=token, name="b.png", content_type="image/png")
    browse_url = reverse("ckeditor_browse") + "?CKEditor=id_body&CKEditorFuncNum=1&langCode=vi"

    page = client.get(browse_url)
    assert page.status_code == 200
    assert "Chọn ảnh để chèn vào bài" in page.text
    assert page.text.count(">Chèn ảnh này</button>") == 2
    assert f'data-src="{first["url"]}"' in page.text
    assert "Browse for the image" not in page.text

    # The search form posts with the page's own token, as the popup does.
    found = client.post(
        browse_url, {"q": first["fileName"][:8], "csrfmiddlewaretoken": page_token(page)}
    )
    assert found.status_code == 200
    assert found.text.count(">Chèn ảnh này</button>") == 1
