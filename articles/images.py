"""Checks and clean-up for every uploaded image (covers, author photos, editor images).

Pillow must open and verify the file; only JPEG, PNG, WebP and GIF; at most
10 MB and 40 megapixels counted over every frame of an animation, at most 500
frames (decompression bombs refused from the headers, before any decoding); the
stored copy is re-encoded without metadata (EXIF with GPS position, camera
serials, XMP, comments) and under a random name.
"""

import io
import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Decoding costs per frame too: thousands of tiny frames fit in 10 MB.
MAX_FRAMES = 500
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}

# Pillow's own guard raises for images far beyond our limit even before we look.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def validate_image(upload) -> None:
    """Field validator: refuse anything that is not a sane image, with a message in Vietnamese."""
    if upload.size > MAX_BYTES:
        raise ValidationError("Ảnh quá lớn: tối đa 10 MB.", code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:
                raise ValidationError("Ảnh quá lớn: tối đa 40 megapixel.", code="too_many_pixels")
            _check_frames(image, width * height)
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "Tệp không phải ảnh hợp lệ (chấp nhận JPEG, PNG, WebP, GIF).", code="invalid"
        ) from None
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError("Chỉ chấp nhận ảnh JPEG, PNG, WebP hoặc GIF.", code="format")


def _check_frames(image, frame_pixels: int) -> None:
    # Every frame is decoded at the full canvas size, however small the file.
    # Pillow counts frames from the headers without decoding them (GIF skips
    # the data blocks; APNG and WebP declare the count).
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_FRAMES:
        raise ValidationError(
            f"Ảnh động quá dài: tối đa {MAX_FRAMES} khung hình.", code="too_many_frames"
        )
    if frames * frame_pixels > MAX_PIXELS:
        raise ValidationError(
            "Ảnh động quá lớn: tổng điểm ảnh của mọi khung hình tối đa 40 megapixel "
            "(hãy giảm kích thước hoặc số khung hình).",
            code="too_many_pixels",
        )


def random_name(filename: str) -> str:
    """A random file name keeping a known image extension: the uploaded name never
    becomes a path."""
    ext = PurePosixPath(filename).suffix.lower()
    return uuid.uuid4().hex + (ext if ext in {".jpg", ".jpeg", ".png", ".webp", ".gif"} else "")


def editor_filename(filename: str, request=None) -> str:
    """CKEDITOR_FILENAME_GENERATOR for images uploaded from the editor."""
    return random_name(filename)


def clean_upload(upload) -> InMemoryUploadedFile:
    """Validate, then return the metadata-free copy to store."""
    validate_image(upload)
    return strip_metadata(upload)


def strip_metadata(upload) -> InMemoryUploadedFile:
    """A re-encoded copy without metadata, turned the way the camera meant it.

    Animated GIFs are kept as they are apart from metadata: Pillow re-encodes
    all frames when ``save_all`` is set.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        kind = image.format
        animated = getattr(image, "is_animated", False)
        if not animated:
            image = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        options = {"format": kind}
        if kind in ("JPEG", "GIF"):
            # Both formats carry a comment over from the source unless told otherwise.
            options["comment"] = b""
        if kind == "JPEG":
            options.update(quality=90, optimize=True, progressive=True)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
        elif animated:
            options.update(save_all=True)
        image.save(out, **options)
    out.seek(0)
    name = random_name(upload.name)
    if not PurePosixPath(name).suffix:
        name += FORMATS[kind]
    return InMemoryUploadedFile(out, "upload", name, Image.MIME[kind], out.getbuffer().nbytes, None)
