"""Where uploaded media live: MEDIA_ROOT on the local disk, or an S3-compatible bucket.

Covers, their renditions, editor images, author photos and pending uploads all
go through Django's storage API (``default_storage`` and the image fields'
storage), never through a filesystem path, so one setting moves them all:
``MEDIA_STORAGE=s3`` gives django-storages' ``S3Storage`` (portal/s3.py).

A storage that cannot be reached raises one of ``storage_errors()``: the
newsroom's forms and the editor's upload turn it into a message, and reader
pages never call the storage (their URLs are computed, not fetched).
"""

import sys
from urllib.parse import urlsplit

from django.core.files.storage import default_storage


def storage_errors() -> tuple:
    """What a storage call raises when the storage cannot do it: the local disk's
    OSError, and the S3 client's connection errors and refusals once the S3
    storage has loaded botocore (a worker on the local disk never loads it:
    about 17 MB). An ``except`` clause evaluates it only when an error is raised."""
    botocore = sys.modules.get("botocore.exceptions")
    if botocore is None:
        return (OSError,)
    return (OSError, botocore.BotoCoreError, botocore.ClientError)


# What a journalist reads when an image cannot be stored.
UNAVAILABLE = (
    "Không lưu được ảnh: kho lưu trữ ảnh đang không kết nối được. Nội dung bạn nhập "
    "vẫn còn trên trang; hãy chọn lại ảnh và lưu lại sau ít phút."
)


def media_origin(media_url: str) -> str:
    """The origin (scheme and host) of an absolute MEDIA_URL, for the CSP; "" for a path."""
    parts = urlsplit(media_url)
    if not parts.netloc:
        return ""
    return f"{parts.scheme or 'https'}://{parts.netloc}"


def media_storage():
    """CKEDITOR_STORAGE_BACKEND: the editor stores where every other upload goes,
    following ``STORAGES`` as ``default_storage`` does (a test's override too)."""
    return default_storage
