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

A page is kept, here and in the shared cache, under ``page_key``: the request
as the WSGI server hands it over, before Django has validated anything (a page
exists only for a request Django itself answered with a public page, so an
identical request gets the identical page), reduced to what a public page's
answer depends on. Of the query string that is only the parameters the page
reads (``@public_page(query=...)``), as it reads them: any other parameter,
like a forwarding header Django does not read, neither makes a new page nor
goes around the cache.
"""

import threading
import time
from collections import OrderedDict
from contextlib import suppress
from functools import lru_cache
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.handlers.wsgi import get_path_info
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, resolve

# Where the page cache middleware leaves the entry it answered with.
ENTRY_KEY = "portal.page_entry"
CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# What of the request, besides the query, a public page's answer depends on:
# the scheme and the host as Django reads them, and the address. The forwarding
# headers count only where the settings have Django read them (page_key).
KEY_PARTS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
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


@lru_cache(maxsize=4096)
def page_query(path_info: str) -> tuple | None:
    """The query parameters the public page at this address (decoded, as
    ``request.path_info``) reads, ``((name, read), ...)`` by name (``()``: none),
    or None when no public page is there: the URLconf asked once per address."""
    try:
        match = resolve(path_info or "/")
    except Resolver404:
        return None
    reads = getattr(match.func, "page_query", None)
    return None if reads is None else tuple(sorted(reads.items()))


@receiver(setting_changed)
def _forget_addresses(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        page_query.cache_clear()


def page_key(environ, path_info: str) -> tuple | None:
    """What the page answering this request is kept under: this in the worker's
    copies, its digest in the shared cache (pagecache.shared_key); None when no
    public page can answer it. ``path_info`` is the path as Django decodes it
    (``get_path_info``): Django replaces the raw one in ``request.META``."""
    reads = page_query(path_info)
    if reads is None:
        return None
    query = ()
    if reads and environ.get("QUERY_STRING"):
        params = _params(environ["QUERY_STRING"])
        if params is None:
            return None  # Django refuses it (400)
        query = tuple((name, _read(read, params[name])) for name, read in reads if name in params)
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    return (
        *(environ.get(name) for name in KEY_PARTS),
        environ.get(proxy_header[0]) if proxy_header else None,
        environ.get("HTTP_X_FORWARDED_HOST") if settings.USE_X_FORWARDED_HOST else None,
        environ.get("HTTP_X_FORWARDED_PORT") if settings.USE_X_FORWARDED_PORT else None,
        path_info,
        query,
    )


def _params(query_string: str) -> dict | None:
    """The query as ``request.GET`` reads it, the last value of each name, or None
    when Django refuses it: QueryDict's reading, without building one (which
    costs as much as answering from a copy)."""
    text = query_string  # a WSGI string carries its bytes as latin-1
    if not text.isascii():
        # Else read as latin-1, as QueryDict does.
        with suppress(UnicodeDecodeError):
            text = text.encode("iso-8859-1").decode(settings.DEFAULT_CHARSET)
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding=settings.DEFAULT_CHARSET,
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError:  # too many fields: TooManyFieldsSent, a 400
        return None
    return dict(pairs)


def _read(read, value):
    """``value`` as the page reads it (``?trang=02`` is page 2), or as it came when
    the page cannot read it (and answers 404: nothing is kept)."""
    try:
        return read(value)
    except ValueError:
        return value


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
    return page_key(environ, get_path_info(environ))


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
            self.not_public: OrderedDict[tuple, None] = OrderedDict()

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

    # Addresses of public pages whose last answer was something else (a redirect,
    # a 404): the page cache middleware skips their look-up in the shared cache.
    # (An address no public page answers, the comment list or a search, has no
    # page_key and is never looked up.)

    def mark_not_public(self, key: tuple) -> None:
        with self.lock:
            self.not_public[key] = None
            self.not_public.move_to_end(key)
            if len(self.not_public) > self.MAX_NOT_PUBLIC:
                self.not_public.popitem(last=False)

    def is_not_public(self, key: tuple) -> bool:
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
