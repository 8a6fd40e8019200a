"""Most-read (``Đọc nhiều``): views counted in the cache, written to the database in batches.

The article page is the same cached HTML for every reader, so it cannot count
anything itself: a tiny script (static/js/views.js) sends a beacon to
``articles:count_view`` once the page is read. The beacon adds one to a counter
in the shared cache for the current hour; nothing is written to the database
per view. ``flush_views()`` copies the hour counters into ``ArticleView`` rows
(absolute counts, so flushing twice is harmless); ``manage.py flush_views``
runs it every few minutes from a timer (docs/operations.md), never a reader's
request. The lists are read from those rows and cached for a few minutes.

A read counts once per address (an IPv6 /64 is one address) per article per
half hour, whatever browser it claims, and an address adds at most
``READS_PER_ADDRESS`` reads an hour; past that, nothing of it is stored. Only
published articles are counted: the view checks before anything is stored.

Per hour the cache holds ``views:<hour>:<article id>`` (the count),
``views:<hour>:n`` (how many articles were read) and ``views:<hour>:slot:<i>``
(which ones), so a flush reads only what was read, whatever the number of
articles; per address, ``views:reads:<hour>:<reader>`` (its reads this hour)
and ``views:seen:<article id>:<reader>`` (half an hour). No per-process state:
it works across app servers with Redis.
"""

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db.models import Q, Sum
from django.dispatch import receiver
from django.utils import timezone

from .models import Article, ArticleView
from .signals import content_changed

BUCKET_SECONDS = 3 * 24 * 3600  # a counter outlives many flushes
FLUSH_HOURS = 3  # hours looked at by each flush (the current one and before)
LIST_SECONDS = 300
READ_AGAIN_SECONDS = 1800  # a reload within half an hour is not another read
# Reads one address may add in an hour: two a minute is more than a person reads,
# and past it a crawler or a flood stores nothing. (Readers behind one carrier
# NAT share it; the lists rank stories, they are no audience figure.)
READS_PER_ADDRESS = 120
LIST_SIZE = 5
PERIODS = {"day": timedelta(hours=24), "week": timedelta(days=7)}

# Crawlers, link-preview fetchers and monitors are not readers.
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|zalo.*(link|preview)|"
    r"headless|lighthouse|curl|wget|python|java/|go-http|httpclient|monitor|pingdom",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_AGENTS.search(user_agent))


def hour_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _prefix(hour: datetime) -> str:
    return f"views:{hour:%Y%m%d%H}"


def _incr(key: str, timeout: int = BUCKET_SECONDS) -> int:
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)


def _reader(ip: str | None) -> str:
    """Who reads, for counting: the address, or its /64 network for IPv6 (one
    subscriber holds a whole /64 and can change address at will)."""
    if ip is None:
        name = "unknown"
    elif ipaddress.ip_address(ip).version == 6:
        name = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    else:
        name = ip
    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


def _reader_keys(ip: str | None, article_id: int, now: datetime) -> tuple[str, str]:
    reader = _reader(ip)
    return (
        f"views:seen:{article_id}:{reader}",
        f"views:reads:{hour_start(now):%Y%m%d%H}:{reader}",
    )


def nothing_to_count(ip: str | None, article_id: int, *, now: datetime | None = None) -> bool:
    """True when this address was counted for this article lately, or has used up
    its reads for the hour: one cache round trip, nothing stored, no query."""
    seen, reads = _reader_keys(ip, article_id, now or timezone.now())
    found = cache.get_many([seen, reads])
    return seen in found or found.get(reads, 0) >= READS_PER_ADDRESS


def count_read(ip: str | None, article_id: int, *, now: datetime | None = None) -> bool:
    """Count a read of a published article by this address; False if it was not counted.

    The caller has checked that the article is published and ``nothing_to_count``;
    between the two checks another beacon may have come in, and the cache
    decides which one counts.
    """
    now = now or timezone.now()
    seen, reads = _reader_keys(ip, article_id, now)
    # Counted before the read is remembered, so past the allowance nothing new
    # is stored. A cache that fails answers None: nothing is counted.
    if (_incr(reads, timeout=3600) or READS_PER_ADDRESS + 1) > READS_PER_ADDRESS:
        return False
    if not cache.add(seen, 1, READ_AGAIN_SECONDS):
        return False
    record_view(article_id, now=now)
    return True


