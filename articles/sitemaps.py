"""Sitemaps for search engines: an index over articles, sections, authors and tags,
and a Google News sitemap of the last 48 hours. Only published articles appear."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.functional import cached_property

from .models import Article, Author, Section, Tag
from .seo import modified_at

# ``seo.modified_at`` in SQL, for the index's one aggregate.
MODIFIED_AT = Greatest(Coalesce("revised_at", "published_at"), "published_at")

NEWS_WINDOW = timedelta(hours=48)


class ArticleSitemap(Sitemap):
    limit = 10000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("id", "slug", "published_at", "revised_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return modified_at(item)

    def get_latest_lastmod(self):
        # One aggregate, not every article read for the index.
        return Article.objects.published().aggregate(latest=Max(MODIFIED_AT))["latest"]


class _WithArticlesSitemap(Sitemap):
    """Sections, authors or tags that have published articles; lastmod: their newest."""

    model = None
    lookup = ""  # the article field that points at the item

    @cached_property
    def _newest(self) -> dict:
        # One pass over the published articles grouped by item: cheaper than a
        # subquery per item once there are thousands of tags.
        return dict(
            Article.objects.published()
            .filter(**{f"{self.lookup}__isnull": False})
            .order_by()
            .values_list(self.lookup)
            .annotate(latest=Max("published_at"))
        )

    def items(self):
        newest = self._newest
        everyone = self.model.objects.only("id", "slug").order_by("pk")
        listed = [item for item in everyone if item.pk in newest]
        for item in listed:
            item.latest = newest[item.pk]
        return listed

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return max(self._newest.values(), default=None)


class SectionSitemap(_WithArticlesSitemap):
    model, lookup = Section, "section"


class AuthorSitemap(_WithArticlesSitemap):
    model, lookup = Author, "authors"


class TagSitemap(_WithArticlesSitemap):
    model, lookup = Tag, "tags"


class NewsSitemap(Sitemap):
    """Google News: articles published in the last 48 hours (at most 1,000)."""

    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .select_related("section")
            .only("id", "slug", "title", "published_at", "revised_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return modified_at(item)


SITEMAPS = {
    "bai-viet": ArticleSitemap,
    "chuyen-muc": SectionSitemap,
    "tac-gia": AuthorSitemap,
    "the": TagSitemap,
}
