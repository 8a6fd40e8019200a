"""Storing an article: the one write every save goes through.

The admin, the workflow (articles/workflow.py: who may submit, publish,
schedule or take down), ``seed_demo`` and ``seed_bench`` go through
``save_article``. A save from a form names the version the form was opened
on; if someone else saved in between, it is refused (``EditConflict``). Each
write runs in one transaction; ``Article.save()`` itself only derives the slug
and the sanitized body. Once the write is committed, in this order: the cover's
renditions are made, the search data is filled, and ``content_changed``
announces what readers could see before the write and can see after it (a
draft saved, or a scheduled article edited before its time, announces nothing).
A write that is rolled back leaves none of these behind.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .models import MENU_CACHE_KEY, Article, Byline, Correction
from .renditions import make_renditions
from .search import remember_words, search_fields
from .signals import Change, announce

# What the search data is made of: a write that leaves these alone keeps it.
SEARCHED_FIELDS = frozenset({"title", "sapo", "body"})


class EditConflict(Exception):
    """Someone saved the article after the form was opened: ``by`` (a user, or
    None for the site's tools) at ``at``, making it ``version``."""

    def __init__(self, *, by, at: datetime, version: int):
        super().__init__(f"article saved at {at} (version {version}) since the form was opened")
        self.by, self.at, self.version = by, at, version


def save_article(
    *,
    article: Article,
    by: AbstractBaseUser | None,
    update_fields: Iterable[str] | None = None,
    related: Callable[[], None] | None = None,
    expected_version: int | None = None,
) -> Article:
    """Store ``article`` as it is in memory, new or edited, written by ``by``.

    ``related`` saves what hangs off the article (bylines, tags: the admin's
    inlines and many-to-many fields), in the same transaction, right after
    the article itself: what readers see after the write includes them.
    ``update_fields`` limits the write to those fields, as ``Model.save`` does.
    ``by`` is None for the site's own tools (seeds); it is then recorded nowhere.
    ``expected_version``: the version the editor's form was opened on; if the
    stored article is another, nothing is written and ``EditConflict`` says
    who saved it and when.
    """
    # Each save is a revision of what readers would see, who made it and when
    # (articles/revisions.py): the article with its bylines and tags.
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        if not reversion.get_comment():  # the workflow names its action first
            reversion.set_comment("Tạo bài" if article._state.adding else "Sửa bài")
        if article._state.adding:
            before, stored_cover = Change(), ""
            article.version = 1
            if by is not None:
                article.created_by = by
        else:
            rows = Article.objects.filter(pk=article.pk)
            # Locked: of two editors saving at once, the second waits for the
            # first's commit, then sees its version (and each announces what
            # it changed).
            stored_cover, version, saved_by, saved_at = (
                rows.select_for_update()
                .values_list("cover_image", "version", "updated_by", "updated_at")
                .get()
            )
            if expected_version is not None and version != expected_version:
                saved_by = get_user_model().objects.filter(pk=saved_by).first()
                raise EditConflict(by=saved_by, at=saved_at, version=version)
            article.version = version + 1
            before = rows.seen_by_readers()
        shown_before = _readers_copy(article.pk) if before.articles else None
        fields = None if update_fields is None else {*update_fields, "version"}  # None: all
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
        if shown_before is not None and after.articles:
            _mark_revised(article, shown_before)

        if new_cover and article.cover_image:
            _after_commit(make_cover_renditions, article)
        if fields is None or fields & SEARCHED_FIELDS:
            _after_commit(fill_search_data, article.pk)
        announce(before | after, sender=Article)
    return article


# What readers see of an article besides its bylines, tags and corrections:
# a change to any of these after publication is dated "Cập nhật lúc".
READERS_COPY_FIELDS = (
    "title",
    "sapo",
    "body",
    "cover_image",
    "cover_caption",
    "cover_credit",
    "cover_alt",
    "location",
    "section_id",
)


def _readers_copy(article_id: int) -> tuple:
    """What readers see of the stored article, to compare before and after a write."""
    fields = Article.objects.filter(pk=article_id).values_list(*READERS_COPY_FIELDS).get()
    authors = Byline.objects.filter(article_id=article_id).order_by("position", "id")
    tags = Article.tags.through.objects.filter(article_id=article_id).order_by("tag_id")
    corrections = Correction.objects.filter(article_id=article_id).order_by("created_at", "id")
    return (
        fields,
        tuple(authors.values_list("author_id", flat=True)),
        tuple(tags.values_list("tag_id", flat=True)),
        tuple(corrections.values_list("text", flat=True)),
    )


def _mark_revised(article: Article, shown_before: tuple) -> None:
    """``revised_at`` is now if readers' copy of ``article`` differs from ``shown_before``."""
    if _readers_copy(article.pk) != shown_before:
        article.revised_at = timezone.now()
        Article.objects.filter(pk=article.pk).update(revised_at=article.revised_at)


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
