"""The approved comments of an article, rendered once per page and kept in the cache.

Each entry carries the per-article version token it was rendered under.
Moderation replaces the token after its transaction commits (``refresh``), so
the next reader renders a fresh list; stale entries are overwritten or expire.
A cache that fails is logged and skipped: readers get the list straight from
the database.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Comment

logger = logging.getLogger(__name__)

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
    try:
        cache.set(_version_key(article_id), uuid.uuid4().hex, VERSION_TIMEOUT)
    except Exception:
        # The entries still expire after LIST_TIMEOUT; a decision is never
        # undone because the cache was unreachable.
        logger.exception("could not refresh the comment list of article %s", article_id)


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


def _render(*, article_id: int, page: int, page_size: int) -> str | None:
    comments, has_next = approved_page(article_id=article_id, page=page, page_size=page_size)
    if page > 1 and not comments:
        return None
    next_url = None
    if has_next:
        next_url = f"{reverse('comments:list', args=[article_id])}?trang={page + 1}"
    return render_to_string("comments/_list.html", {"comments": comments, "next_url": next_url})


def list_html(*, article_id: int, page: int) -> str | None:
    """The rendered list for ``page``, or None when the page is past the last one.

    One cache round trip when the list is cached: the entry carries the version
    it was rendered under, read together with the article's current version.
    """
    page_size = settings.COMMENTS_PAGE_SIZE
    key = f"comments:list:{article_id}:{page_size}:{page}"
    try:
        found = cache.get_many([_version_key(article_id), key])
        version = found.get(_version_key(article_id)) or _new_version(article_id)
    except Exception:
        logger.exception("comment list cache unavailable")
        return _render(article_id=article_id, page=page, page_size=page_size)
    entry = found.get(key)
    if entry is not None and entry["version"] == version:
        return entry["html"]
    html = _render(article_id=article_id, page=page, page_size=page_size)
    if html is not None:
        try:
            cache.set(key, {"version": version, "html": html}, LIST_TIMEOUT)
        except Exception:
            logger.exception("comment list cache unavailable")
    return html
