"""The per-address limit on stored comments (``COMMENTS_RATE_LIMIT``, e.g. ``5/10m``).

A post takes a slot in its address's allowance before its comment is stored,
and gives it back when the comment is not stored (a mistyped form, a
duplicate), so only stored comments use the allowance up. Taking a slot is one
atomic increment of the address's counter for the current window of the period,
in the shared cache: simultaneous posts from one address each get their own
number, and those past the limit are refused, so a burst never passes it.
(django-ratelimit counts the same way but cannot give a slot back.)

When the cache does not answer (its backend turns the failure into a logged
miss, portal/cache.py), the limit holds from the database instead: the stored
comments from the address within the last period are counted (index
``comment_ip_idx``). Counting and storing are two steps there, so a burst of
simultaneous posts may pass the limit by a few while the cache is down.

Another kind of write (readers' reports, comments/reporting.py) has an
``Allowance`` of its own: the same rate, its own counters and database count.
"""

import contextlib
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils import timezone

from portal.http import client_ip

from .models import Comment

logger = logging.getLogger(__name__)

_RATE = re.compile(r"(?P<count>[0-9]+)/(?P<times>[0-9]*)(?P<unit>[smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The newest IPv6 comments of the period looked through for one /64 network
# when the cache is down (a range of addresses has no index to use).
IPV6_SCAN = 1000


Sender = ipaddress.IPv4Address | ipaddress.IPv6Network | None


def sender_of(ip: str | None) -> Sender:
    """Who shares an allowance: one IPv4 address, or a whole IPv6 /64.

    One IPv6 subscriber usually holds a whole /64; counting each address apart
    would let a single phone change address and post without limit.
    """
    if ip is None:
        return None
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return ipaddress.ip_network(f"{ip}/64", strict=False)
    return address


@lru_cache(maxsize=8)
def _rate(text: str) -> tuple[int, int]:
    """``5/10m`` → (5, 600): comments allowed, and the period in seconds."""
    match = _RATE.fullmatch(text.strip())
    if match is None:
        raise ImproperlyConfigured(
            f"COMMENTS_RATE_LIMIT must be count/period such as 5/10m (s, m, h, d), not {text!r}."
        )
    seconds = int(match["times"] or 1) * _UNIT_SECONDS[match["unit"]]
    return int(match["count"]), seconds


@dataclass
class Slot:
    """A post's place in its address's allowance; ``retry_after`` is set when refused."""

    retry_after: int | None = None
    key: str | None = None  # the cache counter holding the slot

    def give_back(self) -> None:
        """The comment was not stored: it does not count."""
        if self.key is None:
            return
        key, self.key = self.key, None
        # ValueError: its window is over, and the counter is gone with it.
        with contextlib.suppress(ValueError):
            cache.decr(key)


@dataclass(frozen=True)
class Allowance:
    """One kind of write limited per sender at ``COMMENTS_RATE_LIMIT``, counted apart.

    ``name`` names its cache counters; ``stored_since(sender, since, limit)`` gives
    when the sender's newest stored writes of this kind came, for when the cache
    is down.
    """

    name: str
    stored_since: Callable[[Sender, datetime, int], list[datetime]]


def take_slot(request: HttpRequest, allowance: Allowance | None = None) -> Slot:
    """A slot for one more stored comment from this address, or a refusal."""
    return take_slot_for(client_ip(request), allowance)


def take_slot_for(ip: str | None, allowance: Allowance | None = None) -> Slot:
    """A slot for one more stored write of ``allowance``'s kind (comments by default)
    from the address ``ip``, or a refusal."""
    allowance = allowance or COMMENTS
    limit, period = _rate(settings.COMMENTS_RATE_LIMIT)
    sender = sender_of(ip)
    if isinstance(caches["default"], DummyCache):  # CACHE_URL=dummycache:// keeps nothing
        return _slot_from_database(allowance, sender, limit, period)
    now = time.time()
    window = int(now // period)
    key = f"comments:{allowance.name}:{sender or 'unknown'}:{period}:{window}"
    count = _increment(key, period)
    if count is None:
        logger.warning(
            "%s limit: the cache did not answer; counting in the database", allowance.name
        )
        return _slot_from_database(allowance, sender, limit, period)
    slot = Slot(key=key)
    if count > limit:
        slot.give_back()
        slot.retry_after = max(1, math.ceil((window + 1) * period - now))
    return slot


def _increment(key: str, period: int) -> int | None:
    """The counter after adding one, or None when the cache did not answer."""
    # Kept a little past its window, which its name ends with.
    added = cache.add(key, 1, period + 60)
    if added is None:
        return None
    if added:
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        return 1 if cache.add(key, 1, period + 60) else None


def _slot_from_database(allowance: Allowance, sender, limit: int, period: int) -> Slot:
    now = timezone.now()
    newest = allowance.stored_since(sender, now - timedelta(seconds=period), limit)
    if len(newest) < limit:
        return Slot()
    if not newest:  # a limit of 0
        return Slot(retry_after=period)
    # Another comment is allowed once the limit-th newest is a period old.
    wait = (newest[limit - 1] + timedelta(seconds=period) - now).total_seconds()
    return Slot(retry_after=max(1, math.ceil(wait)))


def _stored_since(sender, since, limit: int) -> list:
    """When the sender's newest stored comments (at most ``limit``) since ``since`` came."""
    recent = Comment.objects.filter(created_at__gte=since).order_by("-created_at")
    if sender is None:
        times = recent.filter(ip_address__isnull=True).values_list("created_at", flat=True)
        return list(times[:limit])
    if isinstance(sender, ipaddress.IPv4Address):
        return list(
            recent.filter(ip_address=str(sender)).values_list("created_at", flat=True)[:limit]
        )
    rows = recent.filter(ip_address__contains=":").values_list("ip_address", "created_at")
    return [at for ip, at in rows[:IPV6_SCAN] if ipaddress.ip_address(ip) in sender][:limit]


# Counted under comments:rate:<sender>:<period>:<window>.
COMMENTS = Allowance("rate", _stored_since)
