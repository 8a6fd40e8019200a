"""``{% section_menu %}`` and ``{% footer_menu %}``: the section menu of every page's
header and footer, rendered once per process for the sections it shows and the
page's marks; ``{% most_read %}``: the most-read lists, once per process for the
articles they show (articles/fragments.py)."""

from django import template
from django.template.loader import get_template

from articles.fragments import remembered

register = template.Library()


def _menu(context) -> tuple:
    sections = context.get("menu_sections") or ()
    return tuple((s.pk, s.name, s.get_absolute_url()) for s in sections)


@register.simple_tag(takes_context=True)
def section_menu(context):
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
        lambda: get_template("includes/section_menu.html").render(
            {"menu": menu, "home": marks[0], "page": marks[1], "of_article": marks[2]}
        ),
    )


@register.simple_tag(takes_context=True)
def footer_menu(context):
    """includes/footer_menu.html: the footer's list of sections."""
    menu = _menu(context)
    return remembered(
        ("footer_menu", menu),
        lambda: get_template("includes/footer_menu.html").render({"menu": menu}),
    )


@register.simple_tag
def most_read(lists):
    """includes/most_read.html for ``lists`` (``popularity.most_read()``, or None)."""
    lists = lists or {}
    shown = tuple(
        (period, tuple((a.pk, a.title, a.get_absolute_url()) for a in lists.get(period) or ()))
        for period in ("day", "week")
    )
    return remembered(
        ("most_read", shown),
        lambda: get_template("includes/most_read.html").render({"most_read": lists}),
    )
