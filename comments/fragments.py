"""The approved comments of an article, rendered once per page and kept in the cache.

Each entry carries the per-article version token it was rendered under, and the
article as the comment list shows it (its comment count among others). The
token is replaced after the commit of what changes the list (``refresh``): a
moderation decision, and a change readers can see to the article itself
(``articles.signals.content_changed``: unpublished, comments closed, retitled);
the next reader renders a fresh list, and stale entries are overwritten or
expire. A cache that fails answers as a miss (portal/cache.py): readers get the
list straight from the database.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article
from articles.signals import content_changed

from .models import Comment

LIST_TIMEOUT = 5 * 60
VERSION_TIMEOUT = 24 * 60 * 60


def _version_key(article_id: int) -> str:
    return f"comments:list-version:{article_id}"


def _new_version(article_id: int) -> str:
    # A missing token (first read, or evicted) becomes a new random one, never
    # a fixed default that could bring back entries kept under it.
    key = _version_key(article_id)
    version = uuid.uuid4().hex
    if not cache.add(key, version, VERSION_TIMEOUT):
        version = cache.get(key) or version
    return version


def refresh(*, article_id: int) -> None:
    """Make readers' next request render the article's comment list afresh."""
    _refresh([article_id])


def _refresh(article_ids) -> None:
    # Should the cache not answer, the entries still expire after LIST_TIMEOUT.
    cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in article_ids}, VERSION_TIMEOUT)


@receiver(content_changed)
def _article_changed(sender, *, change, **kwargs) -> None:
    if change.articles:
        _refresh(change.articles)


def approved_page(*, article_id: int, page: int, page_size: int) -> tuple[list[Comment], bool]:
    """One page of approved comments, newest first, and whether another page follows.

    One row more than the page is read instead of a COUNT, so a page costs one
    query on the partial index of approved comments.
    """
    start = (page - 1) * page_size
    rows = list(
        Comment.objects.filter(article_id=article_id, status=Comment.Status.APPROVED)
        .order_by("-created_at", "-id")
        .only("id", "name", "body", "created_at")[start : start + page_size + 1]
    )
    return rows[:page_size], len(rows) > page_size


def _render(*, article_id: int, page: int) -> str | None:
    page_size = settings.COMMENTS_PAGE_SIZE
    comments, has_next = approved_page(article_id=article_id, page=page, page_size=page_size)
    if page > 1 and not comments:
        return None
    next_url = None
    if has_next:
        next_url = f"{reverse('comments:list', args=[article_id])}?trang={page + 1}"
    return render_to_string("comments/_list.html", {"comments": comments, "next_url": next_url})


def _lookup(article_id: int, page: int) -> tuple[str, dict | None, str]:
    """One round trip: the kept entry of the page, if it is still current, with
    the article's list version it was checked against."""
    key = f"comments:block:{article_id}:{settings.COMMENTS_PAGE_SIZE}:{page}"
    found = cache.get_many([_version_key(article_id), key])
    version = found.get(_version_key(article_id)) or _new_version(article_id)
    entry = found.get(key)
    if not isinstance(entry, dict) or entry.get("version") != version:
        entry = None
    return key, entry, version


def article_and_list(*, article_id: int, page: int, load_article) -> tuple[Article, str | None]:
    """The article and the rendered page of its approved comments (None past the last page).

    ``load_article()`` reads the article (raising Http404 when readers may not see
    it). When nothing changed since the page was kept, both come from one cache
    round trip and the database is not asked: the entry carries the list
    version, replaced by every moderation decision (which changes the list and
    the article's comment count) and every change readers can see to the
    article (which may unpublish it or close its comments).
    """
    key, entry, version = _lookup(article_id, page)
    if entry is not None:
        return entry["article"], entry["html"]
    article = load_article()
    html = _render(article_id=article.pk, page=page)
    if html is not None:
        cache.set(key, {"version": version, "article": article, "html": html}, LIST_TIMEOUT)
    return article, html


def list_html(*, article_id: int, page: int) -> str | None:
    """The rendered list for ``page`` (None past the last page), kept or fresh,
    for an article the caller has already read; nothing is kept from here."""
    entry = _lookup(article_id, page)[1]
    return entry["html"] if entry is not None else _render(article_id=article_id, page=page)
