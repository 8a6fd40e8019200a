"""``{% card article %}`` and ``{% headline article %}``: one article in a list,
rendered once per process for the values it shows (articles/fragments.py)."""

from django import template
from django.conf import settings
from django.template.loader import get_template

from articles.fragments import remembered

register = template.Library()


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


@register.simple_tag
def card(article, heading="h3", eager=False, featured=False, show_section=False):
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
        lambda: get_template("includes/article_card.html").render(context),
    )


@register.simple_tag
def headline(article):
    """includes/headline.html: the time and the linked title of ``article``."""
    return remembered(
        ("headline", *_shown(article)),
        lambda: get_template("includes/headline.html").render({"article": article}),
    )
