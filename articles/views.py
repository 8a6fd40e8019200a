"""Reader pages: home, section, article, author, and the staff preview.

Every page starts from ``Article.objects.published()``; only the preview, behind a
permission, looks past it.
"""

import functools

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from portal.http import client_ip, public_page

from . import fragments, popularity
from .frontpage import front_page
from .models import LISTING_FIELDS, Article, Author, Byline, Section, Tag
from .search import body_text, highlight, search_articles, snippet

LATEST_COUNT = 10
PER_SECTION = 4
RELATED_COUNT = 5
PAGE_SIZE = 20
EMPTY_SECTION = "Chuyên mục này chưa có bài viết."

# What each public page shows (portal/http.py ``public_page``), in the words of
# articles.signals.Change, whose fields say when it changes.
LISTINGS = ("listings",)
ARTICLE = ("articles:{pk}",)
SECTION = ("sections:{slug}",)
AUTHOR = ("authors:{slug}",)
TAG = ("tags:{slug}",)


@public_page(tags=LISTINGS)
def home(request):
    """The front page: the lead story, Tiêu điểm, the latest news and the newest few of
    every section, each story once; its lists kept until the listings change."""
    kept = fragments.KeptListing("home")
    menu = kept.menu if kept.menu is not None else Section.objects.cached_menu()
    context = {
        "parts": kept.parts(lambda: _home_parts([entry.section() for entry in menu])),
        "most_read": kept.most_read if kept.most_read is not None else popularity.most_read(),
        "menu_sections": menu,  # already fetched: the header needs no query of its own
    }
    return render(request, "articles/home.html", context)


def _home_parts(sections) -> dict:
    """The home's lists, rendered: ``top`` (the lead and Tiêu điểm, empty when
    nothing is published), ``latest``, ``sections``."""
    # One query for the lead, the featured and the latest (articles/frontpage.py).
    top = front_page(latest_count=LATEST_COUNT)
    shown = top.shown

    # The newest few of every menu section not shown above, in one query: one
    # small slice per section, each served by the (section, status,
    # published_at) index. (A window over all published articles would read
    # the whole archive.)
    newest = (
        Article.objects.published()
        .exclude(pk__in=shown)
        .order_by("-published_at", "-id")
        .values("pk")
    )
    slices = [newest.filter(section=section.pk)[:PER_SECTION] for section in sections]
    if slices and connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: one IN over a UNION ALL of index scans.
        newest_of = Q(pk__in=slices[0].union(*slices[1:], all=True))
    else:
        # SQLite allows no LIMIT inside a UNION: one IN per section.
        newest_of = Q(pk__in=[])
        for newest in slices:
            newest_of |= Q(pk__in=newest)
    by_section = {section.pk: [] for section in sections}
    if sections:
        picked = Article.objects.filter(newest_of).only(*LISTING_FIELDS)
        for article in picked.order_by("-published_at", "-id"):
            by_section[article.section_id].append(article)
    section_blocks = []
    for section in sections:
        articles = by_section[section.pk]
        for article in articles:
            article.section = section
        if articles:
            section_blocks.append((section, articles))

    context = {
        "top_story": top.lead,
        "featured_stories": top.featured,
        "latest": top.latest,
        "section_blocks": section_blocks,
    }
    return {
        name: mark_safe(render_to_string(f"articles/_home_{name}.html", context).strip())
        for name in ("top", "latest", "sections")
    }


# What the article page reads of an article whose parts are kept
# (articles/fragments.py): its address, the comments block's fields and the
# stamp the parts are checked against; never the body.
PAGE_ROW_FIELDS = (
    "id",
    "section_id",
    "title",
    "slug",
    "sapo",
    "status",
    "published_at",
    "revised_at",
    "version",
    "cover_renditions",
    "comments_open",
    "comment_count",
    "section__id",
    "section__slug",
    "section__name",
)


def _own_parts(request, article) -> dict:
    """The head and the article itself, rendered; ``article`` read by ``for_page()``."""
    _with_byline(article)
    context = {"article": article}
    return {
        "head": render_to_string("articles/_article_head.html", context, request),
        "article": render_to_string("articles/_article.html", context, request),
        "tagged": bool(article.tag_list),
    }


