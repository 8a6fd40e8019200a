"""The approved comments of an article, rendered once per page and kept in the cache.

Each kept page of the list, and the article as the comment endpoints show it
(its comment count among others), carries the per-article version token it was
kept under. The token is replaced after the commit of what changes them: a
moderation decision readers can see and a change readers can see to the article
itself (unpublished, comments closed, retitled), both announced as
``articles.signals.content_changed``, which retires the article's cached page
too (pagecache/purge.py). The next reader renders afresh, and stale entries are
overwritten or expire. A cache that fails answers as a miss (portal/cache.py):
readers get the list straight from the database.
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
from .services import accepts_comments

LIST_TIMEOUT = 5 * 60
VERSION_TIMEOUT = 24 * 60 * 60


def _version_key(article_id: int) -> str:
    return f"comments:list-version:{article_id}"


def _list_key(article_id: int, page: int) -> str:
    return f"comments:list:{article_id}:{settings.COMMENTS_PAGE_SIZE}:{page}"


def _article_key(article_id: int) -> str:
    return f"comments:article:{article_id}"


def _block_key(article_id: int) -> str:
    return f"comments:block:{article_id}:{settings.COMMENTS_PAGE_SIZE}"


def _new_version(article_id: int) -> str:
    # A missing token (first read, or evicted) becomes a new random one, never
    # a fixed default that could bring back entries kept under it.
    key = _version_key(article_id)
    version = uuid.uuid4().hex
    if not cache.add(key, version, VERSION_TIMEOUT):
        version = cache.get(key) or version
    return version


@receiver(content_changed)
def _article_changed(sender, *, change, **kwargs) -> None:
    # Should the cache not answer, the entries still expire after LIST_TIMEOUT.
    if ids := change.articles | change.article_pages:
        cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in ids}, VERSION_TIMEOUT)


def approved_page(*, article: Article, page: int, page_size: int) -> tuple[list[Comment], bool]:
    """One page of the article's approved comments, newest first, and whether
    another page follows. Each carries ``shown_replies``: its approved replies,
    oldest first.

    Two queries, each on its own partial index: the page's comments (one row
    more than the page, instead of a COUNT) on the index of approved comments,
    then the replies under them on the index of approved replies. (One query
    with ``pk IN (…) OR parent IN (…)`` reads the whole table on PostgreSQL.)
    An article whose count is 0 has nothing to show and costs none.
    """
    if page == 1 and not article.comment_count:
        return [], False
    start = (page - 1) * page_size
    shown = list(
        Comment.objects.filter(
            article_id=article.pk, status=Comment.Status.APPROVED, parent__isnull=True
        )
        .order_by("-created_at", "-id")
        .only("id", "name", "body", "created_at")[start : start + page_size + 1]
    )
    shown, has_next = shown[:page_size], len(shown) > page_size
    replies: dict[int, list[Comment]] = {comment.pk: [] for comment in shown}
    if shown:
        rows = (
            Comment.objects.filter(parent_id__in=list(replies), status=Comment.Status.APPROVED)
            .order_by("created_at", "id")
            .only("id", "parent", "name", "body", "created_at")
        )
        for row in rows:
            replies[row.parent_id].append(row)
    for comment in shown:
        comment.shown_replies = replies[comment.pk]
    return shown, has_next


# An id no comment has, in an address reversed once and filled in per comment.
_ANY_ID = 2**31 - 1


def _address_for_each(name: str):
    """``name``'s address for any comment's id: one ``reverse`` per list, not
    two per comment (half of what the list cost to render)."""
    head, _, tail = reverse(name, args=[_ANY_ID]).partition(str(_ANY_ID))
    return lambda comment_id: f"{head}{comment_id}{tail}"


def _render(*, article: Article, page: int) -> str | None:
    page_size = settings.COMMENTS_PAGE_SIZE
    comments, has_next = approved_page(article=article, page=page, page_size=page_size)
    if page > 1 and not comments:
        return None
    reply_url, report_url = map(_address_for_each, ("comments:reply", "comments:report"))
    for comment in comments:
        for shown in (comment, *comment.shown_replies):
            shown.reply_url, shown.report_url = reply_url(shown.pk), report_url(shown.pk)
    next_url = None
    if has_next:
        next_url = f"{reverse('comments:list', args=[article.pk])}?trang={page + 1}"
    return render_to_string(
        "comments/_list.html",
        {"comments": comments, "next_url": next_url, "replies_open": accepts_comments(article)},
    )


def _kept(entry, version: str, field: str):
    # An entry from before the article's last change is no entry.
    if isinstance(entry, dict) and entry.get("version") == version:
        return entry.get(field)
    return None


def _lookup(article_id: int, page: int) -> tuple[str, str | None, Article | None]:
    """One round trip: the article's list version, and the page and the article
    kept under it (None for what is not)."""
    keys = [_version_key(article_id), _list_key(article_id, page), _article_key(article_id)]
    found = cache.get_many(keys)
    version = found.get(keys[0]) or _new_version(article_id)
    html = _kept(found.get(keys[1]), version, "html")
    return version, html, _kept(found.get(keys[2]), version, "article")


def _list(article: Article, page: int, version: str) -> str | None:
    html = _render(article=article, page=page)
    if html is not None:
        cache.set(_list_key(article.pk, page), {"version": version, "html": html}, LIST_TIMEOUT)
    return html


def article_and_list(*, article_id: int, page: int, load_article) -> tuple[Article, str | None]:
    """The article and the rendered page of its approved comments (None past the last page).

    ``load_article()`` reads the article (raising Http404 when readers may not see
    it). When nothing changed since both were kept, they come from one cache
    round trip and the database is not asked.
    """
    version, html, article = _lookup(article_id, page)
    if article is None:
        article = load_article()
        cache.set(_article_key(article_id), {"version": version, "article": article}, LIST_TIMEOUT)
    if html is None:
        html = _list(article, page, version)
    return article, html


def list_html(*, article: Article, page: int) -> str | None:
    """The rendered list for ``page`` (None past the last page), kept or fresh,
    for an article the caller has already read."""
    version, html, _ = _lookup(article.pk, page)
    if html is None:
        html = _list(article, page, version)
    return html


def _block_stamp(article: Article, version: str) -> tuple:
    # The version alone is not enough: a row read before a decision's commit
    # and a version read after it would keep the old count under the new one.
    return (version, article.comment_count, accepts_comments(article), article.get_absolute_url())


def block_keys(article_id: int) -> list[str]:
    """What the article page's comments block reads: the list version, the
    block, the first page of the list (articles.fragments.ARTICLE_PAGE_KEYS)."""
    return [_version_key(article_id), _block_key(article_id), _list_key(article_id, 1)]


def article_block(*, article: Article, render, found: dict | None = None) -> str:
    """The article page's comments block (the heading count, the form, the first
    page of the list), kept under the article's list version with what the
    article's row says of it; ``render(list_html)`` renders it afresh.

    ``found``: the ``block_keys`` already read with the article's parts (None
    for each not in the cache); else one cache round trip reads them. When the
    block is not kept, the list comes kept or fresh.
    """
    keys = block_keys(article.pk)
    if found is None or not all(key in found for key in keys):
        found = cache.get_many(keys)
    version = found.get(keys[0]) or _new_version(article.pk)
    stamp = _block_stamp(article, version)
    entry = found.get(keys[1])
    if isinstance(entry, dict) and entry.get("stamp") == stamp:
        return entry["html"]
    html = _kept(found.get(keys[2]), version, "html")
    if html is None:
        html = _list(article, 1, version) or ""
    block = render(html)
    cache.set(keys[1], {"stamp": stamp, "html": block}, LIST_TIMEOUT)
    return block
