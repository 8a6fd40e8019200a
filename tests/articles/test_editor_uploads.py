import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.articles.test_images import image_bytes
from tests.factories import make_staff

TOKEN = "a" * 32


def post_upload(client, data, token=TOKEN, cookie=TOKEN):
    if cookie:
        client.cookies["ckCsrfToken"] = cookie
    return client.post(
        reverse("ckeditor_upload"),
        {"upload": SimpleUploadedFile("ảnh.jpg", data, "image/jpeg"), "ckCsrfToken": token},
    )


def test_journalist_uploads_an_image_under_a_random_name(client, journalist, settings):
    client.force_login(journalist)
    response = post_upload(client, image_bytes(exif_gps=True))
    assert response.status_code == 200
    payload = response.json()
    assert payload["uploaded"] == "1"
    assert payload["url"].startswith("/media/uploads/")
    assert "anh" not in payload["fileName"]
    stored = settings.MEDIA_ROOT / payload["url"].removeprefix(settings.MEDIA_URL).lstrip("/")
    with Image.open(stored) as image:
        assert not image.getexif()


def test_upload_without_the_editor_token_is_refused(client, journalist):
    client.force_login(journalist)
    assert post_upload(client, image_bytes(), cookie="").status_code == 403
    assert post_upload(client, image_bytes(), token="b" * 32).status_code == 403


def test_not_an_image_is_refused_with_a_message(client, journalist):
    client.force_login(journalist)
    response = post_upload(client, b"GIF89a<script>")
    assert response.status_code == 400
    assert "không phải ảnh" in response.json()["error"]["message"]


@pytest.mark.parametrize("who", ["anonymous", "moderator"])
def test_only_article_writers_reach_the_editor_endpoints(client, db, who):
    if who == "moderator":
        client.force_login(make_staff("kiemduyet2", "Moderators"))
    for url in (reverse("ckeditor_browse"),):
        response = client.get(url)
        assert response.status_code in (302, 403)
    response = post_upload(client, image_bytes())
    assert response.status_code in (302, 403)
