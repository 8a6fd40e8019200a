"""Writes of articles that carry rules: saving one, publishing, scheduling, unpublishing.

The admin, ``seed_demo`` and ``seed_bench`` go through these functions. Each
write runs in one transaction; ``Article.save()`` itself only derives the slug
and the sanitized body. Once the write is committed, in this order: the cover's
renditions are made, the search data is filled, and ``content_changed``
announces what readers could see before the write and can see after it (a
draft saved, or a scheduled article edited before its time, announces nothing).
A write that is rolled back leaves none of these behind.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .models import MENU_CACHE_KEY, Article
from .renditions import make_renditions
from .search import remember_words, search_fields
from .signals import Change, announce

# What the search data is made of: a write that leaves these alone keeps it.
SEARCHED_FIELDS = frozenset({"title", "sapo", "body"})

SCHEDULE_IN_PAST = "Giờ hẹn đăng phải ở tương lai; muốn đăng ngay thì chọn “Xuất bản”."
PUBLISH_IN_FUTURE = "Giờ xuất bản ở tương lai là hẹn giờ đăng: hãy chọn “Hẹn giờ”."


def save_article(
    *,
    article: Article,
    by: AbstractBaseUser | None,
    update_fields: Iterable[str] | None = None,
    related: Callable[[], None] | None = None,
) -> Article:
    """Store ``article`` as it is in memory, new or edited, written by ``by``.

    ``related`` saves what hangs off the article (bylines, tags: the admin's
    inlines and many-to-many fields), in the same transaction, right after
    the article itself: what readers see after the write includes them.
    ``update_fields`` limits the write to those fields, as ``Model.save`` does.
    ``by`` is None for the site's own tools (seeds); it is then recorded nowhere.
    """
    with transaction.atomic():
        if article._state.adding:
            before, stored_cover = Change(), ""
            if by is not None:
                article.created_by = by
        else:
            rows = Article.objects.filter(pk=article.pk)
            # Locked: of two editors saving at once, each announces what it changed.
            stored_cover = rows.select_for_update().values_list("cover_image", flat=True).get()
            before = rows.seen_by_readers()
        fields = None if update_fields is None else set(update_fields)  # None: all of them
        if by is not None:
            article.updated_by = by
            if fields is not None:
                fields |= {"updated_by", "updated_at"}
        new_cover = (fields is None or "cover_image" in fields) and (
            article.cover_image.name or ""
        ) != (stored_cover or "")
        if new_cover:
            # The old cover's sizes describe another picture: the plain image
            # is shown until the new one's renditions are made.
            article.cover_renditions = {}
            if fields is not None:
                fields.add("cover_renditions")
        article.save(update_fields=fields)
        if related is not None:
            related()
        after = Article.objects.filter(pk=article.pk).seen_by_readers()

        if new_cover and article.cover_image:
            _after_commit(make_cover_renditions, article)
        if fields is None or fields & SEARCHED_FIELDS:
            _after_commit(fill_search_data, article.pk)
        announce(before | after, sender=Article)
    return article


def publish(
    *, article: Article, by: AbstractBaseUser | None, at: datetime | None = None
) -> Article:
    """Readers see ``article`` from now, or from ``at``, a time already past.

    An article already public keeps its publication time unless ``at`` is given.
    """
    now = timezone.now()
    if at is not None and at > now:
        raise ValidationError({"published_at": PUBLISH_IN_FUTURE}, code="in_future")
    if at is None and article.is_public:
        at = article.published_at
    article.status, article.published_at = Article.Status.PUBLISHED, at or now
    return save_article(article=article, by=by, update_fields=["status", "published_at"])


def schedule(*, article: Article, by: AbstractBaseUser | None, at: datetime) -> Article:
    """Readers see ``article`` from ``at``, a time still ahead; until then, nobody."""
    if at <= timezone.now():
        raise ValidationError({"published_at": SCHEDULE_IN_PAST}, code="in_past")
    article.status, article.published_at = Article.Status.PUBLISHED, at
    return save_article(article=article, by=by, update_fields=["status", "published_at"])


def unpublish(*, article: Article, by: AbstractBaseUser | None) -> Article:
    """Readers no longer see ``article``: it is a draft again, its time kept."""
    article.status = Article.Status.DRAFT
    return save_article(article=article, by=by, update_fields=["status"])


def written_in_bulk() -> None:
    """Rows were written around the models (a bulk load, a raw delete): after the
    commit, the section menu is read again and every page may have changed."""
    transaction.on_commit(lambda: cache.delete(MENU_CACHE_KEY))
    announce(Change(everywhere=True), sender=Article)


# After the commit. Each works from the row as stored: of two saves committed
# one after the other, the last to run writes what the last one stored.


def _after_commit(work: Callable, *args) -> None:
    """``work(*args)`` once the write is committed. The write is stored by then:
    a failure here is logged, it does not turn the editor's save into an error."""

    def run():
        work(*args)

    run.__qualname__ = work.__qualname__  # what the log names
    transaction.on_commit(run, robust=True)


def make_cover_renditions(article: Article) -> None:
    """The renditions of ``article``'s cover, unless another cover replaced it since."""
    cover = article.cover_image
    stored = Article.objects.filter(pk=article.pk, cover_image=cover.name)
    if not stored.exists() or not cover.storage.exists(cover.name):
        return
    info = make_renditions(cover)
    stored.update(cover_renditions=info)
    article.cover_renditions = info


def fill_search_data(article_id: int) -> None:
    text = Article.objects.filter(pk=article_id).values_list("title", "sapo", "body").first()
    if text is None:
        return
    postgres = connection.vendor == "postgresql"
    fields = search_fields(*text, postgres=postgres)
    with transaction.atomic():
        Article.objects.filter(pk=article_id).update(**fields)
        if postgres:
            remember_words(fields["search_title"], fields["search_text"])
