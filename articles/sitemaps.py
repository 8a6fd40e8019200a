"""Sitemaps for search engines: an index over articles, sections, authors and tags,
and a Google News sitemap of the last 48 hours. Only published articles appear."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from .models import Article, Author, Section, Tag

NEWS_WINDOW = timedelta(hours=48)


def _published_in(prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class ArticleSitemap(Sitemap):
    limit = 10000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("id", "slug", "updated_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, not every article read for the index.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class _WithArticlesSitemap(Sitemap):
    """Sections, authors or tags that have published articles; lastmod: their newest."""

    model = None

    def items(self):
        return (
            self.model.objects.annotate(
                latest=Max("articles__published_at", filter=_published_in("articles__"))
            )
            .filter(latest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return self.items().aggregate(newest=Max("latest"))["newest"]


class SectionSitemap(_WithArticlesSitemap):
    model = Section


class AuthorSitemap(_WithArticlesSitemap):
    model = Author


class TagSitemap(_WithArticlesSitemap):
    model = Tag


class NewsSitemap(Sitemap):
    """Google News: articles published in the last 48 hours (at most 1,000)."""

    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .select_related("section")
            .only("id", "slug", "title", "published_at", "updated_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "bai-viet": ArticleSitemap,
    "chuyen-muc": SectionSitemap,
    "tac-gia": AuthorSitemap,
    "the": TagSitemap,
}
