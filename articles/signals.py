"""What the articles app tells the layers above it when readers' content changes.

The articles app knows what readers can see; it does not know how pages are
cached. After the commit of a change readers can see, it sends
``content_changed`` with a ``Change`` saying what changed, and whoever keeps
copies of pages (the page cache) retires those that show it. A change readers
cannot see (a draft saved, a scheduled article edited before its time, an
author with no public article renamed) sends nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal


@dataclass(frozen=True)
class Change:
    """Ids whose reader pages show the change.

    ``articles``: their own pages. ``article_pages``: their own pages, changed
    only below the article, in what the layers above add to it (its comments):
    nothing the articles app renders of the article changed. ``sections``,
    ``authors``, ``tags``: their list pages (and feeds). ``listings``: the
    pages listing the newest articles everywhere: home, the site-wide feeds and
    the sitemaps. ``everywhere``: something every page shows (the section menu).
    """

    articles: frozenset[int] = field(default_factory=frozenset)
    article_pages: frozenset[int] = field(default_factory=frozenset)
    sections: frozenset[int] = field(default_factory=frozenset)
    authors: frozenset[int] = field(default_factory=frozenset)
    tags: frozenset[int] = field(default_factory=frozenset)
    listings: bool = False
    everywhere: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.articles
            or self.article_pages
            or self.sections
            or self.authors
            or self.tags
            or self.listings
            or self.everywhere
        )

    def __or__(self, other: "Change") -> "Change":
        return Change(
            articles=self.articles | other.articles,
            article_pages=self.article_pages | other.article_pages,
            sections=self.sections | other.sections,
            authors=self.authors | other.authors,
            tags=self.tags | other.tags,
            listings=self.listings or other.listings,
            everywhere=self.everywhere or other.everywhere,
        )


# Sent after the commit, with ``change=Change(...)``; only when ``change`` is not empty.
content_changed = Signal()


def announce(change: Change, *, sender) -> None:
    """Send ``content_changed`` once the current transaction commits (at once
    outside one); an empty change sends nothing. The write is already stored
    when receivers run: one that fails is logged, it does not fail the write."""
    if change:

        def send():
            content_changed.send(sender=sender, change=change)

        transaction.on_commit(send, robust=True)
