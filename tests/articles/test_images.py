import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import GifImagePlugin, Image

from articles.images import MAX_FRAMES, MAX_PIXELS, clean_upload, validate_image
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


def animated_gif(size, frames, **options) -> bytes:
    """Frames of one flat colour each: a few kilobytes however big the frames are."""
    images = [Image.new("L", size, 40 + 5 * (n % 40)) for n in range(frames)]
    out = io.BytesIO()
    images[0].save(
        out, "GIF", save_all=True, append_images=images[1:], duration=80, loop=0, **options
    )
    return out.getvalue()


def test_animation_counts_the_pixels_of_every_frame(monkeypatch):
    # 12 frames of 4 megapixels: each frame is under the limit, the animation is not.
    data = animated_gif((2000, 2000), 12, optimize=False)
    assert len(data) < 100_000

    def decoded(self):
        raise AssertionError("a frame was decoded")

    # Refused from the headers alone: decoding would cost seconds of CPU.
    monkeypatch.setattr(GifImagePlugin.GifImageFile, "load", decoded)
    with pytest.raises(ValidationError, match="mọi khung hình"):
        validate_image(upload("dong.gif", data, "image/gif"))


def test_animation_with_too_many_frames_is_refused():
    data = animated_gif((4, 4), MAX_FRAMES + 1)
    with pytest.raises(ValidationError, match=f"tối đa {MAX_FRAMES} khung hình"):
        validate_image(upload("dai.gif", data, "image/gif"))


def test_small_animation_is_accepted_and_keeps_its_frames():
    data = animated_gif((120, 80), 6)
    cleaned = clean_upload(upload("dong.gif", data, "image/gif"))
    with Image.open(cleaned) as image:
        assert (image.format, image.n_frames, image.size) == ("GIF", 6, (120, 80))
        assert image.info["duration"] == 80


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "a.gif"), ("JPEG", "a.jpg")])
def test_comments_are_stripped(fmt, name):
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, fmt, comment=b"Nguon: may anh cua PV")
    assert b"Nguon" in out.getvalue()
    cleaned = clean_upload(upload(name, out.getvalue()))
    stored = cleaned.read()
    assert b"Nguon" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info


def test_animated_gif_comments_are_stripped():
    data = animated_gif((40, 30), 3, comment=b"Nguon: may anh cua PV")
    assert b"Nguon" in data
    stored = clean_upload(upload("dong.gif", data, "image/gif")).read()
    assert b"Nguon" not in stored
