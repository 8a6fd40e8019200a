"""The anonymous page cache: reader pages answered before any session work.

Reader pages are the same HTML for every anonymous reader (comments load in a
second request: docs/performance.md, "Caching"), so a view marks its response with
``@public_page`` (portal/http.py) and this middleware, near the top of the
stack, keeps it in the shared cache and answers later anonymous requests from
there, before the session, authentication, CSRF and template work. Anyone
carrying a session cookie (staff) always gets a fresh page.

Freshness (purge.py): a page is kept with the generations of its tags, read
with the page in one round trip; a change readers can see gives the tags
showing it new generations, which retires just those pages. No page is kept
past the next scheduled publication, nor a listing past a front-page pick's end.

A page is kept with the headers it left the middlewares below this one with
(X-Frame-Options, the Content-Security-Policy, Content-Length...), and every
answer, the first one included, is made from what is kept: rendered, from the
shared cache or from a worker's copy, a page answers the same. The middlewares
above (SecurityMiddleware) add theirs to every answer. A page that varies on a
request header (``Vary``) or sets a cookie is not kept.

Each worker process also keeps its own copies of the pages it answered, and
answers them before Django (copies.py): this middleware hands them the entry it
answered with. Both find a page by ``page_key`` (keys.py).

The cache backend's rule holds here: a cache that fails answers as a miss
(portal/cache.py), and the page is rendered.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .copies import CONDITIONAL, ENTRY_KEY, max_age, worker_copies
from .keys import PURGES_KEY, address, page_cache_on, page_key, shared_key
from .purge import LISTINGS, seconds_until_next_pick_end, seconds_until_next_publication

# What each answer says for itself: the page's remaining lifetime.
PER_ANSWER = {"cache-control", "expires", "date", "age"}


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
        shown = address(request.path_info)
        if worker_copies.is_not_public(page):
            # Its last answer was not a public page: render it without looking it
            # up, and keep it (under the generations last read) if it now is one.
            # A purge of one of its tags forgets them: it is looked up again.
            known = worker_copies.known_generations(shown.tags)
            if known is not None:
                return self._render(request, page, known)

        # One round trip: the page, its tags' current generations (a page kept
        # under an older generation of one of them is stale) and the purge
        # journal's counter, for this worker's copies.
        key = shared_key(page)
        found = cache.get_many([key, PURGES_KEY, *shown.generation_keys])
        worker_copies.saw_purges(found.get(PURGES_KEY), cache.get_many)
        generations = {
            tag: found.get(k) for tag, k in zip(shown.tags, shown.generation_keys, strict=True)
        }
        worker_copies.saw(generations)
        entry = found.get(key)
        if (
            entry is not None
            and entry["generations"] == generations
            and entry["expires"] > time.time()
        ):
            return self._answer(request, entry)
        return self._render(request, page, generations)

    def _render(self, request, page, generations):
        response = self.get_response(request)
        if not getattr(response, "public_page", False):
            worker_copies.mark_not_public(page)
            return response
        worker_copies.mark_public(page)
        # Kept only if it depends on nothing page_key leaves out: no cookie, no Vary.
        if generations is None or response.cookies or response.has_header("Vary"):
            return response
        entry = self._store(page, response, generations)
        return response if entry is None else self._answer(request, entry)

    def _store(self, page, response, generations):
        timeout = settings.PAGE_CACHE_SECONDS
        until_next = [seconds_until_next_publication()]
        if LISTINGS in generations:  # the home shows the editors' picks until they end
            until_next.append(seconds_until_next_pick_end())
        timeout = min([timeout, *(s for s in until_next if s is not None)])
        if timeout <= 0:
            return None
        now = time.time()
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["Last-Modified"] = http_date(now)
        headers = {
            name: value for name, value in response.items() if name.lower() not in PER_ANSWER
        }
        entry = {
            "generations": generations,
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