def _with_byline(article) -> None:
    # Prefetched, so the byline costs one query whatever the number of authors,
    # and the corrections one whatever their number.
    prefetch_related_objects(
        [article],
        Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        "corrections",
    )


def _related_part(request, article, *, tagged: bool) -> str:
    context = {"article": article, "related": _related(article, tagged=tagged)}
    return render_to_string("articles/_related.html", context, request)


def _article_page(request, article, **context):
    if "most_read" not in context:
        # Only if already cached: this page has no query to spare.
        context["most_read"] = popularity.most_read_cached()
    return render(request, "articles/article_detail.html", {"article": article, **context})


def _related(article, *, tagged: bool):
    """Articles sharing the most tags first (``tagged``: the article has some),
    then the section's newest.

    Each part reads only what an index hands it (the article's tags, the
    section's newest few), so the cost does not grow with the archive; an
    article without tags costs one query.
    """
    listed = Article.objects.published().for_listing().exclude(pk=article.pk)
    related = []
    if tagged:
        its_tags = Article.tags.through.objects.filter(article_id=article.pk).values("tag_id")
        related = list(
            listed.filter(tags__in=its_tags)
            .annotate(shared_tags=Count("pk"))
            .order_by("-shared_tags", "-published_at", "-id")[:RELATED_COUNT]
        )
    if len(related) < RELATED_COUNT:
        seen = {a.pk for a in related}
        same_section = listed.filter(section=article.section_id).order_by("-published_at", "-id")
        related += [a for a in same_section[:RELATED_COUNT] if a.pk not in seen]
    return related[:RELATED_COUNT]


@public_page(tags=ARTICLE)
def article_detail(request, section, slug, pk):
    """A published article; its id with any other slug or section redirects (301) to it.
    A taken-down article answers 410 with a short notice, whatever its address."""
    kept = fragments.KeptArticle(pk)
    # With its parts kept, the page reads the short row; else the whole article.
    published = Article.objects.published()
    if kept.has_own:
        published = published.select_related("section").only(*PAGE_ROW_FIELDS)
    else:
        published = published.for_page()
    # One row by its key: no ORDER BY to compile (first() would add the
    # default ordering, a fifth of the query's cost on a page-cache miss).
    article = next(iter(published.filter(pk=pk).order_by()[:1]), None)
    if article is None:
        if Article.objects.in_state(Article.State.UNPUBLISHED).filter(pk=pk).exists():
            return render(request, "articles/article_gone.html", status=410)
        raise Http404
    # Titles get corrected and articles move between sections after links to
    # them have been shared: the id decides, and old links keep working.
    if (section, slug) != (article.section.slug, article.slug):
        return redirect(article, permanent=True)

    @functools.cache
    def whole():
        return article if not kept.has_own else Article.objects.for_page().get(pk=pk)

    parts = kept.parts(
        article,
        origin=request.build_absolute_uri("/"),
        render_own=lambda: _own_parts(request, whole()),
        render_related=lambda tagged: _related_part(request, article, tagged=tagged),
    )
    context = {"parts": parts, "most_read": kept.most_read, "kept_for_page": kept.for_page}
    if kept.menu is not None:
        context["menu_sections"] = kept.menu
    return _article_page(request, article, **context)


@never_cache
@permission_required("articles.view_article", login_url=reverse_lazy("admin:login"))
def preview(request, pk):
    """Any article, draft or scheduled, as readers will see it; staff only, never cached."""
    article = get_object_or_404(Article.objects.for_page(), pk=pk)
    _with_byline(article)
    related = _related(article, tagged=bool(article.tag_list))
    return _article_page(request, article, related=related, is_preview=True)


