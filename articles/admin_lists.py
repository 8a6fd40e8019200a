"""The newsroom's two working lists: "Chờ duyệt" for editors (the articles
waiting for review, oldest first) and "Bài của tôi" for journalists (their
own articles, their state and the editor's last note).

Both are views of Article (proxy models) that open the article's own form;
who sees them follows the article's permissions and the workflow's rule.
"""

from django.contrib import admin
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import format_html

from portal.adminlists import DeclaredFiltersOnly, ReadOnlyAdmin

from . import workflow
from .models import Article, ArticleInReview, Byline, MyArticle, Transition


class ArticleListAdmin(ReadOnlyAdmin, DeclaredFiltersOnly, admin.ModelAdmin):
    """A read-only list of articles whose rows open the article's form."""

    list_display_links = None
    list_select_related = ["section"]
    search_fields = ["title"]
    list_per_page = 50

    @admin.display(description="tiêu đề", ordering="title")
    def article_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[obj.pk]), obj
        )

    @admin.display(description="trạng thái", ordering="status")
    def state(self, obj):
        return obj.publication_state.label


def _last(action: str | None = None, field: str = "at"):
    """The ``field`` of an article's last transition (by ``action``, if named)."""
    transitions = Transition.objects.filter(article=OuterRef("pk"))
    if action is not None:
        transitions = transitions.filter(action=action)
    return Subquery(transitions.order_by("-at", "-id").values(field)[:1])


@admin.register(ArticleInReview)
class ArticleInReviewAdmin(ArticleListAdmin):
    list_display = ["article_link", "section", "submitted_by", "submitted_at"]
    list_filter = ["section"]

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_module_permission(self, request):
        return workflow.is_editor(request.user)

    def get_queryset(self, request):
        # Oldest first (get_ordering): the article waiting longest comes up first.
        return (
            super()
            .get_queryset(request)
            .filter(status=Article.Status.REVIEW)
            .annotate(
                submitted=_last(workflow.Action.SUBMIT),
                submitted_by_name=_last(workflow.Action.SUBMIT, "by__username"),
            )
        )

    def get_ordering(self, request):
        return [_last(workflow.Action.SUBMIT).asc(nulls_first=True), "pk"]

    @admin.display(description="người gửi")
    def submitted_by(self, obj):
        return obj.submitted_by_name or "–"

    @admin.display(description="gửi lúc", ordering="submitted")
    def submitted_at(self, obj):
        return obj.submitted or obj.updated_at


@admin.register(MyArticle)
class MyArticleAdmin(ArticleListAdmin):
    list_display = ["article_link", "section", "state", "last_note", "updated_at"]
    list_filter = ["section"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.add_article")

    def has_module_permission(self, request):
        return request.user.has_perm("articles.add_article")

    def get_queryset(self, request):
        own = Q(created_by=request.user) | Q(
            pk__in=Byline.objects.filter(author__user=request.user).values("article_id")
        )
        return (
            super()
            .get_queryset(request)
            .filter(own)
            .annotate(
                last_action=_last(field="action"),
                last_note_text=_last(field="note"),
            )
        )

    def get_ordering(self, request):
        return ["-updated_at", "-pk"]

    @admin.display(description="ghi chú của biên tập viên")
    def last_note(self, obj):
        # Shown while the draft sent back waits for its fix.
        if obj.last_action == workflow.Action.SEND_BACK and obj.status == Article.Status.DRAFT:
            return obj.last_note_text
        return ""
