"""A commenter's history in the admin: from any comment, every comment from the
same e-mail or address with its status, and one click to reject everything of
theirs still waiting.

Readers have no accounts: a commenter is who shares a comment's e-mail (when
given) or its address. The history is the comment list filtered
``?nguoi_gui=<comment id>``.
"""

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from . import services
from .models import Comment

_ID = re.compile(r"[1-9][0-9]{0,17}")


def same_commenter(comment: Comment) -> Q:
    """Comments from ``comment``'s e-mail (case aside) or its address."""
    same = Q(pk=comment.pk)
    if comment.email:
        same |= Q(email__iexact=comment.email)
    if comment.ip_address:
        same |= Q(ip_address=comment.ip_address)
    return same


def history_url(comment: Comment) -> str:
    return f"{reverse('admin:comments_comment_changelist')}?nguoi_gui={comment.pk}"


class CommenterFilter(admin.SimpleListFilter):
    """The comments of the commenter who wrote comment ``?nguoi_gui=<id>``."""

    title = "người gửi"
    parameter_name = "nguoi_gui"

    def lookups(self, request, model_admin):
        comment = self.comment()
        return [] if comment is None else [(str(comment.pk), describe(comment))]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        comment = self.comment()
        return queryset.none() if comment is None else queryset.filter(same_commenter(comment))

    def comment(self) -> Comment | None:
        value = self.value()
        if not value or not _ID.fullmatch(value):
            return None
        return (
            Comment.objects.filter(pk=int(value)).only("id", "name", "email", "ip_address").first()
        )


def describe(comment: Comment) -> str:
    who = [part for part in (comment.email, comment.ip_address) if part]
    return f"{comment.name} ({', '.join(who) or 'không rõ'})"


class CommenterHistory:
    """Mixed into the comment history's admin: the filter's page and its bulk rejection."""

    def get_urls(self):
        reject = path(
            "nguoi-gui/<int:pk>/tu-choi-tat-ca/",
            self.admin_site.admin_view(self.reject_all_view),
            name="comments_comment_reject_commenter",
        )
        return [reject, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        # As the change list gives them: each parameter with the list of its values.
        filter_ = CommenterFilter(request, dict(request.GET.lists()), Comment, self)
        comment = filter_.comment()
        if comment is not None:
            pending = Comment.objects.filter(same_commenter(comment), status="pending").count()
            extra_context = {
                "title": f"Mọi ý kiến của {describe(comment)}",
                "commenter": comment,
                "commenter_pending": pending,
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)

    def reject_all_view(self, request, pk: int):
        """Reject every pending comment of the commenter who wrote comment ``pk``."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        comment = Comment.objects.filter(pk=pk).first()
        if comment is None:
            return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))
        rejected = 0
        for waiting in Comment.objects.filter(same_commenter(comment), status="pending").only(
            "id", "status", "article_id"
        ):
            rejected += services.moderate(
                comment=waiting,
                moderator=request.user,
                status=Comment.Status.REJECTED,
                reason="Từ chối mọi ý kiến đang chờ của người gửi",
            )
        self.message_user(
            request, f"Đã từ chối {rejected} ý kiến đang chờ của người gửi này.", messages.SUCCESS
        )
        return HttpResponseRedirect(history_url(comment))

    @admin.display(description="người gửi")
    def commenter_link(self, obj):
        return format_html('<a href="{}">{}</a>', history_url(obj), obj.name)
