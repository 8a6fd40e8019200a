"""The front page's top: the lead story (Tin chính), the featured stories
(Tiêu điểm) and the latest news (Tin mới), each story once.

Editors choose the lead and the featured stories (``FrontPagePick``, through
the admin: articles/admin_frontpage.py); a pick counts while its article is
public and its end time has not come. Without a lead pick the newest article
with a cover leads, else the newest; fewer featured picks than
``FEATURED_COUNT`` are filled from the newest. A story shown in one place is
shown in no other. Every write of a pick announces the listings (the home page
is retired from the page cache); the page cache also keeps the home no longer
than the next pick's end (``next_pick_end``).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Article, FrontPagePick
from .signals import Change, announce

FEATURED_COUNT = 4

Place = FrontPagePick.Place


@dataclass(frozen=True)
class FrontPage:
    lead: Article | None
    featured: list[Article]
    latest: list[Article]

    @property
    def shown(self) -> frozenset[int]:
        """The ids of every article shown here: the rest of the page leaves them out."""
        lead = [self.lead] if self.lead is not None else []
        return frozenset(a.pk for a in (*lead, *self.featured, *self.latest))


def front_page(*, latest_count: int, featured_count: int = FEATURED_COUNT) -> FrontPage:
    """The lead, ``featured_count`` featured and ``latest_count`` latest articles, in one query."""
    picks = FrontPagePick.current(timezone.now())
    # Picked articles that are among the newest take places the newest would
    # fill: enough of the newest for the lead, the featured and the latest
    # even when every shown pick is one of them.
    window = latest_count + 2 * (featured_count + 1)
    newest = Article.objects.published().order_by("-published_at", "-id").values("pk")[:window]
    picked = picks.order_by().values("article_id")
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: one IN over a UNION ALL, served by the primary key.
        among = Q(pk__in=picked.union(newest, all=True))
    else:
        # SQLite allows no LIMIT inside a UNION.
        among = Q(pk__in=picked) | Q(pk__in=newest)
    # Each article's current pick in each place, if any (at most one: the
    # model's constraint), by the (article, place) index.
    of_article = {
        place: picks.filter(article=OuterRef("pk"), place=place).order_by()
        for place in Place.values
    }
    rows = (
        Article.objects.published()
        .for_listing()
        .filter(among)
        .annotate(
            **{
                f"{place}_{field}": Subquery(of_article[place].values(field)[:1])
                for place in Place.values
                for field in ("position", "created_at")
            }
        )
        .order_by("-published_at", "-id")
    )
    # Rows come newest first, and a picked article outside the window is older than it.
    articles = list(rows)
    newest = articles[:window]
    lead_picks, featured_picks = (
        sorted(
            (a for a in articles if getattr(a, f"{place}_position") is not None),
            # Number first, then the latest chosen (the model's ordering).
            key=lambda a, place=place: (
                getattr(a, f"{place}_position"),
                -getattr(a, f"{place}_created_at").timestamp(),
            ),
        )
        for place in (Place.LEAD, Place.FEATURED)
    )

    featured_picked = {a.pk for a in featured_picks}
    if lead_picks:
        lead = lead_picks[0]
    else:
        others = [a for a in newest if a.pk not in featured_picked]
        lead = next((a for a in others if a.cover_image), others[0] if others else None)
    seen = {lead.pk} if lead is not None else set()

    featured = []
    for article in (*featured_picks, *newest):
        if len(featured) == featured_count:
            break
        if article.pk not in seen:
            featured.append(article)
            seen.add(article.pk)
    latest = [a for a in newest if a.pk not in seen][:latest_count]
    return FrontPage(lead=lead, featured=featured, latest=latest)


def next_pick_end(now: datetime) -> datetime | None:
    """When the next current pick ends (the front page changes then), if any has an end."""
    return (
        FrontPagePick.current(now)
        .filter(ends_at__isnull=False)
        .order_by("ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )


# The quick ways from the article list (articles/admin_frontpage.py).

NOT_PICKABLE = "Chỉ bài đã xuất bản hoặc đang hẹn giờ mới được đưa lên trang chủ."
PICKABLE_STATES = frozenset({Article.State.PUBLISHED, Article.State.SCHEDULED})


def is_pickable(article: Article) -> bool:
    """Public, or scheduled: readers see it now, or will from its time on."""
    return article.publication_state in PICKABLE_STATES


def pickable_articles():
    """The articles a pick may name (``is_pickable``)."""
    return Article.objects.published() | Article.objects.scheduled()


def make_lead(*, article: Article) -> FrontPagePick:
    """``article`` leads the front page (a scheduled one from its time): first of the lead picks."""
    return put_first(place=Place.LEAD, articles=[article])[0]


def add_to_featured(*, articles: list[Article]) -> list[FrontPagePick]:
    """``articles`` go first of the featured picks, in the given order."""
    return put_first(place=Place.FEATURED, articles=articles)


def put_first(*, place: str, articles: list[Article]) -> list[FrontPagePick]:
    """Picks of ``articles`` at the head of ``place``, in order, the others after them
    in theirs (numbered again from 0). A pick already there moves up; one that has
    ended starts again, with no end."""
    now = timezone.now()
    with transaction.atomic():
        # Locked: two editors reordering at once reorder one after the other.
        others = {
            pick.article_id: pick
            for pick in FrontPagePick.objects.select_for_update().filter(place=place)
        }
        first = []
        for article in articles:
            pick = others.pop(article.pk, None) or FrontPagePick(article=article, place=place)
            if pick.ends_at is not None and pick.ends_at <= now:
                pick.ends_at = None
            first.append(pick)
        for position, pick in enumerate([*first, *others.values()]):
            pick.position = position
        for pick in first:
            pick.save()
        FrontPagePick.objects.bulk_update(others.values(), ["position"])
    return first


@receiver(post_save, sender=FrontPagePick)
@receiver(post_delete, sender=FrontPagePick)
def _pick_written(**kwargs) -> None:
    # The home page is tagged with the listings; the feeds and sitemaps with
    # it are retired too, which costs them nothing but a render.
    announce(Change(listings=True), sender=FrontPagePick)
