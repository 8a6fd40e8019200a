"""The rich-text editor's image upload and browse endpoints, contained.

django-ckeditor's own views are reachable by any staff user and exempt from
CSRF. These wrappers let in only staff who may write articles, stay under
Django's CSRF check (the editor sends Django's token in ``X-CSRFToken``, see
static/js/editor-baophusa.js and docs/security.md), and validate and clean
every image before django-ckeditor stores it.
"""

from ckeditor_uploader import views as ckeditor_views
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .images import clean_upload

WRITER_PERMS = ("articles.add_article", "articles.change_article")


def _require_writer(request):
    if not any(request.user.has_perm(perm) for perm in WRITER_PERMS):
        raise PermissionDenied


def _refuse(message: str) -> JsonResponse:
    # CKEditor's upload protocol; the editor plugin shows the message.
    return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=400)


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
    return ckeditor_views.upload(request)


@never_cache
@staff_member_required
def browse(request):
    """The editor's image browser: the images uploaded so far (templates/ckeditor/browse.html)."""
    _require_writer(request)
    return ckeditor_views.browse(request)
