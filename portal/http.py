"""Site-wide request and response helpers, below every app.

``public_page`` only marks a view and its responses; the page cache (the
``pagecache`` app) reads the marks, so a view can say what its page is without
importing the cache. ``same_origin_only`` guards a form that a cached page
carries, and so cannot carry a CSRF token (docs/security.md, "CSRF").
"""

import ipaddress
from functools import partial, wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt

CROSS_SITE_MESSAGE = (
    "Yêu cầu này không được gửi từ trang của báo nên không được nhận. "
    "Hãy mở bài viết trên trang của báo rồi gửi lại."
)
# Sec-Fetch-Site values of a request this site's own pages made, or the reader
# made themselves (typed, bookmarked). "same-site" is a sibling subdomain: refused.
OWN_FETCH_SITES = frozenset({"same-origin", "none"})


def public_page(view=None, *, query=None, tags=(), headers=None):
    """Mark a view's successful responses as the same for every anonymous reader.

    ``query`` names the query parameters the page reads, each with what reads
    its value: ``@public_page(query={"trang": int})``. Any other parameter is
    ignored by the page cache as by the page.

    ``headers`` names the request headers the page reads, each with what reads
    its value (None when it is missing) into the few answers the page gives:
    ``headers={"X-Requested-With": is_script}``. The page cache keeps one copy
    per answer, and the response says ``Vary`` on them.

    ``tags`` name what the page shows, in the words of articles.signals.Change,
    filled from the address's parts: ``tags=("articles:{pk}",)``,
    ``("sections:{slug}",)``, ``("listings",)``. A change to one of them retires
    the page (pagecache/purge.py); every page also shows what is everywhere
    (the section menu).
    """
    if view is None:
        return partial(public_page, query=query, tags=tags, headers=headers)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.public_page = True
            # A public page carries no CSRF token (its forms post to views
            # guarded by same_origin_only), so it sends no CSRF cookie, not
            # even the new one CsrfViewMiddleware would send for a malformed
            # cookie: that cookie would keep the reader from the cache.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response

    wrapper.page_query = dict(query or {})
    wrapper.page_tags = tuple(tags)
    wrapper.page_headers = dict(headers or {})
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


def is_same_origin(request: HttpRequest) -> bool:
    """Whether a browser sent ``request`` from this site's own pages.

    ``Sec-Fetch-Site``, which browsers set and pages cannot, decides when present.
    Without it, an ``Origin`` must be this site (scheme and host, as the request
    reached Django) or one of ``CSRF_TRUSTED_ORIGINS``. With neither header the
    sender is no browser, so no reader's browser can have been made to send it.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in OWN_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.get_host()}" or _trusted(origin)


def _trusted(origin: str) -> bool:
    # Django's forms of the setting: an exact origin, or "https://*.example.vn".
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        scheme, _, suffix = trusted.partition("://*")
        if origin == trusted:
            return True
        if suffix and origin.startswith(f"{scheme}://") and origin.endswith(suffix):
            return True
    return False


def same_origin_only(view):
    """Refuse (403) a request a browser sent from another site, instead of Django's CSRF token.

    For a form on a page the same for every anonymous reader (cached, so it can
    carry no token) that posts no one's session: a guest's comment. Nothing
    reaches the view from another site.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_same_origin(request):
            return HttpResponseForbidden(
                CROSS_SITE_MESSAGE, content_type="text/plain; charset=utf-8"
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
