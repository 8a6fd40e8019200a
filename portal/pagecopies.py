"""Each worker's own copies of cached reader pages, answered before Django.

On this machine one Redis round trip costs about as much CPU as Django's whole
minimal request, and Django's request handling (request object, signals, the
middleware chain) as much again (docs/performance.md). So a worker keeps a copy
of each page it answered from the shared page cache (portal/pagecache.py), with
the headers it left with, and ``PageCopiesApplication``, wrapped around Django's
WSGI application, answers later requests for it from memory.

Not state: the shared cache stays the truth. A copy is answered only while the
generation it was kept under is the current one, as this worker last read it
from the shared cache less than ``PAGE_CACHE_RECHECK_SECONDS`` ago (0: never
answer from a copy); after that the next request goes through Django, which
reads the generation again. A purge made in this worker clears its copies at
once; one made in another worker reaches this one within that time. Copies are
dropped oldest-used first past ``PAGE_CACHE_WORKER_BYTES``.

A copy is found by the request as the WSGI server hands it over (scheme, host
and forwarding headers, path, query), before Django has validated anything: a
copy exists only for a request Django itself answered with a public page, so
an identical request gets the identical page.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache

# Where the page cache middleware leaves the entry it answered with.
ENTRY_KEY = "portal.page_entry"
CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# Everything of the request that Django's answer to an anonymous GET may depend
# on: the scheme, the host as Django reads it (forwarding headers included) and
# the address.
KEY_PARTS = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)


def page_cache_on() -> bool:
    """PAGE_CACHE_SECONDS=0 turns the page cache off, and CACHE_URL=dummycache://
    every cache, this worker's copies included."""
    return settings.PAGE_CACHE_SECONDS > 0 and not isinstance(caches["default"], DummyCache)


def max_age(entry: dict) -> int:
    """What is left of a kept page's lifetime, never more than PAGE_CACHE_SECONDS:
    a CDN or browser keeping it cannot outlive the next scheduled publication."""
    remaining = int(entry["expires"] - time.time())
    return max(0, min(settings.PAGE_CACHE_SECONDS, remaining))


def request_key(environ) -> tuple | None:
    """What a copy is kept under, or None when the request may not get a copy."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not page_cache_on():
        return None
    # A session (staff) always gets a fresh page; a conditional request goes to
    # Django, which answers 304 when it can. (A cookie merely named like the
    # session cookie only costs the copy.)
    if f"{settings.SESSION_COOKIE_NAME}=" in environ.get("HTTP_COOKIE", ""):
        return None
    if any(name in environ for name in CONDITIONAL):
        return None
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    extra = environ.get(proxy_header[0]) if proxy_header else None
    return (extra, *(environ.get(name) for name in KEY_PARTS))


class WorkerCopies:
    """This process's copies: ``{key: (entry, status, headers)}``, most recently used last.

    A worker runs several requests at once in threads (portal/serve.py); one lock
    keeps the order and the size right.
    """

    MAX_NOT_PUBLIC = 10_000

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.entries: OrderedDict[tuple, tuple] = OrderedDict()
            self.size = 0
            self.generation = None
            self.read_at = float("-inf")
            self.not_public: OrderedDict[str, None] = OrderedDict()

    def current_generation(self):
        """The generation read from the shared cache, if it was read recently enough."""
        recheck = settings.PAGE_CACHE_RECHECK_SECONDS
        if recheck > 0 and self.clock() - self.read_at < recheck:
            return self.generation
        return None

    def saw_generation(self, generation) -> None:
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
                self.size = 0
                self.generation = generation
            self.read_at = self.clock()

    def get(self, key: tuple) -> tuple | None:
        generation = self.current_generation()
        if generation is None:
            return None
        with self.lock:
            copy = self.entries.get(key)
            if copy is None:
                return None
            entry = copy[0]
            if entry["generation"] != generation or entry["expires"] <= time.time():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return copy

    def keep(self, key: tuple, entry: dict, status: str, headers: list) -> None:
        limit = settings.PAGE_CACHE_WORKER_BYTES
        size = len(entry["content"])
        if size > limit // 2:  # one page may not push out all the others
            return
        with self.lock:
            if entry["generation"] != self.generation:
                return
            self._drop(key)
            self.entries[key] = (entry, status, headers)
            self.size += size
            while self.size > limit:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple) -> None:  # under the lock
        copy = self.entries.pop(key, None)
        if copy is not None:
            self.size -= len(copy[0]["content"])

    # Addresses whose last answer was not a public page (the comment list, a
    # search): the page cache middleware skips their look-up in the shared cache.

    def mark_not_public(self, key: str) -> None:
        with self.lock:
            self.not_public[key] = None
            self.not_public.move_to_end(key)
            if len(self.not_public) > self.MAX_NOT_PUBLIC:
                self.not_public.popitem(last=False)

    def is_not_public(self, key: str) -> bool:
        return key in self.not_public


worker_copies = WorkerCopies()

# Set per answer: what is left of the page's lifetime; sized by us.
_PER_ANSWER = {"cache-control", "content-length"}


class PageCopiesApplication:
    """Django's WSGI application, with this worker's copies answered in front of it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        key = request_key(environ)
        if key is not None:
            copy = worker_copies.get(key)
            if copy is not None:
                entry, status, headers = copy
                start_response(
                    status,
                    [
                        *headers,
                        ("Cache-Control", f"public, max-age={max_age(entry)}"),
                        ("Content-Length", str(len(entry["content"]))),
                    ],
                )
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry["content"]]

        answered = []

        def capture(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.application(environ, capture)
        entry = environ.get(ENTRY_KEY)
        if key is not None and entry is not None and answered and answered[0].startswith("200"):
            status, headers = answered
            kept = [(n, v) for n, v in headers if n.lower() not in _PER_ANSWER]
            worker_copies.keep(key, entry, status, kept)
        return body
