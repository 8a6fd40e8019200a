"""Reader pages: home, section, article, author, and the staff preview.

Every page starts from ``Article.objects.published()``; only the preview, behind a
permission, looks past it.
"""

from itertools import groupby
from operator import attrgetter

from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from portal.pagecache import public_page

from .models import Article, Author, Byline, Section

LATEST_COUNT = 10
PER_SECTION = 4
RELATED_COUNT = 5
PAGE_SIZE = 20


@public_page
def home(request):
    """The front page: a top story, the latest news, and the latest few of every section."""
    listed = Article.objects.published().for_listing()

    # One query serves both the top story and the latest list: the top story is
    # the newest article with a cover among them, else simply the newest.
    newest = list(listed[: LATEST_COUNT + 1])
    top_story = next((a for a in newest if a.cover_image), newest[0] if newest else None)
    latest = [a for a in newest if a is not top_story][:LATEST_COUNT]

    # The newest few of every menu section in one query, whatever the number of
    # sections: number the articles within each section and keep the first ones.
    by_section = (
        listed.filter(section__in_menu=True)
        .annotate(
            rank=Window(RowNumber(), partition_by="section", order_by=("-published_at", "-id"))
        )
        .filter(rank__lte=PER_SECTION)
        .order_by("section__position", "section__name", "section_id", "rank")
    )
    section_blocks = [
        (section, list(articles))
        for section, articles in groupby(by_section, key=attrgetter("section"))
    ]

    return render(
        request,
        "articles/home.html",
        {"top_story": top_story, "latest": latest, "section_blocks": section_blocks},
    )


def _article_page(request, article, *, is_preview=False):
    # Prefetched, so the byline costs one query whatever the number of authors.
    prefetch_related_objects(
        [article], Prefetch("bylines", queryset=Byline.objects.select_related("author"))
    )
    related = (
        Article.objects.published()
        .for_listing()
        .filter(section=article.section_id)
        .exclude(pk=article.pk)[:RELATED_COUNT]
    )
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "related": related, "is_preview": is_preview},
    )


@public_page
def article_detail(request, section, slug, pk):
    """A published article; its id with any other slug or section redirects (301) to it."""
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=pk)
    # Titles get corrected and articles move between sections after links to
    # them have been shared: the id decides, and old links keep working.
    if (section, slug) != (article.section.slug, article.slug):
        return redirect(article, permanent=True)
    return _article_page(request, article)


@never_cache
@permission_required("articles.view_article", login_url=reverse_lazy("admin:login"))
def preview(request, pk):
    """Any article, draft or scheduled, as readers will see it; staff only, never cached."""
    article = get_object_or_404(Article.objects.select_related("section"), pk=pk)
    return _article_page(request, article, is_preview=True)


class PublishedArticleListMixin:
    """A paginated list of what readers may see (``?trang=N``; a bad page is a 404)."""

    paginate_by = PAGE_SIZE
    page_kwarg = "trang"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


@method_decorator(public_page, name="dispatch")
class SectionDetailView(PublishedArticleListMixin, ListView):
    """A section and its published articles, newest first, 20 a page."""

    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


@method_decorator(public_page, name="dispatch")
class AuthorDetailView(PublishedArticleListMixin, ListView):
    """An author and the published articles they signed, newest first, 20 a page."""

    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
