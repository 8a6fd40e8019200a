"""The anonymous page cache: reader pages answered before any session work.

Reader pages are the same HTML for every anonymous reader (ARCHITECTURE.md,
"Why comments load after the page"), so a view marks its response with
``@public_page`` and this middleware, near the top of the stack, keeps it in
the shared cache and answers later anonymous requests from there, before the
session, authentication, CSRF and template work. Anyone carrying a session
cookie (staff) always gets a fresh page.

Freshness: every article, section or author change bumps one generation
number after its commit (``purge_pages``), which retires every cached page at
once; and no page is kept past the next scheduled publication, so a scheduled
article appears on time with nobody touching the cache.
"""

import hashlib
import logging
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

log = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
NEXT_PUBLICATION_KEY = "pages:next-publication"
CACHED_HEADERS = ("Content-Type", "Content-Security-Policy", "Content-Language")


def public_page(view):
    """Mark a view's successful responses as cacheable for anonymous readers."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.public_page = True
        return response

    return wrapper


def purge_pages() -> None:
    """Retire every cached reader page once the current transaction commits."""
    transaction.on_commit(_bump_generation)


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)
    cache.delete(NEXT_PUBLICATION_KEY)


def seconds_until_next_publication() -> int | None:
    """Seconds until the next scheduled article goes live (None if none is scheduled)."""
    from articles.models import Article

    nxt = cache.get(NEXT_PUBLICATION_KEY)
    if nxt is None:
        found = (
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        nxt = found.timestamp() if found else 0.0
        # Recomputed at least hourly and whenever an article changes.
        cache.set(NEXT_PUBLICATION_KEY, nxt, timeout=3600)
    if not nxt:
        return None
    return max(0, int(nxt - timezone.now().timestamp()))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def max_age(self) -> int:
        return settings.PAGE_CACHE_SECONDS

    def _eligible(self, request) -> bool:
        return (
            self.max_age > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def _key(self, request) -> str:
        url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False)
        return f"page:{url.hexdigest()}"

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)

        key = self._key(request)
        try:
            # One round trip: the page and the current generation together; a
            # page kept under an older generation is stale.
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # the cache is a speed-up: when it is down, serve fresh pages
            log.exception("page cache unavailable")
            return self.get_response(request)
        generation = found.get(GENERATION_KEY, 0)
        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            return self._answer(request, entry)

        response = self.get_response(request)
        if (
            getattr(response, "public_page", False)
            and not response.cookies
            and "cookie" not in response.get("Vary", "").lower()
        ):
            try:
                entry = self._store(key, response, generation)
            except Exception:
                log.exception("page cache unavailable")
                entry = None
            if entry is not None:
                return self._answer(request, entry, response)
        return response

    def _store(self, key, response, generation):
        timeout = self.max_age
        until_next = seconds_until_next_publication()
        if until_next is not None:
            timeout = min(timeout, until_next)
        if timeout <= 0:
            return None
        now = timezone.now()
        entry = {
            "generation": generation,
            "content": response.content,
            "headers": {h: response[h] for h in CACHED_HEADERS if h in response},
            "etag": f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
            "last_modified": now.timestamp(),
            "expires": (now + timedelta(seconds=timeout)).timestamp(),
        }
        cache.set(key, entry, timeout)
        return entry

    def _answer(self, request, entry, response=None):
        if response is None:
            response = HttpResponse(entry["content"])
            for header, value in entry["headers"].items():
                response[header] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        remaining = int(entry["expires"] - timezone.now().timestamp())
        patch_cache_control(response, public=True, max_age=max(0, min(self.max_age, remaining)))
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=int(entry["last_modified"]),
            response=response,
        )
