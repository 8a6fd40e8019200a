"""Each worker's own copies of cached reader pages, answered before Django.

A Redis round trip costs about as much CPU as Django's whole minimal request,
and Django's request handling (request object, signals, the middleware chain)
as much again (docs/performance.md). So a worker keeps a copy
of each page it answered from the shared page cache (middleware.py), with the
headers it left with, and ``PageCopiesApplication``, wrapped around Django's
WSGI application, answers later requests for it from memory.

Not state: the shared cache stays the truth. A copy is answered only while each
of its tags (keys.py) has the generation it was kept under, as this worker last
read it, and while this worker read the purge journal (keys.PURGES_KEY) less
than ``PAGE_CACHE_RECHECK_SECONDS`` ago (0: never answer from a copy). The
journal is read with every look-up in the shared cache, so after that time the
next request goes through Django, which reads it again: one read tells whether
any purge happened, and if so the tags each purge retired, whose copies go.
A purge made in this worker drops the copies showing what changed at once; one
made in another worker reaches this one within that time. Copies are dropped oldest-used first past
``PAGE_CACHE_WORKER_BYTES``.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.handlers.wsgi import get_path_info

from .keys import page_cache_on, page_key, purge_key

# Where the page cache middleware leaves the entry it answered with.
ENTRY_KEY = "pagecache.entry"
CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


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
    return page_key(environ, get_path_info(environ))


class WorkerCopies:
    """This process's copies: ``{key: (entry, status, headers)}``, most recently used last.

    ``seen`` holds each tag's generation as last read from the shared cache, and
    when; ``showing`` the copies of each tag, so that a new generation drops
    them at once. A worker runs several requests at once in threads
    (portal/serve.py); one lock keeps the order and the size right.
    """

    MAX_NOT_PUBLIC = 10_000
    MAX_TAGS = 10_000
    # More purges than this since the journal was last read: drop every copy
    # rather than read them all.
    MAX_PURGES_READ = 50

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.entries: OrderedDict[tuple, tuple] = OrderedDict()
            self.size = 0
            self.seen: OrderedDict[str, tuple] = OrderedDict()  # tag: (generation, read at)
            self.showing: dict[str, set] = {}
            self.not_public: OrderedDict[tuple, None] = OrderedDict()
            self.purges = None  # the journal's counter as last read
            self.purges_read_at = float("-inf")

    def saw_purges(self, number, read_many) -> None:
        """The purge journal's counter, just read; ``read_many`` reads its entries.

        The same counter: every copy stays good. A later one: the copies of the
        tags those purges retired go. Anything else (entries gone, too many to
        read, a counter that went back or vanished): every copy goes.
        """
        last = self.purges
        retired = None
        if (
            number != last
            and last is not None
            and number is not None
            and 0 < number - last <= self.MAX_PURGES_READ
        ):
            wanted = [purge_key(n) for n in range(last + 1, number + 1)]
            found = read_many(wanted)
            if len(found) == len(wanted):
                retired = {tag for tags in found.values() for tag in tags}
        with self.lock:
            if number != last:
                if retired is None:
                    self._drop_all()
                else:
                    for tag in retired:
                        self._drop_tag(tag)
                self.purges = number
            self.purges_read_at = self.clock()

    def saw(self, generations: dict) -> None:
        """The generations of these tags, just read from the shared cache."""
        now = self.clock()
        with self.lock:
            for tag, generation in generations.items():
                last = self.seen.get(tag)
                if last is not None and last[0] != generation:
                    self._drop_tag(tag)
                self.seen[tag] = (generation, now)
                self.seen.move_to_end(tag)
            while len(self.seen) > self.MAX_TAGS:
                self._drop_tag(next(iter(self.seen)))

    def forget(self, tags) -> None:
        """These tags have new generations (a purge in this worker): their copies go now."""
        with self.lock:
            for tag in tags:
                self._drop_tag(tag)

    def known_generations(self, tags) -> dict | None:
        """The generations last read for these tags, if every one was read."""
        with self.lock:
            seen = [self.seen.get(tag) for tag in tags]
        if None in seen:
            return None
        return {tag: last[0] for tag, last in zip(tags, seen, strict=True)}

    def get(self, key: tuple) -> tuple | None:
        recheck = settings.PAGE_CACHE_RECHECK_SECONDS
        if recheck <= 0:
            return None
        if self.clock() - self.purges_read_at >= recheck:
            return None  # to be checked again in the shared cache, with the journal
        with self.lock:
            copy = self.entries.get(key)
            if copy is None:
                return None
            entry = copy[0]
            for tag, generation in entry["generations"].items():
                last = self.seen.get(tag)
                if last is None:
                    return None
                if last[0] != generation:
                    self._drop(key)
                    return None
            if entry["expires"] <= time.time():
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
            for tag, generation in entry["generations"].items():
                last = self.seen.get(tag)
                if last is None or last[0] != generation:
                    return  # a purge came in while the page was answered
            self._drop(key)
            self.entries[key] = (entry, status, headers)
            self.size += size
            for tag in entry["generations"]:
                self.showing.setdefault(tag, set()).add(key)
            while self.size > limit:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple) -> None:  # under the lock
        copy = self.entries.pop(key, None)
        if copy is None:
            return
        self.size -= len(copy[0]["content"])
        for tag in copy[0]["generations"]:
            keys = self.showing.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self.showing[tag]

    def _drop_all(self) -> None:  # under the lock
        self.entries.clear()
        self.size = 0
        self.seen.clear()
        self.showing.clear()

    def _drop_tag(self, tag: str) -> None:  # under the lock
        self.seen.pop(tag, None)
        for key in self.showing.pop(tag, ()):
            self._drop(key)

    # Addresses of public pages whose last answer was something else (a redirect,
    # a 404): the page cache middleware skips their look-up in the shared cache
    # until they answer a public page again. (An address no public page answers,
    # the comment list or a search, has no page_key and is never looked up.)

    def mark_not_public(self, key: tuple) -> None:
        with self.lock:
            self.not_public[key] = None
            self.not_public.move_to_end(key)
            if len(self.not_public) > self.MAX_NOT_PUBLIC:
                self.not_public.popitem(last=False)

    def mark_public(self, key: tuple) -> None:
        with self.lock:
            self.not_public.pop(key, None)

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
