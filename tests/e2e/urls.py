"""The portal's URLs plus uploaded files, for the browser tests' live server.

portal/urls.py adds its media route only when SERVE_MEDIA is true at import
time, and by the time the browser tests run the URLconf is long imported (and
MEDIA_ROOT is a new folder for every test). This view reads MEDIA_ROOT on each
request instead, so covers and body images load as a reader would see them.
"""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", media),
    path("", include("portal.urls")),
]
