import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import MAX_PIXELS, validate_image
from tests.factories import make_article


def image_bytes(fmt="JPEG", size=(64, 48), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 80))
    out = io.BytesIO()
    options = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x8825] = {1: "N", 2: (10.0, 27.0, 0.0)}  # GPSInfo
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def upload(name="anh.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats(fmt):
    validate_image(upload(f"a.{fmt.lower()}", image_bytes(fmt)))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<?php echo 1; ?>", "không phải ảnh"),
        (image_bytes("TIFF"), "JPEG, PNG, WebP hoặc GIF"),
        (image_bytes()[:40], "không phải ảnh"),
    ],
)
def test_refused_files_have_a_vietnamese_message(data, message):
    with pytest.raises(ValidationError) as error:
        validate_image(upload(data=data))
    assert message in " ".join(error.value.messages)


def test_decompression_bomb_is_refused_without_decoding():
    # A 1-bit PNG of 50 megapixels compresses to a few kilobytes.
    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, "PNG")
    assert MAX_PIXELS < 10_000 * 5_000
    with pytest.raises(ValidationError, match="40 megapixel"):
        validate_image(upload("bom.png", out.getvalue()))


def test_oversized_file_is_refused(settings):
    big = upload(data=image_bytes() + b"\0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB"):
        validate_image(big)


def test_cover_is_stored_under_a_random_name_without_exif(db):
    article = make_article(cover_image=upload("../../etc/ảnh gốc.jpg", image_bytes(exif_gps=True)))
    article.refresh_from_db()
    name = article.cover_image.name
    assert name.startswith("covers/") and ".." not in name and "goc" not in name
    assert name.endswith(".jpg")
    with Image.open(article.cover_image.path) as stored:
        assert not stored.getexif()
        assert stored.size == (64, 48)
