"""The rich-text editor's image upload and browse endpoints, contained.

django-ckeditor's own views are reachable by any staff user and exempt from
CSRF. These wrappers let in only staff who may write articles, check CKEditor's
own double-submit token (the ``ckCsrfToken`` field must equal the cookie of the
same name, which a cross-site form cannot read), and validate and clean every
image before django-ckeditor stores it.
"""

import json

from ckeditor_uploader import views as ckeditor_views
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .images import clean_upload

WRITER_PERMS = ("articles.add_article", "articles.change_article")


def _require_writer(request):
    if not any(request.user.has_perm(perm) for perm in WRITER_PERMS):
        raise PermissionDenied


def _refuse(request, message: str) -> HttpResponse:
    func_num = request.GET.get("CKEditorFuncNum", "")
    if func_num.isdigit():
        # The editor's upload dialog posts into an iframe and reads a callback.
        # (The admin, where the editor runs, is outside the reader pages' CSP.)
        payload = json.dumps(message)
        return HttpResponse(
            f"<script>window.parent.CKEDITOR.tools.callFunction({func_num}, '', {payload});"
            "</script>",
            status=400,
        )
    return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=400)


@staff_member_required
@require_POST
def upload(request):
    _require_writer(request)
    token = request.POST.get("ckCsrfToken", "")
    if not token or not constant_time_compare(token, request.COOKIES.get("ckCsrfToken", "")):
        raise PermissionDenied("CSRF")
    upload = request.FILES.get("upload")
    if upload is None:
        return _refuse(request, "Chưa chọn ảnh để tải lên.")
    try:
        request.FILES["upload"] = clean_upload(upload)
    except ValidationError as error:
        return _refuse(request, " ".join(error.messages))
    return ckeditor_views.upload(request)


@never_cache
@staff_member_required
def browse(request):
    _require_writer(request)
    return ckeditor_views.browse(request)
