"""Gzip for what is the same for every reader, in the WSGI layer, in front of everything.

Compressed: a 200 answer to a GET, of a text type Django renders (HTML, feeds,
sitemaps, JSON), at least ``MIN_BYTES`` long, not encoded yet, with no cookie
set and no ``Vary: Cookie``, to a client that accepts gzip. Django marks every
answer that depends on the reader's cookies with ``Vary: Cookie`` (a CSRF token
or the session was used), so what is compressed carries no secret a
compression side channel (BREACH) could reveal: reader pages, feeds, search.
Everything else passes untouched: staff pages, forms with their token, static
files (WhiteNoise serves them compressed at collectstatic time) and media.

Why here and not Django's GZipMiddleware: the workers' page copies answer
before Django (pagecache/copies.py), and the page cache keeps one
uncompressed copy for every client. So pages are cached as they are and
compressed on the way out; a page with an ETag (every cached page: a digest of
its body) is compressed once per worker and version, then answered from
``compressed_copies``, so a cached page stays a memory copy.

Every answer that could be compressed says ``Vary: Accept-Encoding``, so a
CDN or browser keeps the two forms apart, and a compressed body's ETag is
weak (``W/``), as GZipMiddleware makes it: the bytes differ.
"""

import gzip
import threading
from collections import OrderedDict

from django.conf import settings
from django.utils.cache import cc_delim_re

MIN_BYTES = 860  # below this, gzip's header and a round trip cost more than they save
LEVEL = 6
TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/json",
    }
)


def accepts_gzip(header: str) -> bool:
    """``Accept-Encoding`` names gzip (or ``*``) without ``q=0``."""
    for part in header.split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        if coding.lower() not in ("gzip", "*"):
            continue
        weights = [p[2:] for p in params if p.lower().startswith("q=")]
        try:
            return not weights or float(weights[0]) > 0
        except ValueError:
            return False
    return False


class CompressedCopies:
    """Compressed bodies by ETag and length, most recently used last, within a budget."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.bodies: OrderedDict[tuple[str, int], bytes] = OrderedDict()
            self.size = 0

    def compress(self, etag: str | None, body: bytes) -> bytes:
        if etag is None:
            return gzip.compress(body, LEVEL, mtime=0)
        key = (etag, len(body))
        with self.lock:
            found = self.bodies.get(key)
            if found is not None:
                self.bodies.move_to_end(key)
                return found
        compressed = gzip.compress(body, LEVEL, mtime=0)
        # A quarter of what the uncompressed copies may take: gzip makes HTML
        # about five times smaller, so every copied page fits in compressed form.
        limit = settings.PAGE_CACHE_WORKER_BYTES // 4
        with self.lock:
            if key not in self.bodies and len(compressed) <= limit // 2:
                self.bodies[key] = compressed
                self.size += len(compressed)
                while self.size > limit:
                    self.size -= len(self.bodies.popitem(last=False)[1])
        return compressed


compressed_copies = CompressedCopies()


def _header(headers, name: str) -> str | None:
    name = name.lower()
    return next((v for n, v in headers if n.lower() == name), None)


def _same_for_everyone(status: str, headers) -> bool:
    """A 200 of a text type, long enough, not encoded, with nothing per reader."""
    content_type = (_header(headers, "Content-Type") or "").split(";")[0].strip().lower()
    length = _header(headers, "Content-Length")
    vary = {v.lower() for v in cc_delim_re.split(_header(headers, "Vary") or "")}
    return (
        status.startswith("200")
        and content_type in TYPES
        and length is not None
        and int(length) >= MIN_BYTES
        and _header(headers, "Content-Encoding") is None
        and _header(headers, "Set-Cookie") is None
        and "cookie" not in vary
        and "*" not in vary
        and "no-transform" not in (_header(headers, "Cache-Control") or "").lower()
    )


def _with_vary(headers) -> list:
    vary = _header(headers, "Vary")
    if vary is None:
        return [*headers, ("Vary", "Accept-Encoding")]
    if "accept-encoding" in vary.lower():
        return list(headers)
    return [(n, f"{v}, Accept-Encoding" if n.lower() == "vary" else v) for n, v in headers]


def _weak(etag: str) -> str:
    return etag if etag.startswith("W/") else f"W/{etag}"


class CompressionApplication:
    """A WSGI application, its answers that are the same for everyone gzipped."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        gzip_ok = method == "GET" and accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
        held = []

        def capture(status, headers, exc_info=None):
            if not _same_for_everyone(status, headers):
                if gzip_ok and status.startswith("304") and _header(headers, "ETag"):
                    # The ETag the compressed 200 carried.
                    headers = [(n, _weak(v) if n.lower() == "etag" else v) for n, v in headers]
                return start_response(status, headers, exc_info)
            if not gzip_ok:
                return start_response(status, _with_vary(headers), exc_info)
            held[:] = [status, headers, exc_info]
            return held.append  # write(): Django never calls it; kept for compression

        body = self.application(environ, capture)
        if not held:
            return body
        status, headers, exc_info, *written = held
        try:
            content = b"".join([*written, *body])
        finally:
            if hasattr(body, "close"):
                body.close()
        etag = _header(headers, "ETag")
        compressed = compressed_copies.compress(etag, content)
        headers = [
            (n, v) for n, v in _with_vary(headers) if n.lower() not in ("content-length", "etag")
        ]
        headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(compressed)))]
        if etag is not None:
            headers.append(("ETag", _weak(etag)))
        start_response(status, headers, exc_info)
        return [compressed]
