"""What a search box needs from articles.search."""

from django import template

from articles import search

register = template.Library()


@register.simple_tag
def search_max_length() -> int:
    """``MAX_QUERY_LENGTH``: a box takes what ``search_articles`` accepts, no more."""
    return search.MAX_QUERY_LENGTH
