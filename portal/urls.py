from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles import editor_uploads

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ckeditor/upload/", editor_uploads.upload, name="ckeditor_upload"),
    path("ckeditor/browse/", editor_uploads.browse, name="ckeditor_browse"),
    path("y-kien/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded files from MEDIA_ROOT, for a single machine without a web server
    # or object storage in front (development, `make serve`).
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0,
        re_path(
            rf"^{prefix}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
            name="media",
        ),
    )
