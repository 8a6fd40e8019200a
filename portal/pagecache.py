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

A page is kept with the headers it left the middlewares below this one with
(X-Frame-Options, the Content-Security-Policy, Content-Length...), and every
answer, the first one included, is made from what is kept: rendered, from the
shared cache or from a worker's copy, a page answers the same. The middlewares
above (SecurityMiddleware) add theirs to every answer. A page that varies on a
request header (``Vary``) or sets a cookie is not kept.

Each worker process also keeps its own copies of the pages it answered, and
answers them before Django (portal/pagecopies.py): this middleware hands them
the entry it answered with. Both find a page by ``page_key``.

The cache backend's rule holds here: a cache that fails answers as a miss
(portal/cache.py), and the page is rendered.
"""

import hashlib
import time
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from portal.pagecopies import (
    CONDITIONAL,
    ENTRY_KEY,
    max_age,
    page_cache_on,
    page_key,
    worker_copies,
)

GENERATION_KEY = "pages:generation"
NEXT_PUBLICATION_KEY = "pages:next-publication"
# What each answer says for itself: the page's remaining lifetime.
PER_ANSWER = {"cache-control", "expires", "date", "age"}


def public_page(view=None, *, query=None):
    """Mark a view's successful responses as the same for every anonymous reader.

    ``query`` names the query parameters the page reads, each with what reads
    its value: ``@public_page(query={"trang": int})``. Any other parameter is
    ignored by the page cache as by the page.
    """
    if view is None:
        return partial(public_page, query=query)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.public_page = True
            # A public page carries no CSRF token (comments bring theirs), so it
            # sends no CSRF cookie, not even the new one CsrfViewMiddleware
            # would send for a malformed cookie: that cookie would keep the
            # reader from the cache.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response

    wrapper.page_query = dict(query or {})
    return wrapper


def shared_key(page: tuple) -> str:
    """The shared cache's key for a page (``page_key``)."""
    return f"page:{hashlib.md5(repr(page).encode(), usedforsecurity=False).hexdigest()}"


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

    def __call__(self, request):
        page = page_key(request.META, request.path_info) if self._eligible(request) else None
        if page is None:
            return self.get_response(request)
        if worker_copies.is_not_public(page):
            # Its last answer was not a public page: render it without looking it
            # up, and keep it (under the generation last read) if it now is one.
            return self._render(request, page, worker_copies.generation)

        # One round trip: the page and the current generation together; a page
        # kept under an older generation is stale.
        key = shared_key(page)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY, 0)
        worker_copies.saw_generation(generation)
        entry = found.get(key)
        if (
            entry is not None
            and entry["generation"] == generation
            and entry["expires"] > time.time()
        ):
            return self._answer(request, entry)
        return self._render(request, page, generation)

    def _render(self, request, page, generation):
        response = self.get_response(request)
        if not getattr(response, "public_page", False):
            worker_copies.mark_not_public(page)
            return response
        # Kept only if it depends on nothing page_key leaves out: no cookie, no Vary.
        if generation is None or response.cookies or response.has_header("Vary"):
            return response
        entry = self._store(page, response, generation)
        return response if entry is None else self._answer(request, entry)

    def _store(self, page, response, generation):
        timeout = settings.PAGE_CACHE_SECONDS
        until_next = seconds_until_next_publication()
        if until_next is not None:
            timeout = min(timeout, until_next)
        if timeout <= 0:
            return None
        now = time.time()
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["Last-Modified"] = http_date(now)
        headers = {
            name: value for name, value in response.items() if name.lower() not in PER_ANSWER
        }
        entry = {
            "generation": generation,
            "content": response.content,
            "headers": headers,
            "last_modified": int(now),
            "expires": now + timeout,
        }
        cache.set(shared_key(page), entry, timeout)
        return entry

    def _answer(self, request, entry):
        # For this worker's copy, kept once the response has left every middleware.
        request.META[ENTRY_KEY] = entry
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["Cache-Control"] = f"public, max-age={max_age(entry)}"
        if not any(h in request.META for h in CONDITIONAL):
            return response
        return get_conditional_response(
            request,
            etag=entry["headers"]["ETag"],
            last_modified=entry["last_modified"],
            response=response,
        )
