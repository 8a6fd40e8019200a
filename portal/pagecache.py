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

Each worker process also keeps its own copies of the pages it answered, and
answers them before Django (portal/pagecopies.py): this middleware hands them
the entry it answered with.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from portal.pagecopies import CONDITIONAL, ENTRY_KEY, max_age, page_cache_on, worker_copies

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
    worker_copies.clear()
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

    def _eligible(self, request) -> bool:
        return (
            page_cache_on()
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def _key(self, request) -> str:
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        return f"page:{hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()}"

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)

        key = self._key(request)
        if worker_copies.is_not_public(key):
            # Its last answer was not a public page: render it without looking it
            # up, and keep it (under the generation last read) if it now is one.
            return self._render(request, key, worker_copies.generation)

        try:
            # One round trip: the page and the current generation together; a
            # page kept under an older generation is stale.
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # the cache is a speed-up: when it is down, serve fresh pages
            log.exception("page cache unavailable")
            return self.get_response(request)
        generation = found.get(GENERATION_KEY, 0)
        worker_copies.saw_generation(generation)
        entry = found.get(key)
        if (
            entry is not None
            and entry["generation"] == generation
            and entry["expires"] > time.time()
        ):
            return self._answer(request, entry)
        return self._render(request, key, generation)

    def _render(self, request, key, generation):
        response = self.get_response(request)
        if (
            generation is not None
            and getattr(response, "public_page", False)
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
        elif not getattr(response, "public_page", False):
            worker_copies.mark_not_public(key)
        return response

    def _store(self, key, response, generation):
        timeout = settings.PAGE_CACHE_SECONDS
        until_next = seconds_until_next_publication()
        if until_next is not None:
            timeout = min(timeout, until_next)
        if timeout <= 0:
            return None
        now = time.time()
        headers = {h: response[h] for h in CACHED_HEADERS if h in response}
        headers["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        headers["Last-Modified"] = http_date(now)
        entry = {
            "generation": generation,
            "content": response.content,
            "headers": headers,
            "last_modified": int(now),
            "expires": now + timeout,
        }
        cache.set(key, entry, timeout)
        return entry

    def _answer(self, request, entry, response=None):
        # For this worker's copy, kept once the response has left every middleware.
        request.META[ENTRY_KEY] = entry
        if response is None:
            response = HttpResponse(entry["content"], headers=entry["headers"])
            response["Cache-Control"] = f"public, max-age={max_age(entry)}"
        else:
            response["ETag"] = entry["headers"]["ETag"]
            response["Last-Modified"] = entry["headers"]["Last-Modified"]
            patch_cache_control(response, public=True, max_age=max_age(entry))
        if not any(h in request.META for h in CONDITIONAL):
            return response
        return get_conditional_response(
            request,
            etag=entry["headers"]["ETag"],
            last_modified=entry["last_modified"],
            response=response,
        )
