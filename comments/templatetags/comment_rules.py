"""The comment rules as the page shows them: the numbers the form and the model check."""

from django import template

from comments import models

register = template.Library()


@register.simple_tag
def comment_max_chars() -> int:
    """``MAX_BODY_CHARS``, for the counter, its warning and comments.js (``data-max``)."""
    return models.MAX_BODY_CHARS
