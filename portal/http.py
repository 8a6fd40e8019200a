"""Site-wide request and response helpers, below every app.

``public_page`` only marks a view and its responses; the page cache (the
``pagecache`` app) reads the marks, so a view can say what its page is without
importing the cache.
"""

import ipaddress
from functools import partial, wraps

from django.conf import settings
from django.http import HttpRequest


def public_page(view=None, *, query=None, tags=()):
    """Mark a view's successful responses as the same for every anonymous reader.

    ``query`` names the query parameters the page reads, each with what reads
    its value: ``@public_page(query={"trang": int})``. Any other parameter is
    ignored by the page cache as by the page.

    ``tags`` name what the page shows, in the words of articles.signals.Change,
    filled from the address's parts: ``tags=("articles:{pk}",)``,
    ``("sections:{slug}",)``, ``("listings",)``. A change to one of them retires
    the page (pagecache/purge.py); every page also shows what is everywhere
    (the section menu).
    """
    if view is None:
        return partial(public_page, query=query, tags=tags)

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
    wrapper.page_tags = tuple(tags)
    return wrapper


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address, from ``COMMENTS_CLIENT_IP_HEADER``; None if it is not an address.

    A proxy appends the address it saw to ``X-Forwarded-For``, so only the last
    entry is the trusted one; anything before it was written by the client.
    """
    raw = request.META.get(settings.COMMENTS_CLIENT_IP_HEADER, "")
    candidate = str(raw).rsplit(",", 1)[-1].strip()
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    if getattr(address, "scope_id", None):
        return None
    return str(address)
