"""What the reader templates call from the comments app (portal/jinja.py).

The article page is the same for every anonymous reader and kept in the page
cache, and the articles app does not know the comments app: its template calls
``comments_block``. The block shows nothing of one reader: the count, the form
without a CSRF token (comments.views), and the first page of the list, the
whole kept per version (comments/fragments.py).
"""

import jinja2
from django.template.loader import render_to_string
from markupsafe import Markup

from comments import fragments, models
from comments.views import block_context


@jinja2.pass_context
def comments_block(context, article) -> Markup:
    """comments/_block.html: the heading ``Ý kiến (N)``, the posting form and the
    first page of approved comments, kept while they stand (read with the
    article's parts when the page's ``kept_for_page`` holds them)."""
    return Markup(
        fragments.article_block(
            article=article,
            render=lambda list_html: render_to_string(
                "comments/_block.html", block_context(article, list_html=list_html)
            ),
            found=context.get("kept_for_page"),
        )
    )


def comment_max_chars() -> int:
    """``MAX_BODY_CHARS``, for the counter, its warning and comments.js
    (``data-max``): the number the form and the model check."""
    return models.MAX_BODY_CHARS


GLOBALS = {
    "comments_block": comments_block,
    "comment_max_chars": comment_max_chars,
}
