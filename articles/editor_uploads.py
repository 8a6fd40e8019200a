"""The rich-text editor's image upload and browse endpoints, contained.

django-ckeditor's own views are reachable by any staff user and exempt from
CSRF. These wrappers let in only staff who may write articles, stay under
Django's CSRF check (the editor sends Django's token in ``X-CSRFToken``, see
static/js/editor-baophusa.js and docs/security.md), and validate and clean
every image before django-ckeditor stores it, in the site's media storage
(``CKEDITOR_STORAGE_BACKEND``: the local disk or the bucket, portal/storage.py).
A storage that cannot be reached gets a Vietnamese message, never a 500.
"""

import logging

from ckeditor_uploader import views as ckeditor_views
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.storage import storage_errors

from .images import clean_upload

WRITER_PERMS = ("articles.add_article", "articles.change_article")
UNAVAILABLE = (
    "Không lưu được ảnh: kho lưu trữ ảnh đang không kết nối được. Hãy thử lại sau ít phút."
)
UNAVAILABLE_BROWSE = "Chưa xem được ảnh đã tải lên: kho lưu trữ ảnh đang không kết nối được."

log = logging.getLogger(__name__)


def _require_writer(request):
    if not any(request.user.has_perm(perm) for perm in WRITER_PERMS):
        raise PermissionDenied


def _refuse(message: str, status: int = 400) -> JsonResponse:
    # CKEditor's upload protocol; the editor plugin shows the message.
    return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=status)


@staff_member_required
@require_POST
def upload(request):
    """Store one image sent by the editor (paste, drop or upload tab) and answer its URL."""
    _require_writer(request)
    upload = request.FILES.get("upload")
    if upload is None:
        return _refuse("Chưa chọn ảnh để tải lên.")
    try:
        request.FILES["upload"] = clean_upload(upload)
    except ValidationError as error:
        return _refuse(" ".join(error.messages))
    try:
        return ckeditor_views.upload(request)
    except storage_errors():
        log.warning("Editor upload refused: media storage unavailable", exc_info=True)
        return _refuse(UNAVAILABLE, status=503)


@never_cache
@staff_member_required
def browse(request):
    """The editor's image browser: the images uploaded so far (templates/ckeditor/browse.html)."""
    _require_writer(request)
    try:
        return ckeditor_views.browse(request)
    except storage_errors():
        log.warning("Editor browser: media storage unavailable", exc_info=True)
        return HttpResponse(
            UNAVAILABLE_BROWSE, status=503, content_type="text/plain; charset=utf-8"
        )
