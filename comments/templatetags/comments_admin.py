"""The admin index line "N ý kiến đang chờ duyệt, lâu nhất …", for those who may see the queue."""

from django import template

from comments import stats
from comments.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comment_count(context) -> int | None:
    """Pending comments (one COUNT on the partial index of pending rows), or None."""
    request = context.get("request")
    if request is None or not request.user.has_perm("comments.view_pendingcomment"):
        return None
    return Comment.objects.filter(status=Comment.Status.PENDING).count()


@register.simple_tag
def oldest_pending_wait() -> str | None:
    """How long the oldest pending comment has waited ("3 giờ"), or None."""
    return stats.oldest_pending_wait()
