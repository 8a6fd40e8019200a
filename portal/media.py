"""Uploaded files served by Django itself, when SERVE_MEDIA is on (portal/urls.py)."""

import errno

from django.conf import settings
from django.http import Http404
from django.views.static import serve


def serve_media(request, path):
    """A file under MEDIA_ROOT; a name too long for the filesystem is a 404 like any other."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as exc:
        # A component past 255 bytes (or a path past 4096) cannot name a file:
        # the filesystem refuses it outright instead of answering "not found".
        if exc.errno != errno.ENAMETOOLONG:
            raise
        raise Http404("Không có tệp này.") from exc
