"""The admin index line "N ý kiến đang chờ duyệt", for those who may see the queue."""

from django import template

from comments.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comment_count(context) -> int | None:
    """Pending comments (one COUNT on the partial index of pending rows), or None."""
    request = context.get("request")
    if request is None or not request.user.has_perm("comments.view_pendingcomment"):
        return None
    return Comment.objects.filter(status=Comment.Status.PENDING).count()
