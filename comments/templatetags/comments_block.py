"""The comments block of the article page, rendered with the page.

The article page is the same for every anonymous reader and kept in the page
cache, and the articles app does not know the comments app: its template loads
this tag. The block shows nothing of one reader: the count, the form without a
CSRF token (comments.views), and the first page of the list, kept per version
(comments/fragments.py).
"""

from django import template

from comments.views import block_context

register = template.Library()


@register.inclusion_tag("comments/_block.html")
def comments_block(article) -> dict:
    """The heading ``Ý kiến (N)``, the posting form and the first page of approved comments."""
    return block_context(article)
