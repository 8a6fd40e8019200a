"""What the reader templates call from the articles app (portal/jinja.py):
cards and headlines, covers, the section menu, the most-read lists, and the
article head's absolute addresses.

Cards, headlines, the menus and the most-read lists are rendered once per
process for the values they show (articles/fragments.py, ``remembered``).
"""

import jinja2
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import renditions, search, seo
from articles.fragments import remembered
from portal.dates import iso_datetime

# Above the fold the browser should fetch at once; below it, only when near.
EAGER = mark_safe('fetchpriority="high"')
LAZY = mark_safe('loading="lazy"')


def _shown(article) -> tuple:
    """Every value of ``article`` a card or headline is made from (``for_listing()``)."""
    section = article.section
    return (
        article.pk,
        article.title,
        article.slug,
        article.sapo,
        article.cover_image.name,
        article.cover_alt,
        repr(article.cover_renditions),
        article.published_at,
        section.slug,
        section.name,
        settings.MEDIA_URL,
        settings.ROOT_URLCONF,
    )


def card(article, heading="h3", eager=False, featured=False, show_section=False) -> str:
    """includes/article_card.html for ``article`` (``for_listing()``), with its options."""
    context = {
        "article": article,
        "heading": heading,
        "eager": eager,
        "featured": featured,
        "show_section": show_section,
    }
    return remembered(
        ("card", heading, bool(eager), bool(featured), bool(show_section), *_shown(article)),
        lambda: render_to_string("includes/article_card.html", context),
    )


def headline(article) -> str:
    """includes/headline.html: the time and the linked title of ``article``."""
    return remembered(
        ("headline", *_shown(article)),
        lambda: render_to_string("includes/headline.html", {"article": article}),
    )


def cover(article, sizes="100vw", eager=False, css_class="") -> str:
    """A cover image with its renditions (``srcset``, WebP first)."""
    if not article.cover_image:
        return ""
    loading = EAGER if eager else LAZY
    info = article.cover_renditions or {}
    if not info.get("widths"):
        # Stored before renditions existed: the original, still with its alt text.
        return format_html(
            '<img class="{}" src="{}" alt="{}" {} decoding="async">',
            css_class,
            article.cover_image.url,
            article.cover_alt,
            loading,
        )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {} '
        'decoding="async"></picture>',
        renditions.srcset(article.cover_image, info, "webp"),
        sizes,
        css_class,
        renditions.fallback_url(article.cover_image, info),
        renditions.srcset(article.cover_image, info, "jpg"),
        sizes,
        info["width"],
        info["height"],
        article.cover_alt,
        loading,
    )


def _menu(context) -> tuple:
    """(id, name, address) of each section of the menu (``MenuEntry``)."""
    return tuple((s.pk, s.name, s.url) for s in context.get("menu_sections") or ())


@jinja2.pass_context
def section_menu(context) -> str:
    """includes/section_menu.html: the header's menu, the page's own section marked
    ("page"), or the section of the article shown ("true"), or the home page."""
    match = getattr(context.get("request"), "resolver_match", None)
    marks = (
        getattr(match, "view_name", None) == "articles:home",
        getattr(context.get("section"), "pk", None),
        getattr(context.get("article"), "section_id", None),
    )
    menu = _menu(context)
    return remembered(
        ("section_menu", marks, menu),
        lambda: render_to_string(
            "includes/section_menu.html",
            {
                "menu": menu,
                "home": marks[0],
                "page": marks[1],
                "of_article": marks[2],
            },
        ),
    )


@jinja2.pass_context
def footer_menu(context) -> str:
    """includes/footer_menu.html: the footer's list of sections."""
    menu = _menu(context)
    return remembered(
        ("footer_menu", menu),
        lambda: render_to_string("includes/footer_menu.html", {"menu": menu}),
    )


def most_read(lists) -> str:
    """includes/most_read.html for ``lists`` (``popularity.most_read()``, or None)."""
    lists = lists or {}
    shown = tuple(
        (period, tuple((a.pk, a.title, a.get_absolute_url()) for a in lists.get(period) or ()))
        for period in ("day", "week")
    )
    return remembered(
        ("most_read", shown),
        lambda: render_to_string("includes/most_read.html", {"most_read": lists}),
    )


@jinja2.pass_context
def absolute_url(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@jinja2.pass_context
def article_json_ld(context, article) -> str:
    return seo.json_ld(seo.news_article(context["request"], article))


@jinja2.pass_context
def share_image_url(context, article) -> str:
    return seo.cover_url(context["request"], article)


def search_max_length() -> int:
    """``MAX_QUERY_LENGTH``: a search box takes what ``search_articles`` accepts, no more."""
    return search.MAX_QUERY_LENGTH


GLOBALS = {
    "absolute_url": absolute_url,
    "article_json_ld": article_json_ld,
    "card": card,
    "cover": cover,
    "footer_menu": footer_menu,
    "headline": headline,
    "most_read_list": most_read,
    "section_menu": section_menu,
    "share_image_url": share_image_url,
    "search_max_length": search_max_length,
}

FILTERS = {"vn_modified": lambda article: iso_datetime(seo.modified_at(article))}
