"""What a cached page is kept under, and what it shows.

A page is kept, in the shared cache and in a worker's copies, under
``page_key``: the request as the WSGI server hands it over, before Django has
validated anything (a page exists only for a request Django itself answered
with a public page, so an identical request gets the identical page), reduced
to what a public page's answer depends on. Of the query string that is only the
parameters the page reads (``@public_page(query=...)``, portal/http.py), as it
reads them: any other parameter, like a forwarding header Django does not
read, neither makes a new page nor goes around the cache.

What a page shows is its ``page_tags``, known from its address before any
look-up: the view's ``@public_page(tags=...)`` filled from the address's parts,
and ``everywhere``. Each tag has a generation in the shared cache
(``generation_key``), which a change to what it names replaces (purge.py).
"""

import hashlib
from contextlib import suppress
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, resolve

# Shown by every page (the section menu): one tag more on each.
EVERYWHERE = "everywhere"
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


def generation_key(tag: str) -> str:
    return f"pages:tag:{tag}"


# The purge journal: a counter of purges, and the tags each one retired, so a
# worker learns with one read per PAGE_CACHE_RECHECK_SECONDS whether any of its
# copies went stale (copies.py), however many pages and tags it holds.
PURGES_KEY = "pages:purges"


def purge_key(number: int) -> str:
    return f"pages:purge:{number}"


class Address(NamedTuple):
    """What the public page at an address reads and shows."""

    query: tuple  # ((name, read), ...) by name; () when it reads none
    tags: tuple  # what it shows, EVERYWHERE first
    generation_keys: tuple  # the tags' generation_key, in the same order
    headers: tuple = ()  # ((header, WSGI name, read), ...) by name: what it varies on


@lru_cache(maxsize=4096)
def address(path_info: str) -> Address | None:
    """The public page at this address (decoded, as ``request.path_info``), or
    None when no public page is there: the URLconf asked once per address."""
    try:
        match = resolve(path_info or "/")
    except Resolver404:
        return None
    reads = getattr(match.func, "page_query", None)
    if reads is None:
        return None
    shown = (tag.format(**match.kwargs) for tag in getattr(match.func, "page_tags", ()))
    tags = tuple(dict.fromkeys((EVERYWHERE, *shown)))
    headers = tuple(
        (name, "HTTP_" + name.upper().replace("-", "_"), read)
        for name, read in sorted(getattr(match.func, "page_headers", {}).items())
    )
    return Address(tuple(sorted(reads.items())), tags, tuple(map(generation_key, tags)), headers)


@receiver(setting_changed)
def _forget_addresses(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        address.cache_clear()


def page_key(environ, path_info: str) -> tuple | None:
    """What the page answering this request is kept under: this in the worker's
    copies, its digest in the shared cache (``shared_key``); None when no public
    page can answer it. ``path_info`` is the path as Django decodes it
    (``get_path_info``): Django replaces the raw one in ``request.META``."""
    page = address(path_info)
    if page is None:
        return None
    query = ()
    if page.query and environ.get("QUERY_STRING"):
        params = _params(environ["QUERY_STRING"])
        if params is None:
            return None  # Django refuses it (400)
        query = tuple(
            (name, _read(read, params[name])) for name, read in page.query if name in params
        )
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    return (
        *(environ.get(name) for name in KEY_PARTS),
        environ.get(proxy_header[0]) if proxy_header else None,
        environ.get("HTTP_X_FORWARDED_HOST") if settings.USE_X_FORWARDED_HOST else None,
        environ.get("HTTP_X_FORWARDED_PORT") if settings.USE_X_FORWARDED_PORT else None,
        path_info,
        query,
        *(read(environ.get(meta)) for _, meta, read in page.headers),
    )


def shared_key(page: tuple) -> str:
    """The shared cache's key for a page (``page_key``)."""
    return f"page:{hashlib.md5(repr(page).encode(), usedforsecurity=False).hexdigest()}"


def lease_key(shared: str) -> str:
    """The shared cache's key of the lease on rendering the page kept under
    ``shared`` (``shared_key``): single flight, middleware.py."""
    return f"render:{shared}"


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
