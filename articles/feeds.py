"""RSS 2.0 feeds: the whole paper, a section, an author, a tag (latest 50 published)."""

import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure

from portal.storage import storage_errors

from .models import Article, Author, Byline, Section, Tag
from .seo import modified_at

FEED_SIZE = 50


class LatestArticlesFeed(Feed):
    """``/rss/``: the newest published articles of the whole paper."""

    description_template = None
    language = "vi"

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return settings.SITE_TAGLINE

    def link(self, obj=None):
        return reverse("articles:home")

    def get_queryset(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.get_queryset(obj)
            .for_listing("revised_at")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author"))
            )[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.sapo

    def item_pubdate(self, item):
        # Vietnam time, so the feed says "+0700" as the paper does.
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        # RSS 2.0 has no item element for it: the channel's lastBuildDate is
        # the latest of these, so a correction tells feed readers to look again.
        return timezone.localtime(modified_at(item))

    def item_author_name(self, item):
        return item.author_names() or None

    def item_categories(self, item):
        return [item.section.name]

    def item_enclosures(self, item):
        cover = item.cover_image
        if not cover:
            return []
        try:
            length = cover.size
        except (
            storage_errors()
        ):  # the file went missing, or the storage is down: the item still goes out, without it
            return []
        mime_type = mimetypes.guess_type(cover.name)[0] or "image/jpeg"
        url = self._request.build_absolute_uri(cover.url)
        return [Enclosure(url, str(length), mime_type)]

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every thread: the request (for absolute
        # enclosure URLs) goes on a copy made for this request.
        feed = copy.copy(self)
        feed._request = request
        return Feed.__call__(feed, request, *args, **kwargs)


class SectionFeed(LatestArticlesFeed):
    """``/rss/<section>/``: the newest published articles of one section."""

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} – {settings.SITE_NAME}"

    def description(self, obj=None):
        return obj.description or f"Tin {obj.name} của {settings.SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def get_queryset(self, obj):
        return Article.objects.published().filter(section=obj)


class AuthorFeed(SectionFeed):
    """``/tac-gia/<slug>/rss/``: the newest published articles an author signed."""

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def description(self, obj=None):
        return f"Bài viết của {obj.name} trên {settings.SITE_NAME}"

    def get_queryset(self, obj):
        return Article.objects.published().filter(authors=obj)


class TagFeed(SectionFeed):
    """``/the/<slug>/rss/``: the newest published articles with a tag."""

    def get_object(self, request, slug):
        # As its page: a tag no public article carries is not named to readers.
        tag = get_object_or_404(Tag, slug=slug)
        if not self.get_queryset(tag).exists():
            raise Http404("Thẻ không tồn tại.")
        return tag

    def description(self, obj=None):
        return f"Bài viết về {obj.name} trên {settings.SITE_NAME}"

    def get_queryset(self, obj):
        return Article.objects.published().filter(tags=obj)
