"""The per-address limit on stored comments (``COMMENTS_RATE_LIMIT``, e.g. ``5/10m``).

Counts live in the Django cache through django-ratelimit's counters, so every
process and host shares them when ``CACHE_URL`` is Redis. Only stored comments
count: the view checks before storing and counts after, so a refused or
mistyped comment does not use up the reader's allowance. Checking and counting
are two steps, so a burst of simultaneous posts from one address may pass the
limit by a few: it is a brake on floods, not an exact quota.
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

GROUP = "comments.post"


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


def _bucket(group: str, request: HttpRequest) -> str:
    """The counter a request falls in: its address, or its /64 network for IPv6.

    One IPv6 subscriber usually holds a whole /64; counting each address apart
    would let a single phone change address and post without limit.
    """
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    if ipaddress.ip_address(ip).version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return ip


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    """django-ratelimit's usage for this request, or None when not limiting.

    When the cache cannot be read or written the door stays open (logged):
    comments are moderated anyway, and a reader should not be refused because
    Redis blinked.
    """
    try:
        usage = get_usage(
            request,
            group=GROUP,
            key=_bucket,
            rate=settings.COMMENTS_RATE_LIMIT,
            increment=increment,
        )
    except Exception:
        logger.warning("comment rate limit store unavailable; not limiting", exc_info=True)
        return None
    # django-ratelimit reports a cache failure as time_left == -1.
    if usage is not None and usage["time_left"] < 0:
        logger.warning("comment rate limit store unavailable; not limiting")
        return None
    return usage


def seconds_blocked(request: HttpRequest) -> int | None:
    """Seconds until this address may post again, or None if it may post now."""
    usage = _usage(request, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(1, usage["time_left"])


def count_stored_comment(request: HttpRequest) -> None:
    _usage(request, increment=True)
