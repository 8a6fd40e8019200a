"""Cover image renditions: made once with Pillow when a cover is stored, then kept.

Each cover gets WebP and JPEG copies 480, 960 and 1440 px wide (never wider
than the original), next to the original in storage: ``<name>-960.webp``.
Pages offer them with ``srcset``/``sizes`` and the original's width and height,
so phones download a small file and nothing shifts while loading. Nothing is
ever resized per request.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

WIDTHS = (480, 960, 1440)
FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpg": ("JPEG", {"quality": 82})}


def rendition_name(name: str, width: int, ext: str) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}.{ext}"))


def make_renditions(field_file) -> dict:
    """Write the renditions of a stored image; return what templates need to know."""
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as handle, Image.open(handle) as original:
        original = ImageOps.exif_transpose(original)
        if original.mode not in ("RGB", "L"):
            original = original.convert("RGB")
        width, height = original.size
        widths = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
        widths = sorted(set(widths))
        for w in widths:
            resized = (
                original
                if w == width
                else original.resize(
                    (w, max(1, round(height * w / width))), Image.Resampling.LANCZOS
                )
            )
            for ext, (fmt, options) in FORMATS.items():
                out = BytesIO()
                resized.save(out, fmt, **options)
                target = rendition_name(field_file.name, w, ext)
                if storage.exists(target):
                    storage.delete(target)
                storage.save(target, ContentFile(out.getvalue()))
    return {"width": width, "height": height, "widths": widths}


def rendition_names(field_file, info: dict) -> list[str]:
    widths = info.get("widths", ())
    return [rendition_name(field_file.name, w, ext) for w in widths for ext in FORMATS]


def has_renditions(article) -> bool:
    """Whether the cover's renditions are recorded and all on storage."""
    info = article.cover_renditions or {}
    if not article.cover_image or not info.get("widths"):
        return False
    storage = article.cover_image.storage
    return all(storage.exists(name) for name in rendition_names(article.cover_image, info))


def srcset(field_file, info: dict, ext: str) -> str:
    storage = field_file.storage
    return ", ".join(
        f"{storage.url(rendition_name(field_file.name, w, ext))} {w}w" for w in info["widths"]
    )


def fallback_url(field_file, info: dict) -> str:
    """The JPEG closest to 960 px: what a browser without srcset support gets."""
    width = min(info["widths"], key=lambda w: abs(w - 960))
    return field_file.storage.url(rendition_name(field_file.name, width, "jpg"))


def share_image_url(article) -> str:
    """The largest JPEG rendition (what share cards and search engines fetch)."""
    info = article.cover_renditions or {}
    if not info.get("widths"):
        return article.cover_image.url
    return article.cover_image.storage.url(
        rendition_name(article.cover_image.name, max(info["widths"]), "jpg")
    )
