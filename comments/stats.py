"""The moderation desk's service level: how long readers wait for a decision.

Read by the admin index (the queue's size and its oldest comment's wait) and
the page "Hiệu suất duyệt" (decisions per moderator per day, and the median
time from a comment's arrival to its first decision).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from django.utils import timezone

from portal.dates import to_vietnam

from .models import Comment, ModerationLog

DAYS_SHOWN = 14


def format_wait(created_at: datetime, now: datetime) -> str:
    """How long a comment has waited, as a moderator says it: "12 phút", "3 giờ", "2 ngày"."""
    minutes = int((now - created_at).total_seconds() // 60)
    if minutes < 1:
        return "dưới 1 phút"
    if minutes < 60:
        return f"{minutes} phút"
    if minutes < 24 * 60:
        return f"{minutes // 60} giờ"
    return f"{minutes // (24 * 60)} ngày"


def oldest_pending_wait(now: datetime | None = None) -> str | None:
    """How long the oldest pending comment has waited, or None when the queue is empty."""
    oldest = (
        Comment.objects.filter(status=Comment.Status.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if oldest is None else format_wait(oldest, now or timezone.now())


@dataclass
class Day:
    day: date
    # Decisions by moderator's name ("Hệ thống" for the site's own).
    decisions: Counter = field(default_factory=Counter)
    first_decision_waits: list[timedelta] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.decisions.values())

    @property
    def median_wait(self) -> str:
        if not self.first_decision_waits:
            return "–"
        middle = median(self.first_decision_waits)
        return format_wait(timezone.now() - middle, timezone.now())


def service_level(
    days: int = DAYS_SHOWN, now: datetime | None = None
) -> tuple[list[Day], list[str]]:
    """The last ``days`` days, newest first, and every moderator named in them."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    rows = (
        ModerationLog.objects.filter(at__gte=since)
        .order_by("at")
        .values_list("at", "moderator__username", "from_status", "comment__created_at")
    )
    by_day: dict[date, Day] = defaultdict(lambda: Day(day=date.min))
    names: set[str] = set()
    for at, moderator, from_status, created_at in rows.iterator():
        day = to_vietnam(at).date()
        entry = by_day[day]
        entry.day = day
        name = moderator or "Hệ thống"
        names.add(name)
        entry.decisions[name] += 1
        if from_status == Comment.Status.PENDING:
            # The comment's first decision: what the reader waited for.
            entry.first_decision_waits.append(at - created_at)
    return sorted(by_day.values(), key=lambda d: d.day, reverse=True), sorted(names)
