"""The comments block of the article page, rendered with the page.

The article page is the same for every anonymous reader and kept in the page
cache, and the articles app does not know the comments app: its template loads
this tag. The block shows nothing of one reader: the count, the form without a
CSRF token (comments.views), and the first page of the list, the whole kept
per version (comments/fragments.py).
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from comments import fragments
from comments.views import block_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_block(context, article) -> str:
    """comments/_block.html: the heading ``Ý kiến (N)``, the posting form and the
    first page of approved comments, kept while they stand (read with the
    article's parts when the page's ``kept_for_page`` holds them)."""
    return mark_safe(
        fragments.article_block(
            article=article,
            render=lambda list_html: render_to_string(
                "comments/_block.html", block_context(article, list_html=list_html)
            ),
            found=context.get("kept_for_page"),
        )
    )
