"""Parts of reader pages rendered once and kept, so a page the page cache lacks
costs little more than its one query.

Three kinds of parts:

- **An article's own parts** (its head with the share data and JSON-LD, and the
  article itself: title, cover with its renditions, body, byline, corrections,
  tags) and **its related list**, kept in the shared cache per article. Each
  entry carries what it was rendered from: the article's ``version``,
  ``revised_at`` and cover renditions as its row says (a save, a correction, new
  renditions make another stamp, so no purge is needed for them), the address
  the page was asked at, and the generation tokens it depends on. After the
  commit of a change readers can see (``content_changed``), the named articles'
  entries are removed (an author or a tag renamed), the
  ``listings`` token is replaced when listings change (the related lists, which
  show other articles; they are also kept no longer than ``RELATED_SECONDS``,
  so a scheduled article joins them on time) and the ``everywhere`` token when
  every page changes (a section renamed).
- **The lists of the home and of a section's pages** (``KeptListing``), kept
  under the ``listings`` and ``everywhere`` tokens until the next scheduled
  publication or end of a front-page pick.
- **Cards and headlines** of lists and **the section menu** of the header and
  footer: kept in each process under the very values they are rendered from
  (``remembered``), so a changed title, cover or section name is another key
  and nothing needs retiring.

A cache that fails answers as a miss (portal/cache.py): the page is rendered
whole from the database.
"""

import threading
import time
import uuid

from django.core.cache import cache
from django.dispatch import receiver

from . import popularity, schedule
from .models import MENU_CACHE_KEY
from .signals import content_changed

PART_SECONDS = 24 * 60 * 60
# A scheduled article enters other articles' related lists within this time of
# its publication, as it enters the pages the page cache keeps.
RELATED_SECONDS = 60
TOKEN_SECONDS = 7 * 24 * 60 * 60
# Part of every stamp: entries kept by code that made other parts are not used.
FORMAT = 2
REMEMBERED_MAX = 5000  # rendered cards and headlines per process (about 1 KB each)


# The cache keys that other apps' parts of the article page read (the comments
# block: comments/apps.py adds its own), each a function of the article's id:
# they come in the article's one round trip, and what was found is
# ``KeptArticle.for_page`` (every such key, None where nothing was found).
ARTICLE_PAGE_KEYS: list = []


def _token_key(name: str) -> str:
    return f"fragments:token:{name}"


def _own_key(article_id: int) -> str:
    return f"fragments:article:{article_id}"


def _related_key(article_id: int) -> str:
    return f"fragments:related:{article_id}"


def _new_token(name: str) -> str:
    # A missing token (first read, evicted, or a cache that is down) is a new
    # random one: nothing kept under an older one comes back.
    # ``add`` is False when another process set one first, None when the cache
    # failed (then asking it again would only wait again).
    token = uuid.uuid4().hex
    if cache.add(_token_key(name), token, TOKEN_SECONDS) is False:
        token = cache.get(_token_key(name)) or token
    return token


def _tokens(found: dict) -> tuple[str, str]:
    """The ``everywhere`` and ``listings`` tokens of a round trip that read them."""
    everywhere, listings = (
        found.get(_token_key(name)) or _new_token(name) for name in ("everywhere", "listings")
    )
    return everywhere, listings


def _stamp(article, origin: str) -> tuple:
    """What an article's own parts are rendered from, as its row tells it."""
    return (FORMAT, article.version, article.revised_at, article.cover_renditions, origin)


