"""The Reported queue (Bị báo cáo): comments readers reported, most open reports first.

The moderation queue's admin with another list: its one-click decisions, under
this queue's own address so that each one comes back here. A comment leaves the
queue once a moderator answers its reports: approving it (again), rejecting it
or marking it spam.
"""

from collections import Counter

from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.db import transaction
from django.db.models import Count, F, Prefetch
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from . import services
from .admin import ModerationQueueAdmin
from .models import Comment, CommentReport, ReportedComment, open_reports

KEPT_REASON = "Giữ lại sau báo cáo vi phạm"
# Readers' notes shown in a row; the reasons are counted in full.
NOTES_SHOWN = 5


@admin.register(ReportedComment)
class ReportedQueueAdmin(ModerationQueueAdmin):
    list_filter = ("status",)

    def get_queryset(self, request):
        # Not the moderation queue's own rows (pending only): every status is
        # narrowed here to what still waits on a moderator.
        rows = super(ModerationQueueAdmin, self).get_queryset(request)
        return (
            rows.filter(status__in=[Comment.Status.APPROVED, Comment.Status.PENDING])
            .annotate(open_reports=Count("reports", filter=open_reports()))
            .filter(open_reports__gt=0)
            .prefetch_related(
                Prefetch("reports", queryset=CommentReport.objects.order_by("created_at", "id"))
            )
        )

    def get_ordering(self, request):
        # The annotation of get_queryset(), which the ordering attribute cannot name,
        # as an expression: the base queryset is ordered before it is annotated.
        return (F("open_reports").desc(), "created_at", "id")

    def get_list_display(self, request):
        return ("report_count", "submission", "body_and_reports", self._buttons_column(request))

    # Moderators decide on comments: the comment permissions answer for the proxy.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("comments.view_comment")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("comments.change_comment")

    @admin.display(description="báo cáo", ordering="-open_reports")
    def report_count(self, obj):
        shown = "đang ẩn" if obj.status == Comment.Status.PENDING else "đang hiện"
        return format_html("<strong>{}</strong> báo cáo<br>{}", obj.open_reports, shown)

    @admin.display(description="nội dung · lý do báo cáo")
    def body_and_reports(self, obj):
        reports = obj.reports.all()  # prefetched for the page
        counts = Counter(report.get_reason_display() for report in reports)
        notes = [report.note for report in reports if report.note][:NOTES_SHOWN]
        return format_html(
            '{}<p><strong>Lý do:</strong> {}</p><ul class="report-notes">{}</ul>',
            self.full_body(obj),
            ", ".join(f"{reason} ({count})" for reason, count in counts.most_common()),
            format_html_join("", "<li>{}</li>", ((note,) for note in notes)),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Ý kiến bị báo cáo, nhiều báo cáo nhất trước"}
        return super().changelist_view(request, extra_context)

    def _decision_url(self, pk: int, status: str, preserved: str) -> str:
        url = reverse("admin:comments_reportedcomment_decide", args=[pk, status])
        return f"{url}?{preserved}" if preserved else url

    def get_urls(self):
        decide = path(
            "<int:pk>/moderate/<str:status>/",
            self.admin_site.admin_view(self.decide_view),
            name="comments_reportedcomment_decide",
        )
        # The moderation queue's own routes (its decisions, undo) stay with it.
        queue_routes = {"comments_pendingcomment_decide", "comments_moderationlog_undo"}
        rest = [route for route in super().get_urls() if route.name not in queue_routes]
        return [decide, *rest]

    def decide_view(self, request, pk: int, status: str):
        """The queue's one-click decision; back to this queue after it."""
        with transaction.atomic():
            comment = self.get_queryset(request).filter(pk=pk).first()
            keep = comment is not None and comment.status == status == Comment.Status.APPROVED
            if keep and request.method == "POST" and self.has_change_permission(request):
                # Approved already: "Duyệt" keeps it, answering its reports, as an
                # approval (logged) from the queue, the one way a comment is approved.
                services.moderate(
                    comment=comment,
                    moderator=request.user,
                    status=Comment.Status.PENDING,
                    reason=KEPT_REASON,
                )
            response = super().decide_view(request, pk, status)
        if not isinstance(response, HttpResponseRedirect):
            return response
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        changelist = reverse("admin:comments_reportedcomment_changelist")
        return HttpResponseRedirect(add_preserved_filters(context, changelist))
