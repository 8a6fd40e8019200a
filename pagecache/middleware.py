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

Single flight: a page the shared cache lacks, or holds stale, is rendered by
one request at a time, across workers: the one that takes its lease in the
shared cache (``lease_key``) for at most PAGE_CACHE_RENDER_SECONDS. Another
request meanwhile gets the page's previous copy if the shared cache still holds
it (purged, or expired less than PAGE_CACHE_STALE_SECONDS ago), sent so that
nothing keeps it; without one it waits for the render, never past the lease,
then renders the page itself. A previous copy stands in only for a render under
way: what the render keeps replaces it, and a render that keeps nothing (the
410 of an article taken down, a 404, an error) removes it.

The cache backend's rule holds here: a cache that fails answers as a miss
(portal/cache.py), and the page is rendered: with no lease taken, nothing waits.
"""

import hashlib
import time
from time import monotonic, sleep

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from articles.schedule import seconds_until_next_pick_end, seconds_until_next_publication

from .copies import CONDITIONAL, ENTRY_KEY, max_age, worker_copies
from .keys import PURGES_KEY, address, lease_key, page_cache_on, page_key, shared_key
from .purge import LISTINGS

# What each answer says for itself: the page's remaining lifetime.
PER_ANSWER = {"cache-control", "expires", "date", "age"}
# What a previous copy is sent without: no cache may ask to keep it (a 304).
VALIDATORS = {"etag", "last-modified"}
# How often a request waiting for another's render looks for the page.
POLL_SECONDS = 0.05


def is_fresh(entry: dict | None, generations: dict) -> bool:
    """Whether a kept page may answer: kept under its tags' current generations,
    and not past its end."""
    return (
        entry is not None and entry["generations"] == generations and entry["expires"] > time.time()
    )


def _varies_as_kept(request, response) -> bool:
    if not response.has_header("Vary"):
        return True
    read = {name.lower() for name, _, _ in address(request.path_info).headers}
    return {h.strip().lower() for h in response["Vary"].split(",")} <= read


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
                return self._render(request, page, known)[0]

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
        if is_fresh(entry, generations):
            return self._answer(request, entry)
        return self._single_flight(request, page, key, entry, generations)

    def _single_flight(self, request, page, key, previous, generations):
        """The page rendered by this request if it takes the lease on rendering
        it; else its previous copy, or what the lease's holder renders."""
        seconds = settings.PAGE_CACHE_RENDER_SECONDS
        lease = lease_key(key)
        taken = cache.add(lease, 1, timeout=seconds) if seconds > 0 else None
        if taken is None:  # single flight off, or a cache that did not answer
            return self._render(request, page, generations)[0]
        if taken:
            return self._render_leased(request, page, generations, key, lease)
        if previous is not None and time.time() < (
            previous["expires"] + settings.PAGE_CACHE_STALE_SECONDS
        ):
            return self._previous(previous)
        entry = self._awaited(lease, key, generations)
        if entry is not None:
            return self._answer(request, entry)
        return self._render(request, page, generations)[0]

    def _render_leased(self, request, page, generations, key, lease):
        started, kept = monotonic(), False
        try:
            response, kept = self._render(request, page, generations)
        finally:
            # What the render kept replaced the previous copy; if it kept
            # nothing, the previous copy goes: it stands in for no later render.
            gone = [] if kept else [key]
            if monotonic() - started < settings.PAGE_CACHE_RENDER_SECONDS:
                gone.append(lease)  # past its time the lease may be another's
            if gone:
                cache.delete_many(gone)
        return response

    def _awaited(self, lease, key, generations):
        """The page the lease's holder renders, once kept; None if the lease ends
        without it (nothing kept, the holder's worker died, the cache failed)."""
        deadline = monotonic() + settings.PAGE_CACHE_RENDER_SECONDS
        while (left := deadline - monotonic()) > 0:
            sleep(min(POLL_SECONDS, left))
            # The lease first: a render keeps its page before it gives the lease back.
            found = cache.get_many([lease, key])
            if is_fresh(found.get(key), generations):
                return found[key]
            if lease not in found:
                return None
        return None

    def _render(self, request, page, generations):
        """The page rendered, and whether it was kept: (response, kept)."""
        response = self.get_response(request)
        if not getattr(response, "public_page", False):
            worker_copies.mark_not_public(page)
            return response, False
        worker_copies.mark_public(page)
        # Kept only if it depends on nothing page_key leaves out: no cookie, and
        # no Vary but on the headers the page's address reads.
        if generations is None or response.cookies or not _varies_as_kept(request, response):
            return response, False
        entry = self._store(page, response, generations)
        if entry is None:
            return response, False
        return self._answer(request, entry), True

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
        # Kept a little past its end, to stand in for its next render (single flight).
        cache.set(shared_key(page), entry, timeout + settings.PAGE_CACHE_STALE_SECONDS)
        return entry

    def _previous(self, entry):
        """A stale copy, standing in for a render under way: sent so that nothing
        keeps it as the page (no lifetime, no validator, no worker's copy)."""
        headers = {n: v for n, v in entry["headers"].items() if n.lower() not in VALIDATORS}
        response = HttpResponse(entry["content"], headers=headers)
        response["Cache-Control"] = "public, max-age=0"
        return response

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