class KeptArticle:
    """What is kept of one article's page, read in one cache round trip, with the
    section menu and the most-read lists the page shows too.

    ``has_own``: its own parts are kept (under some stamp), so the page may read
    the short row (``articles.views.PAGE_ROW_FIELDS``) rather than the whole
    article; ``parts()`` checks them against that row. ``menu``: the cached
    section menu (``Section.objects.cached_menu()``), or None when it is not
    cached; ``most_read``: the cached lists (``popularity.most_read_cached()``)
    or None; ``for_page``: what ``ARTICLE_PAGE_KEYS`` name.
    """

    def __init__(self, article_id: int):
        self.keys = [
            _token_key("everywhere"),
            _token_key("listings"),
            _own_key(article_id),
            _related_key(article_id),
            MENU_CACHE_KEY,
            popularity.LIST_KEY,
        ]
        others = [key for keys_of in ARTICLE_PAGE_KEYS for key in keys_of(article_id)]
        found = cache.get_many([*self.keys, *others])
        self.everywhere, self.listings = _tokens(found)
        self.own, self.related, self.menu, self.most_read = (
            found.get(key) for key in self.keys[2:]
        )
        self.for_page = {key: found.get(key) for key in others}
        self.has_own = isinstance(self.own, dict)

    def parts(self, article, *, origin: str, render_own, render_related) -> dict:
        """``{"head", "article", "tagged", "related"}`` of the page, kept or rendered.

        ``article``: the row the page read. ``render_own()`` returns the head,
        the article and whether it has tags; ``render_related(tagged)`` the
        related list; both render afresh (and may read the database).
        """
        own_stamp = (self.everywhere, *_stamp(article, origin))
        own = _valid(self.own, own_stamp)
        if own is None:
            own = render_own()
            cache.set(self.keys[2], {"stamp": own_stamp, "parts": own}, PART_SECONDS)
        related_stamp = (
            FORMAT,
            self.everywhere,
            self.listings,
            article.version,
            article.section_id,
        )
        related = _valid(self.related, related_stamp)
        if related is None:
            related = render_related(own["tagged"])
            cache.set(self.keys[3], {"stamp": related_stamp, "parts": related}, RELATED_SECONDS)
        return {**own, "related": related}


def _listing_key(name: str) -> str:
    return f"fragments:listing:{name}"


class KeptListing:
    """What is kept of a page of listings (the home, a page of a section), read in
    one cache round trip with the section menu and the most-read lists.

    Its parts show the newest articles: they are kept under the ``listings``
    and ``everywhere`` tokens (every change readers can see to an article
    replaces the first), and no longer than the next scheduled publication or
    the next end of a front-page pick as known when they were rendered, under
    the schedule's token of then (articles/schedule.py: an article saved
    since, which may have scheduled one, or a pick written since replaces it).
    """

    def __init__(self, name: str):
        self.keys = [
            _token_key("everywhere"),
            _token_key("listings"),
            schedule.SCHEDULE_KEY,
            _listing_key(name),
            MENU_CACHE_KEY,
            popularity.LIST_KEY,
        ]
        found = cache.get_many(self.keys)
        self.everywhere, self.listings = _tokens(found)
        self.schedule = found.get(self.keys[2]) or schedule.token()
        self.entry, self.menu, self.most_read = (found.get(key) for key in self.keys[3:])

    def parts(self, render) -> dict:
        """The page's parts, kept or from ``render()`` (which may read the database)."""
        now = time.time()
        stamp = (FORMAT, self.everywhere, self.listings, self.schedule)
        entry = self.entry
        if isinstance(entry, dict) and entry.get("stamp") == stamp and now < entry["expires"]:
            return entry["parts"]
        parts = render()
        moments = (schedule.next_publication(), schedule.next_pick_end_at())
        expires = min([now + PART_SECONDS, *(m for m in moments if m)])
        if expires > now:
            entry = {"stamp": stamp, "expires": expires, "parts": parts}
            cache.set(self.keys[3], entry, int(expires - now) + 1)
        return parts


def _valid(entry, stamp: tuple):
    if isinstance(entry, dict) and entry.get("stamp") == stamp:
        return entry.get("parts")
    return None


@receiver(content_changed)
def _retire(sender, *, change, **kwargs) -> None:
    """Kept parts showing what changed are not used again."""
    tokens = []
    if change.everywhere:
        tokens.append("everywhere")
    if change.listings or change.everywhere:
        tokens.append("listings")
    if tokens:
        cache.set_many({_token_key(name): uuid.uuid4().hex for name in tokens}, TOKEN_SECONDS)
    if change.articles:
        cache.delete_many(
            [key for pk in change.articles for key in (_own_key(pk), _related_key(pk))]
        )


_remembered: dict = {}
_remembered_lock = threading.Lock()


def remembered(key: tuple, render) -> str:
    """``render()``'s result for ``key``, rendered once per process.

    ``key`` must hold every value the result is made from: it is never retired,
    only forgotten when the process has remembered ``REMEMBERED_MAX`` of them.
    """
    html = _remembered.get(key)
    if html is None:
        html = render()
        with _remembered_lock:
            if len(_remembered) >= REMEMBERED_MAX:
                _remembered.clear()
            _remembered[key] = html
    return html
