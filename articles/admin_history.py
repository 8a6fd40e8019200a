"""The article's history in the admin (Lịch sử): its revisions, a diff
between any two, restoring one, and the workflow's transitions.

Whoever may view an article sees its history; restoring a revision needs the
right to edit the article (``articles.workflow.may_edit``), asked again when
the confirmation is posted.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Revision

from . import revisions, workflow
from .models import PublicationState
from .services import EditConflict

HISTORY_PER_PAGE = 50


def who(user) -> str:
    """A person as the history names them; the site's own tools when nobody."""
    if user is None:
        return "Hệ thống"
    return user.get_full_name() or user.get_username()


def _label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


class HistoryAdmin:
    """Mixed into ArticleAdmin (articles/admin.py)."""

    object_history_template = "admin/articles/article/history.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    # Views.

    def history_view(self, request, object_id, extra_context=None):
        """Lịch sử: the revisions, newest first, to compare or restore; the transitions."""
        article = self._viewable_article(request, object_id)
        paginator = self.get_paginator(request, revisions.revisions_of(article), HISTORY_PER_PAGE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        listed = list(page.object_list)
        shots = revisions.snapshots(listed, article)
        entries = [
            {
                "revision": revision,
                "who": who(revision.user),
                "shot": shots[revision.pk],
                # Restoring the newest revision would change nothing.
                "newest": page.number == 1 and i == 0,
            }
            for i, revision in enumerate(listed)
        ]
        transitions = [
            {
                "at": transition.at,
                "who": who(transition.by),
                "action": _label(workflow.Action, transition.action),
                "from": _label(PublicationState, transition.from_status),
                "to": _label(PublicationState, transition.to_status),
                "note": transition.note,
            }
            for transition in article.transitions.select_related("by")
        ]
        context = {
            **self._history_context(request, article, f"Lịch sử: {article}"),
            "entries": entries,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "transitions": transitions,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        """Two revisions side by side, word by word: ``?a=`` the older (the one
        before ``b`` when left out), ``?b=`` the newer."""
        article = self._viewable_article(request, object_id)
        own = revisions.revisions_of(article)
        newer = self._revision(own, request.GET.get("b"))
        older = (
            self._revision(own, request.GET["a"])
            if request.GET.get("a")
            else own.filter(
                Q(date_created__lt=newer.date_created)
                | Q(date_created=newer.date_created, pk__lt=newer.pk)
            ).first()
        )
        if older is not None and (older.date_created, older.pk) > (newer.date_created, newer.pk):
            older, newer = newer, older
        shots = revisions.snapshots([r for r in (older, newer) if r is not None], article)
        old = shots[older.pk] if older is not None else None
        diffs = revisions.compare(old, shots[newer.pk])
        context = {
            **self._history_context(request, article, f"So sánh phiên bản: {article}"),
            "older": self._head(older, old),
            "newer": self._head(newer, shots[newer.pk]),
            "changed": [diff for diff in diffs if diff.changed],
            "unchanged": [diff.label for diff in diffs if not diff.changed],
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, revision_id):
        """Restoring a revision's content: what it changes, then a confirmation (POST)."""
        article = self._viewable_article(request, object_id)
        if not workflow.may_edit(request.user, article):
            raise PermissionDenied
        revision = self._revision(revisions.revisions_of(article), revision_id)
        history_url = reverse(self._url_name("history"), args=[article.pk])
        if request.method == "POST":
            try:
                version = int(request.POST.get("version", ""))
            except ValueError:
                raise BadRequest("Thiếu phiên bản của bài khi mở trang.") from None
            return self._restore(request, article, revision, version, history_url)
        current = revisions.Snapshot.of_article(article)
        shot = revisions.Snapshot.of_revision(revision, article)
        diffs = revisions.compare(current, shot, fields=revisions.RESTORED)
        context = {
            **self._history_context(request, article, f"Khôi phục phiên bản: {article}"),
            "revision": self._head(revision, shot),
            "changed": [diff for diff in diffs if diff.changed],
            "version": article.version,
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    # Helpers.

    def _restore(self, request, article, revision, version, history_url):
        when = timezone.localtime(revision.date_created).strftime("%H:%M %d/%m/%Y")
        try:
            restored = revisions.restore(
                article=article, revision=revision, by=request.user, expected_version=version
            )
        except EditConflict as conflict:
            saved = timezone.localtime(conflict.at).strftime("%H:%M %d/%m/%Y")
            self.message_user(
                request,
                f"Bài đã được {who(conflict.by)} lưu lúc {saved} sau khi bạn mở trang này: "
                "chưa khôi phục gì. Hãy xem lại những gì sẽ thay đổi rồi xác nhận lần nữa.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        self.log_change(request, article, f"Khôi phục phiên bản lúc {when}")
        self.message_user(
            request,
            f"Đã khôi phục nội dung phiên bản lúc {when}, lưu thành một phiên bản mới.",
            messages.SUCCESS,
        )
        for note in restored.notes:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(history_url)

    def _viewable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("Không có bài viết này.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    @staticmethod
    def _revision(own, revision_id) -> Revision:
        try:
            return own.get(pk=int(revision_id))
        except (TypeError, ValueError, Revision.DoesNotExist):
            raise Http404("Bài không có phiên bản này.") from None

    @staticmethod
    def _head(revision, shot):
        """What a page says about one revision: when, who, the state then."""
        if revision is None:
            return None
        return {"revision": revision, "who": who(revision.user), "shot": shot}

    def _url_name(self, view: str) -> str:
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _history_context(self, request, article, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "object": article,
            "opts": self.opts,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "may_restore": workflow.may_edit(request.user, article),
            "history_url": reverse(self._url_name("history"), args=[article.pk]),
            "compare_url": reverse(self._url_name("compare"), args=[article.pk]),
            "preserved_filters": self.get_preserved_filters(request),
        }