class PublishedArticleListMixin:
    """A paginated list of what readers may see (``?trang=N``; a bad page is a 404)."""

    paginate_by = PAGE_SIZE
    page_kwarg = "trang"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticlesOfView(PublishedArticleListMixin, ListView):
    """The published articles of one section, author or tag (by slug), newest first.

    The object is in the context under its model's name (``section``, ``author``,
    ``tag``); ``lookup`` is the article field that points at it.
    """

    model_of = None
    lookup = ""

    def get_queryset(self):
        self.owner = self.get_owner(self.kwargs["slug"])
        return super().get_queryset().filter(**{self.lookup: self.owner})

    def get_owner(self, slug: str):
        return get_object_or_404(self.model_of, slug=slug)

    def get_context_data(self, **kwargs):
        name = self.model_of._meta.model_name
        return super().get_context_data(**{name: self.owner}, **kwargs)


@method_decorator(public_page(query={"trang": int}, tags=SECTION), name="dispatch")
class SectionDetailView(ArticlesOfView):
    """A section's page of articles; the page of articles with its pager kept
    until the listings change (articles/fragments.py, KeptListing)."""

    model_of, lookup = Section, "section"
    template_name = "articles/section_detail.html"
    menu = None
    object_list = None  # read only when the page is rendered (_list_part)

    def get(self, request, *args, **kwargs):
        page = request.GET.get(self.page_kwarg) or "1"
        kept = fragments.KeptListing(f"section:{kwargs['slug']}:{page}")
        self.menu = kept.menu
        section = self.get_owner(kwargs["slug"])
        parts = kept.parts(lambda: self._list_part(request))
        context = {"section": section, "parts": parts, "view": self}
        if self.menu is not None:
            context["menu_sections"] = self.menu
        return self.render_to_response(context)

    def _list_part(self, request) -> dict:
        """The page of articles and its pager, rendered; a page past the last is a 404."""
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        html = render_to_string(
            "includes/article_list.html", {**context, "empty": EMPTY_SECTION}, request
        )
        return {"list": html, "number": context["page_obj"].number}

    def get_owner(self, slug: str):
        # A menu section comes with the menu the page shows anyway (kept, and
        # forgotten when a section is saved); another is read.
        entries = self.menu if self.menu is not None else Section.objects.cached_menu()
        entry = next((entry for entry in entries if entry.slug == slug), None)
        return entry.section() if entry is not None else super().get_owner(slug)


@method_decorator(public_page(query={"trang": int}, tags=AUTHOR), name="dispatch")
class AuthorDetailView(ArticlesOfView):
    model_of, lookup = Author, "authors"
    template_name = "articles/author_detail.html"


@method_decorator(public_page(query={"trang": int}, tags=TAG), name="dispatch")
class TagDetailView(ArticlesOfView):
    model_of, lookup = Tag, "tags"
    template_name = "articles/tag_detail.html"

    def get_paginator(self, queryset, per_page, **kwargs):
        # A tag is named for a story: one carried only by drafts or scheduled
        # articles ("Điểm thi 2025") would tell its name before the embargo, so
        # its empty first page is a 404 (found by the count the page makes anyway).
        return super().get_paginator(
            queryset, per_page, **{**kwargs, "allow_empty_first_page": False}
        )


def search(request):
    """Published articles matching ``?q=``, with or without accents, best first (``?trang=N``)."""
    result = search_articles(request.GET.get("q", ""))
    page = Paginator(result.articles, PAGE_SIZE).get_page(request.GET.get("trang"))
    for article in page:
        article.title_html = highlight(article.title, result.terms)
        article.snippet = snippet(f"{article.sapo} {body_text(article.body)}", result.terms)
    return render(
        request,
        "articles/search.html",
        {"result": result, "query": result.query, "page_obj": page, "articles": page},
    )


@csrf_exempt  # a beacon carries no token; a forged one can only add a read
@require_POST
def count_view(request, pk):
    """One read of a published article (``navigator.sendBeacon``), counted in the cache: 204.

    Any other id is a 404, as everywhere. A reload, a bot or an address past its
    allowance costs no query; a first read costs one, before anything is stored.
    """
    ip = client_ip(request)
    if popularity.is_bot(request.headers.get("User-Agent", "")) or popularity.nothing_to_count(
        ip, pk
    ):
        return HttpResponse(status=204)
    get_object_or_404(Article.objects.published().only("pk"), pk=pk)
    popularity.count_read(ip, pk)
    return HttpResponse(status=204)
