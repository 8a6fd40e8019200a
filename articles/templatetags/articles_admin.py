from django import template

from articles import workflow
from articles.models import Article

register = template.Library()


@register.simple_tag(takes_context=True)
def review_count(context) -> int | None:
    """Articles waiting for an editor's review, or None for staff who do not review."""
    request = context.get("request")
    if request is None or not workflow.is_editor(request.user):
        return None
    return Article.objects.filter(status=Article.Status.REVIEW).count()
