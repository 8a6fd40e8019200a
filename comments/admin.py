"""Moderation in the admin: the queue of pending comments, the full history,
banned terms and the (read-only) decision log.

Every decision, bulk action or one-click button, goes through
``services.moderate()``; nothing here changes a status by itself, and nothing
deletes a comment.
"""

import re
from textwrap import shorten

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Value
from django.http import Http404, HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from articles.models import Article
from portal.adminlists import DeclaredFiltersChangeList, DeclaredFiltersOnly, ReadOnlyAdmin

from . import claims, services, spam
from .admin_commenters import CommenterFilter, CommenterHistory, history_url
from .models import BannedTerm, Comment, ModerationLog, PendingComment
from .paginators import CappedCountPaginator
from .stats import format_wait, service_level

# A primary key as the query string may carry one: at most 18 digits, within
# a 64-bit column.
_ARTICLE_ID = re.compile(r"[0-9]{1,18}")
# How much of the comment a reply answers the queue shows above the reply.
REPLIED_CHARS = 160

DECISIONS = {
    Comment.Status.APPROVED: "Duyệt",
    Comment.Status.REJECTED: "Từ chối",
    Comment.Status.SPAM: "Spam",
}


class ArticleFilter(admin.SimpleListFilter):
    """By article, offering the articles with the most comments at the head of the queue.

    The stock related-field filter would list every article of the paper (one
    query over the whole table, a select of thousands). The queue only needs the
    articles where comments are waiting, plus the one already chosen; they are
    counted among the ``HEAD`` oldest waiting comments (what moderators work
    through next), so the page costs the same however long the queue grows.
    """

    title = "bài viết"
    parameter_name = "bai_viet"
    TOP = 15
    HEAD = 500

    def lookups(self, request, model_admin):
        head = Comment.objects.filter(status=Comment.Status.PENDING).order_by("created_at", "id")
        busiest = list(
            Comment.objects.filter(pk__in=head.values("pk")[: self.HEAD])
            .values_list("article_id", "article__title")
            .annotate(waiting=Count("pk"))
            .order_by("-waiting", "article_id")[: self.TOP]
        )
        # Past the head an article may have more waiting than the head shows.
        at_least = "ít nhất " if head[self.HEAD : self.HEAD + 1].exists() else ""
        chosen = self.article_id()
        if chosen is not None and chosen not in {pk for pk, _, _ in busiest}:
            busiest += Article.objects.filter(pk=chosen).values_list("pk", "title", Value(0))
        return [
            (str(pk), f"{shorten(title, 60, placeholder=' …')} ({at_least}{waiting} chờ duyệt)")
            for pk, title, waiting in busiest
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = self.article_id()
        return queryset.none() if chosen is None else queryset.filter(article_id=chosen)

    def article_id(self) -> int | None:
        """The chosen article's id, or None for anything that cannot be one.

        Not ``str.isdigit()``: it accepts "²", which int() refuses, and a number
        past the id column's range fails in the database (SQLite) as a 500.
        """
        value = self.value()
        return int(value) if value and _ARTICLE_ID.fullmatch(value) else None


class ModerationMixin(DeclaredFiltersOnly):
    """What the queue and the history share: columns, search, actions."""

    list_select_related = ("article__section", "moderated_by", "parent")
    search_fields = ("body", "name", "email", "ip_address")
    show_full_result_count = False
    # Facet counts would COUNT every filter choice over the whole table.
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    list_per_page = 50
    actions = ["approve_comments", "reject_comments", "mark_spam", "restore_to_queue"]
    readonly_fields = (
        "article_link",
        "name",
        "email",
        "ip_address",
        "user_agent",
        "full_body",
        "status",
        "reason_display",
        "created_at",
        "moderated_by",
        "moderated_at",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        # A row shows its article's title and address, never its text, which
        # is most of an article row (body, sapo and the search data).
        return (
            super()
            .get_queryset(request)
            .defer(
                "article__sapo",
                "article__body",
                "article__search_title",
                "article__search_text",
                "article__search_vector",
            )
        )

    def has_add_permission(self, request):
        return False  # comments come from readers only

    def has_delete_permission(self, request, obj=None):
        return False  # moderation never deletes

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only: a status changes through the actions only,
        # so that each change is logged. No save button to suggest otherwise.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="bài viết", ordering="article__title")
    def article_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.article.get_absolute_url(),
            obj.article.title,
        )

    @admin.display(description="nội dung")
    def full_body(self, obj):
        body = format_html('<div class="comment-body">{}</div>', linebreaksbr(obj.body, True))
        if obj.parent_id is None:
            return body
        # A reply is read with what it answers: readers see it under that comment.
        return format_html(
            '<p class="comment-replies-to">Trả lời {} ({}): “{}”</p>{}',
            obj.parent.name,
            obj.parent.get_status_display().lower(),
            shorten(obj.parent.body, REPLIED_CHARS, placeholder=" …"),
            body,
        )

    @admin.display(description="lý do giữ lại")
    def reason_display(self, obj):
        return spam.describe_reason(obj.held_reason)

    @admin.display(description="đã chờ", ordering="created_at")
    def waited(self, obj):
        return format_wait(obj.created_at, timezone.now())

    def _decide(self, request, queryset, status: str, done: str) -> None:
        changed = unchanged = 0
        for comment in queryset.select_related(None).only("id", "status", "article_id"):
            if services.moderate(comment=comment, moderator=request.user, status=status):
                changed += 1
            else:
                unchanged += 1
        if changed:
            self.message_user(request, f"{done} {changed} ý kiến.", messages.SUCCESS)
        if unchanged:
            self.message_user(
                request,
                f"{unchanged} ý kiến không đổi: đã ở trạng thái này "
                "hoặc vừa được người khác xử lý.",
                messages.WARNING,
            )

    @admin.action(description="Duyệt các ý kiến đã chọn", permissions=["change"])
    def approve_comments(self, request, queryset):
        self._decide(request, queryset, Comment.Status.APPROVED, "Đã duyệt")

    @admin.action(description="Từ chối các ý kiến đã chọn", permissions=["change"])
    def reject_comments(self, request, queryset):
        self._decide(request, queryset, Comment.Status.REJECTED, "Đã từ chối")

    @admin.action(description="Đánh dấu spam các ý kiến đã chọn", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._decide(request, queryset, Comment.Status.SPAM, "Đã đánh dấu spam")

    @admin.action(
        description="Khôi phục: đưa các ý kiến đã chọn về hàng chờ duyệt", permissions=["change"]
    )
    def restore_to_queue(self, request, queryset):
        self._decide(request, queryset, Comment.Status.PENDING, "Đã đưa về hàng chờ")

    def undo_form(self, request, log: ModerationLog) -> str:
        """A one-button form that takes ``log``'s decision back (the message's Hoàn tác)."""
        return format_html(
            '<form method="post" action="{}" class="undo-form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="button" data-undo>Hoàn tác</button></form>',
            reverse("admin:comments_moderationlog_undo", args=[log.pk]),
            get_token(request),
        )


@admin.display(description="người quyết định")
def actor(log: ModerationLog) -> str:
    # No moderator: the site decided by itself (a banned term, the honeypot, links).
    return str(log.moderator) if log.moderator_id else "Hệ thống (tự động)"


class ModerationLogInline(admin.TabularInline):
    model = ModerationLog
    extra = 0
    can_delete = False
    fields = ("at", actor, "from_status", "to_status", "reason")
    readonly_fields = fields
    ordering = ("at", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimedQueueChangeList(DeclaredFiltersChangeList):
    """The queue as a moderator opens it: the comments claimed for them (comments/claims.py).

    Searching or filtering lists every pending comment that matches, claimed or
    not. A view-only moderator, who cannot decide, claims nothing; nor does the
    bulk actions' POST, which acts on the rows ticked.
    """

    moderator = None  # whose claimed comments the list shows, when it shows claims

    def get_queryset(self, request, exclude_parameters=None):
        rows = super().get_queryset(request, exclude_parameters)
        if self.query or self.has_active_filters or request.method != "GET":
            return rows
        if not self.model_admin.has_change_permission(request):
            return rows
        self.moderator = request.user
        return rows.filter(pk__in=claims.claim(request.user, limit=self.list_per_page))

    @cached_property
    def held_by_others(self) -> list[tuple[str, int]]:
        return claims.held_by_others(self.moderator) if self.moderator else []

    @cached_property
    def held_by_others_count(self) -> int:
        return sum(held for _, held in self.held_by_others)


@admin.register(PendingComment)
class ModerationQueueAdmin(ModerationMixin, admin.ModelAdmin):
    """The moderation queue: pending comments, oldest first, decided in one click."""

    list_display_links = ("waited",)
    list_filter = (ArticleFilter, ("created_at", admin.DateFieldListFilter))
    ordering = ("created_at", "id")

    class Media:
        css = {"all": ["css/admin-moderation.css"]}
        js = ["js/moderation-queue.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Comment.Status.PENDING)

    def get_changelist(self, request, **kwargs):
        # The Reported queue builds on this admin: its rows are not the claims'.
        if self.model is PendingComment:
            return ClaimedQueueChangeList
        return super().get_changelist(request, **kwargs)

    def get_list_display(self, request):
        return ("waited", "submission", "body_and_reason", self._buttons_column(request))

    # Few, wide columns: with the filters beside it, the queue has room for the
    # whole body and the decision buttons without scrolling sideways.
    @admin.display(description="bài viết · người gửi")
    def submission(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a><br><strong>{}</strong><br>{}<br>{}'
            '<br><a href="{}">Mọi ý kiến của người này</a>',
            obj.article.get_absolute_url(),
            obj.article.title,
            obj.name,
            obj.email or "(không e-mail)",
            obj.ip_address or "(không rõ địa chỉ)",
            history_url(obj),
        )

    @admin.display(description="nội dung · lý do giữ lại")
    def body_and_reason(self, obj):
        body = self.full_body(obj)
        if not obj.held_reason:
            return body
        return format_html(
            "{}<p><strong>Lý do giữ lại:</strong> {}</p>", body, self.reason_display(obj)
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Ý kiến chờ duyệt, cũ nhất trước", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def _buttons_column(self, request: HttpRequest):
        # Built per request so the buttons can carry the queue's filters back
        # after the decision (a ModelAdmin is shared by every request).
        preserved = self.get_preserved_filters(request)

        @admin.display(description="quyết định")
        def decide(obj):
            # data-key: the keyboard shortcut that presses the button
            # (static/js/moderation-queue.js).
            def button(status, label, title, key, *, reason=None, css=""):
                return format_html(
                    '<button type="submit" class="button{}" formmethod="post" formaction="{}"'
                    ' data-key="{}"{} title="{} ý kiến của {}">{}</button>',
                    css,
                    self._decision_url(obj.pk, status, preserved),
                    key,
                    format_html(' name="reason" value="{}"', reason) if reason else "",
                    title,
                    obj.name,
                    label,
                )

            rejected = Comment.Status.REJECTED
            reasons = format_html_join(
                "",
                "{}",
                (
                    (button(rejected, reason, f"Từ chối ({reason})", str(n), reason=reason),)
                    for n, reason in enumerate(services.REJECT_REASONS, start=1)
                ),
            )
            return format_html(
                '<div class="decisions">{}{}<details class="reject-reasons"><summary '
                'class="button" data-key="r">Từ chối…</summary><div class="reasons">{}{}</div>'
                "</details></div>",
                button(Comment.Status.APPROVED, "Duyệt", "Duyệt", "a", css=" default"),
                button(Comment.Status.SPAM, "Spam", "Spam", "s"),
                reasons,
                button(rejected, "Từ chối, không nêu lý do", "Từ chối", "Enter"),
            )

        return decide

    def _decision_url(self, pk: int, status: str, preserved: str) -> str:
        url = reverse("admin:comments_pendingcomment_decide", args=[pk, status])
        return f"{url}?{preserved}" if preserved else url

    def get_urls(self):
        decide = path(
            "<int:pk>/moderate/<str:status>/",
            self.admin_site.admin_view(self.decide_view),
            name="comments_pendingcomment_decide",
        )
        undo = path(
            "undo/<int:pk>/",
            self.admin_site.admin_view(self.undo_view),
            name="comments_moderationlog_undo",
        )
        return [decide, undo, *super().get_urls()]

    def undo_view(self, request, pk: int):
        """Take one decision back (the comment returns to the status before it), then
        back to the queue."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        log = ModerationLog.objects.select_related("comment").filter(pk=pk).first()
        if log is None:
            raise Http404("Không có quyết định này.")
        comment = log.comment
        # Only while the comment still stands as that decision left it.
        if comment.status == log.to_status and services.moderate(
            comment=comment, moderator=request.user, status=log.from_status, reason="Hoàn tác"
        ):
            label = Comment.Status(log.from_status).label.lower()
            self.message_user(
                request, f"Đã hoàn tác: ý kiến của {comment.name} về “{label}”.", messages.SUCCESS
            )
        else:
            self.message_user(
                request,
                "Không hoàn tác được: ý kiến này đã được xử lý tiếp sau quyết định đó.",
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:comments_pendingcomment_changelist"))

    def decide_view(self, request, pk: int, status: str):
        """One-click decision on one pending comment, then back to the queue."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if status not in DECISIONS:
            raise Http404("Không có quyết định này.")
        if not self.has_change_permission(request):
            raise PermissionDenied
        comment = self.get_queryset(request).filter(pk=pk).first()
        if comment is None:
            self.message_user(
                request, "Ý kiến này không còn chờ duyệt: đã có người xử lý.", messages.WARNING
            )
        elif services.moderate(
            comment=comment,
            moderator=request.user,
            status=status,
            reason=request.POST.get("reason", "").strip()[:300],
        ):
            label = Comment.Status(status).label.lower()
            log = comment.moderation_logs.order_by("-id").first()
            self.message_user(
                request,
                format_html(
                    "Ý kiến của {}: {}. {}", comment.name, label, self.undo_form(request, log)
                ),
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Ý kiến này đã được xử lý trước đó.", messages.WARNING)
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        changelist = reverse("admin:comments_pendingcomment_changelist")
        return HttpResponseRedirect(add_preserved_filters(context, changelist))


@admin.register(Comment)
class CommentAdmin(CommenterHistory, ModerationMixin, admin.ModelAdmin):
    """Every comment, whatever its status: the history moderators search."""

    list_display = (
        "short_body",
        "commenter_link",
        "article_link",
        "status",
        "created_at",
        "moderated_by",
        "moderated_at",
    )
    list_filter = (
        "status",
        ArticleFilter,
        CommenterFilter,
        ("created_at", admin.DateFieldListFilter),
    )
    # By id: the primary key index, so the newest page is cheap at any size.
    ordering = ("-id",)
    inlines = [ModerationLogInline]

    @admin.display(description="ý kiến")
    def short_body(self, obj):
        return obj.body if len(obj.body) <= 80 else f"{obj.body[:80]}…"


@admin.register(BannedTerm)
class BannedTermAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = ("term", "action", "note", "created_at")
    list_filter = ("action",)
    search_fields = ("term", "note")


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin, DeclaredFiltersOnly, admin.ModelAdmin):
    """Who decided what and when. Append-only: nobody adds, changes or deletes a line."""

    list_display = ("at", "comment", actor, "from_status", "to_status", "reason")
    list_filter = ("to_status", ("at", admin.DateFieldListFilter))
    list_select_related = ("comment", "moderator")
    search_fields = ("comment__body", "moderator__username", "reason")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    ordering = ("-id",)

    def get_urls(self):
        stats = path(
            "hieu-suat/",
            self.admin_site.admin_view(self.service_level_view),
            name="comments_moderationlog_service_level",
        )
        return [stats, *super().get_urls()]

    def service_level_view(self, request):
        """Decisions per moderator per day, and the median wait for a first decision."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        days, moderators = service_level()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Hiệu suất duyệt ý kiến (14 ngày gần nhất)",
            "days": [(day, [day.decisions[name] for name in moderators]) for day in days],
            "moderators": moderators,
        }
        return TemplateResponse(request, "admin/comments/service_level.html", context)


# Registered after the queue they build on.
from . import admin_bans, admin_reports, admin_trust  # noqa: E402, F401
