"""Several moderators at once: each is handed different pending comments.

Opening the moderation queue claims the comments a moderator reads for
``COMMENTS_CLAIM_MINUTES`` (``Comment.claimed_by``, ``Comment.claimed_until``):
their own claims first, renewed, then the oldest comments nobody holds or
whose claim ran out. Other moderators are handed other comments until the claim
runs out, so a moderator who leaves keeps nothing for long. A claim decides only
who is shown a comment: anyone may still decide on any comment
(``services.moderate`` refuses a second decision by itself).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from .models import Comment


def claim(moderator, *, limit: int, now: datetime | None = None) -> list[int]:
    """Hand ``moderator`` up to ``limit`` pending comments and return their ids.

    One transaction: the rows are locked, skipping those another moderator's
    claim is locking at this moment (PostgreSQL's SKIP LOCKED: never a wait, and
    never the same row for two), then claimed in one UPDATE. SQLite lets one
    writer at a time in (Django leaves out FOR UPDATE there), so its claims take
    turns.
    """
    now = now or timezone.now()
    free = Q(claimed_by__isnull=True) | Q(claimed_until__lte=now) | Q(claimed_by=moderator)
    own_first = Case(When(claimed_by=moderator, then=Value(0)), default=Value(1))
    with transaction.atomic():
        ids = list(
            Comment.objects.filter(free, status=Comment.Status.PENDING)
            .order_by(own_first, "created_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        until = now + timedelta(minutes=settings.COMMENTS_CLAIM_MINUTES)
        Comment.objects.filter(pk__in=ids).update(claimed_by=moderator, claimed_until=until)
    return ids


def held_by_others(moderator, *, now: datetime | None = None) -> list[tuple[str, int]]:
    """Who else holds pending comments now, and how many: (username, count), most first."""
    now = now or timezone.now()
    return list(
        Comment.objects.filter(
            status=Comment.Status.PENDING, claimed_by__isnull=False, claimed_until__gt=now
        )
        .exclude(claimed_by=moderator)
        .values_list("claimed_by__username")
        .annotate(held=Count("pk"))
        .order_by("-held", "claimed_by__username")
    )
