"""When what readers see changes by time alone: the next scheduled article goes
live, the next front-page pick ends.

Each is remembered in the cache and read again when it has passed, at least
hourly, and whenever what decides it is written: an article's save forgets the
next publication (the page cache also retires the pages of an article about to
go live, pagecache/purge.py), a pick's save or delete the next pick end; both
replace ``SCHEDULE_KEY``'s token. Kept pages (the page cache) and kept parts
(fragments.py) live no longer than the next of these, as known when they were
made, and kept parts only under the token of then.
"""

import uuid
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .frontpage import next_pick_end
from .models import Article, FrontPagePick

NEXT_PUBLICATION_KEY = "pages:next-publication"
NEXT_PICK_END_KEY = "pages:next-pick-end"
SCHEDULE_KEY = "articles:schedule-token"
TOKEN_SECONDS = 7 * 24 * 60 * 60


def next_publication() -> float:
    """When the next scheduled article goes live (a timestamp; 0.0 if none is)."""
    nxt = cache.get(NEXT_PUBLICATION_KEY)
    if nxt is None or 0 < nxt <= timezone.now().timestamp():  # unknown, or gone live since
        found = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        nxt = found.timestamp() if found else 0.0
        # Recomputed at least hourly and whenever an article is saved.
        cache.set(NEXT_PUBLICATION_KEY, nxt, timeout=3600)
    return nxt


def next_pick_end_at() -> float:
    """When the next current front-page pick ends (a timestamp; 0.0 if none has an end)."""
    now = timezone.now()
    end = cache.get(NEXT_PICK_END_KEY)
    if end is None or 0 < end <= now.timestamp():
        found = next_pick_end(now)
        end = found.timestamp() if found else 0.0
        cache.set(NEXT_PICK_END_KEY, end, timeout=3600)
    return end


def _seconds_until(moment: float) -> int | None:
    return max(0, int(moment - timezone.now().timestamp())) if moment else None


def seconds_until_next_publication() -> int | None:
    """Seconds until the next scheduled article goes live (None if none is scheduled)."""
    return _seconds_until(next_publication())


def seconds_until_next_pick_end() -> int | None:
    """Seconds until the next front-page pick ends (None if none has an end): the
    pages showing the picks (the listings) are kept no longer, so the story
    after it takes its place on time."""
    return _seconds_until(next_pick_end_at())


def token() -> str:
    """The current token of what decides the moments above; a missing one is a
    new random one (nothing kept under an older one comes back)."""
    found = cache.get(SCHEDULE_KEY)
    if found is None:
        found = uuid.uuid4().hex
        if cache.add(SCHEDULE_KEY, found, TOKEN_SECONDS) is False:
            found = cache.get(SCHEDULE_KEY) or found
    return found


def _written(*keys: str) -> None:
    cache.delete_many(keys)
    cache.set(SCHEDULE_KEY, uuid.uuid4().hex, TOKEN_SECONDS)


@receiver(post_save, sender=Article)
def _article_written(**kwargs) -> None:
    # The save may have scheduled one (a deleted one only ends some kept
    # things' lives early).
    transaction.on_commit(partial(_written, NEXT_PUBLICATION_KEY))


@receiver(post_save, sender=FrontPagePick)
@receiver(post_delete, sender=FrontPagePick)
def _pick_written(**kwargs) -> None:
    transaction.on_commit(partial(_written, NEXT_PICK_END_KEY))