def record_view(article_id: int, *, now: datetime | None = None) -> None:
    """Count one view of an article in the current hour (cache only)."""
    prefix = _prefix(hour_start(now or timezone.now()))
    if _incr(f"{prefix}:{article_id}") == 1:
        slot = _incr(f"{prefix}:n")
        cache.set(f"{prefix}:slot:{slot}", article_id, BUCKET_SECONDS)


def flush_views(*, now: datetime | None = None, hours: int = FLUSH_HOURS) -> int:
    """Write the cached counts of the last ``hours`` hours to ``ArticleView``; rows written."""
    current = hour_start(now or timezone.now())
    rows = []
    for back in range(hours):
        hour = current - timedelta(hours=back)
        prefix = _prefix(hour)
        n = cache.get(f"{prefix}:n") or 0
        if not n:
            continue
        slots = cache.get_many([f"{prefix}:slot:{i}" for i in range(1, n + 1)])
        counts = cache.get_many([f"{prefix}:{pk}" for pk in set(slots.values())])
        rows += [
            (int(key.rsplit(":", 1)[1]), hour, count) for key, count in counts.items() if count
        ]
    if not rows:
        return 0
    existing = set(
        Article.objects.filter(pk__in={pk for pk, _, _ in rows}).values_list("pk", flat=True)
    )
    views = [
        ArticleView(article_id=pk, hour=hour, count=count)
        for pk, hour, count in rows
        if pk in existing
    ]
    ArticleView.objects.bulk_create(
        views,
        update_conflicts=True,
        unique_fields=["article", "hour"],
        update_fields=["count"],
    )
    return len(views)


LIST_KEY = "most-read"


@dataclass(frozen=True, slots=True)
class Headline:
    """What a most-read list shows of an article, kept in the cache as plain
    values: every uncached page reads the lists, and unpickling model
    instances (with their sections) cost more than the rest of that read."""

    pk: int
    title: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


def most_read(*, now: datetime | None = None) -> dict[str, list]:
    """``{"day": [...], "week": [...]}``: the most-read published articles (as
    ``Headline``), cached.

    Two queries on a cache miss: the totals of the week's hours, and the articles.
    """
    lists = cache.get(LIST_KEY)
    if lists is None:
        lists = _compute(now or timezone.now())
        cache.set(LIST_KEY, lists, LIST_SECONDS)
    return lists


def most_read_cached() -> dict[str, list] | None:
    """The lists if they are cached, else None: for pages with no query to spare."""
    return cache.get(LIST_KEY)


@receiver(content_changed)
def _forget_lists(sender, *, change, **kwargs) -> None:
    """The lists show articles as listings do (an article unpublished or retitled).

    A change to an article's own page only (its comments) leaves them be: every
    change to what readers see of an article itself names the listings too
    (``ArticleQuerySet.seen_by_readers``)."""
    if change.listings or change.everywhere:
        cache.delete(LIST_KEY)


def _compute(now: datetime) -> dict[str, list]:
    current = hour_start(now)
    since = {name: current - period + timedelta(hours=1) for name, period in PERIODS.items()}
    totals = (
        ArticleView.objects.filter(hour__gte=min(since.values()))
        .values("article_id")
        .annotate(
            **{name: Sum("count", filter=Q(hour__gte=start)) for name, start in since.items()}
        )
        .order_by()
    )
    totals = list(totals)
    top = {}
    for name in PERIODS:
        ranked = sorted((t for t in totals if t[name]), key=lambda t: -t[name])
        # A few extra in case some are no longer published.
        top[name] = [t["article_id"] for t in ranked[: LIST_SIZE * 2]]
    wanted = {pk for ids in top.values() for pk in ids}
    if not wanted:
        return {name: [] for name in PERIODS}
    articles = {
        a.pk: Headline(a.pk, a.title, a.get_absolute_url())
        for a in Article.objects.published().for_listing().filter(pk__in=wanted)
    }
    return {
        name: [articles[pk] for pk in ids if pk in articles][:LIST_SIZE]
        for name, ids in top.items()
    }
