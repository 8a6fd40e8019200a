"""What retires cached pages: a change readers can see, and the next publication.

The articles app sends ``content_changed`` after the commit of a change readers
can see (articles/signals.py); ``retire`` gives each tag the ``Change`` names a
new generation, and a page kept under an older generation of one of its tags
is stale (keys.py, middleware.py). So a purge costs one write whatever the
number of pages kept, and retires only the pages showing what changed: the
article's own page, its sections', authors' and tags' lists and feeds, and the
listings (home, the site-wide feeds, the sitemaps). Other articles' pages stay
cached: the related articles they list catch up within PAGE_CACHE_SECONDS.

A section, author or tag page is found by the slug in its address, so the
receiver reads the slugs of the ids the Change names (one query). A page under
a slug that no longer exists lives out its PAGE_CACHE_SECONDS, as a CDN keeps it.

No page is kept past the next scheduled publication, nor a listing past the
end of a front-page pick (``seconds_until_next_pick_end``), so a scheduled
article appears, and the story after an ended pick takes its place, on time
with nobody touching the cache (articles/schedule.py): the next publication
is remembered, and forgotten whenever an article is saved (the save may
schedule one; a deleted one only ends some pages' lives early). Scheduling
sends no Change (readers see nothing yet); an article scheduled to go live
before the pages kept now expire has its pages retired, so that they are kept
again only until it does.
"""

import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, Author, Section, Tag
from articles.signals import Change, content_changed

from .copies import worker_copies
from .keys import EVERYWHERE, PURGES_KEY, generation_key, purge_key

# The tag of the pages listing the newest articles: home, the site feeds, the sitemaps.
LISTINGS = "listings"
# The lists found by the slug in their address, by the Change field naming them.
BY_SLUG = (("sections", Section), ("authors", Author), ("tags", Tag))


def retire(tags) -> None:
    """Retire every cached page showing one of ``tags``: new generations for them."""
    if not tags:
        return
    # A generation must outlive every page kept under the one before it; it
    # need not outlive them by much (a missing one reads as None).
    timeout = max(24 * 3600, 2 * settings.PAGE_CACHE_SECONDS)
    cache.set_many({generation_key(tag): uuid.uuid4().hex for tag in tags}, timeout)
    record_purge(tags, timeout)
    worker_copies.forget(tags)


def record_purge(tags, timeout: int) -> None:
    """Note the purge in the journal the other workers read (copies.py). A worker
    that reads the counter before its entry is written, or finds an entry gone,
    drops all its copies: the journal can only make them go early, never late."""
    try:
        number = cache.incr(PURGES_KEY)
    except ValueError:  # the first purge, or the counter was evicted
        cache.add(PURGES_KEY, 0, timeout=None)
        try:
            number = cache.incr(PURGES_KEY)
        except ValueError:
            return
    if number is not None:  # None: the cache did not answer
        cache.set(purge_key(number), sorted(tags), timeout)


def tags_of(change: Change) -> set[str]:
    """The tags of the pages showing ``change``, named after its fields as the
    pages name them (``@public_page(tags=...)``): ``articles:<id>``,
    ``sections:<slug>``, ``listings``..."""
    if change.everywhere:
        return {EVERYWHERE}  # every page is tagged with it
    tags = {f"articles:{pk}" for pk in change.articles | change.article_pages}
    if change.listings:
        tags.add(LISTINGS)
    lists = [
        model.objects.filter(pk__in=ids)
        .order_by()
        .values_list(models.Value(name, output_field=models.CharField()), "slug")
        for name, model in BY_SLUG
        if (ids := getattr(change, name))
    ]
    if lists:
        tags |= {f"{name}:{slug}" for name, slug in lists[0].union(*lists[1:], all=True)}
    return tags


@receiver(content_changed)
def _content_changed(sender, *, change: Change, **kwargs) -> None:
    retire(tags_of(change))


@receiver(post_save, sender=Article)
def _article_written(*, instance, **kwargs) -> None:
    transaction.on_commit(partial(_schedule_checked, instance.pk))


def _schedule_checked(article_id: int) -> None:
    """After an article's write, which may have scheduled it: the next
    publication is read again, and if the article goes live before pages kept
    now expire, its pages are retired, to be kept again until it does (the
    next publication itself is forgotten by articles/schedule.py)."""
    soon = timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    shown = list(
        Article.objects.scheduled()
        .filter(pk=article_id, published_at__lte=soon)
        .values_list("section_id", "authors", "tags")
    )
    if shown:
        sections, authors, tags = (frozenset(ids) - {None} for ids in zip(*shown, strict=True))
        retire(tags_of(Change(sections=sections, authors=authors, tags=tags, listings=True)))
