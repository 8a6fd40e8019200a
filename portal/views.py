from functools import cache

from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# /favicon.ico cannot carry a hashed name, so it is cached for a month, not for
# ever: a new icon reaches every reader within that time.
FAVICON_MAX_AGE = 30 * 24 * 3600


def csrf_failure(request, reason=""):
    """A refused form in Vietnamese: what happened and how to send it again."""
    return render(request, "403_csrf.html", status=403)


@cache
def _favicon_path() -> str:
    return finders.find("icons/favicon.ico")


@require_safe
@cache_control(public=True, max_age=FAVICON_MAX_AGE)
def favicon(request):
    """The paper's icon where browsers and feed readers look for it without a page's
    ``<link rel=icon>`` (which names the hashed, immutable copy in static/)."""
    return FileResponse(open(_favicon_path(), "rb"), content_type="image/x-icon")
