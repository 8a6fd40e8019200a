"""Editing an article in the admin without losing work: the version check
(a save from an older version is refused and shown with what changed), who
else has the article open, and the form's autosaved draft.

The form carries the version it was opened on and a signed snapshot of its
fields as they were (``ChecksVersion``); the page's script
(static/js/article-editing.js) calls the two endpoints: presence every
``EDITING_HEARTBEAT_SECONDS`` and autosave every ``EDITING_AUTOSAVE_SECONDS``
when the form changed.
"""

import json

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from portal.dates import to_vietnam

from . import editing
from .models import Article
from .services import EditConflict
from .workflow import may_edit

NOT_ALLOWED = "Bạn không có quyền sửa bài này."
NOT_FOUND = "Không tìm thấy bài viết."
NOT_A_FORM = "Nội dung gửi lên không phải một biểu mẫu bài viết."
_MODEL_FIELDS = frozenset(f.name for f in Article._meta.get_fields())


class _Carried(forms.Field):
    """A hidden value the form carries from page to page: never a change to the article."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class _VersionField(_Carried, forms.IntegerField):
    pass


class _SnapshotField(_Carried, forms.CharField):
    pass


class ChecksVersion:
    """An article ModelForm that knows the version it was opened on (``version``)
    and its fields' values then (``opened``, signed). A form from an older
    version fails ``clean()`` with who saved since, when, and what changed
    (``conflict``); what was typed stays in the bound form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: editing.Conflict | None = None
        self.fields["version"] = _VersionField(required=False, min_value=1)
        self.fields["opened"] = _SnapshotField(required=False)

    def snapshot_names(self) -> list[str]:
        """What the snapshot holds: the article's fields this form shows, and its bylines."""
        names = [n for n in self.fields if n in _MODEL_FIELDS and n != "version"]
        return [*names, editing.BYLINES]

    def clean(self):
        cleaned_data = super().clean()
        version = cleaned_data.get("version")
        if self.instance.pk is not None and version is not None:
            self.conflict = editing.conflict_since(
                article=self.instance,
                version=version,
                opened=editing.read_snapshot(cleaned_data.get("opened") or ""),
                names=self.snapshot_names(),
            )
            if self.conflict is not None:
                self.add_error(None, ValidationError(self.conflict.message, code="edit_conflict"))
        return cleaned_data

    # What the page sends back with the next save: after a conflict, the stored
    # version (the person has seen what changed); otherwise what it was opened on.

    @property
    def version_to_send(self):
        if self.conflict is not None:
            return self.conflict.version
        if self.is_bound:
            return self["version"].value() or ""
        return self.instance.version if self.instance.pk is not None else ""

    @property
    def opened_to_send(self) -> str:
        if self.conflict is not None:
            return self.conflict.opened
        if self.is_bound:
            return self["opened"].value() or ""
        if self.instance.pk is None:
            return ""
        return editing.sign_snapshot(editing.snapshot(self.instance, self.snapshot_names()))


class EditingAdmin:
    """Mixed into ArticleAdmin (articles/admin.py), whose form is a ``ChecksVersion``."""

    @property
    def media(self):
        return super().media + forms.Media(js=["js/article-editing.js"])

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view  # staff only, CSRF checked, never cached
        return [
            path("autosave/", view(require_POST(self.autosave_view)), name=f"{name}_autosave_new"),
            path(
                "<path:object_id>/presence/",
                view(require_POST(self.presence_view)),
                name=f"{name}_presence",
            ),
            path(
                "<path:object_id>/autosave/",
                view(require_POST(self.autosave_view)),
                name=f"{name}_autosave",
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id):
        """The article and None, or None and the JSON answer refusing the request."""
        article = Article() if object_id is None else self.get_object(request, unquote(object_id))
        if article is None:
            return None, JsonResponse({"error": NOT_FOUND}, status=404)
        if not may_edit(request.user, article):
            return None, JsonResponse({"error": NOT_ALLOWED}, status=403)
        return article, None

    def presence_view(self, request, object_id):
        """POST from an open form: "I am here" (or ``leaving``); answers who else is."""
        article, refusal = self._editable(request, object_id)
        if refusal is not None:
            return refusal
        if request.POST.get("leaving"):
            editing.leave(article=article, user=request.user)
            return JsonResponse({"left": True})
        editing.touch_presence(article=article, user=request.user)
        others = editing.others_editing(article=article, user=request.user)
        version = request.POST.get("version", "")
        return JsonResponse(
            {
                "presence": editing.presence_notice(others),
                "saved": editing.saved_since_notice(
                    article, int(version) if version.isdigit() else None
                ),
            }
        )

    def autosave_view(self, request, object_id=None):
        """POST of the form's content as JSON, kept as the person's draft
        (``{"discard": true}``: forget it); the article is not touched."""
        article, refusal = self._editable(request, object_id)
        if refusal is not None:
            return refusal
        article = article if article.pk is not None else None
        try:
            payload = json.loads(request.body)
        except ValueError:
            payload = None
        if isinstance(payload, dict) and payload.get("discard") is True:
            editing.discard_draft(user=request.user, article=article)
            return JsonResponse({"discarded": True})
        data = editing.clean_draft_data(payload)
        if data is None:
            return JsonResponse({"error": NOT_A_FORM}, status=400)
        draft = editing.autosave(user=request.user, article=article, data=data)
        when = to_vietnam(draft.saved_at)
        return JsonResponse({"message": f"Đã lưu tự động lúc {when:%H:%M:%S}."})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Both forms passed the version check before either was stored, and
            # the other was stored first; this one's transaction rolled back.
            # Run again, the check meets the stored version and the form comes
            # back, as typed, with what changed.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The saved article replaces the saver's draft of it (a new article's: theirs).
        editing.discard_draft(user=request.user, article=form.instance if change else None)
        if change:
            # The form is left with the save (its page's goodbye may come late,
            # or never); one that stays open says so again with its next heartbeat.
            editing.leave(article=form.instance, user=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["editing"] = self._editing_context(request, context["adminform"].form, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _editing_context(self, request, form, obj) -> dict:
        article = obj if obj is not None and obj.pk is not None else None
        if not may_edit(request.user, article or Article()):
            return {"enabled": False}
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        if article is None:
            presence_url, others = "", []
            autosave_url = reverse(f"{name}_autosave_new")
        else:
            presence_url = reverse(f"{name}_presence", args=[quote(article.pk)])
            autosave_url = reverse(f"{name}_autosave", args=[quote(article.pk)])
            others = editing.others_editing(article=article, user=request.user)
        # Offered when the form is opened, not over a form shown again with its errors.
        draft = None
        if not form.is_bound:
            draft = editing.draft_to_offer(user=request.user, article=article)
        return {
            "enabled": True,
            "presence_url": presence_url,
            "autosave_url": autosave_url,
            "heartbeat_ms": round(editing.heartbeat_seconds() * 1000),
            "autosave_ms": round(editing.autosave_seconds() * 1000),
            "presence": editing.presence_notice(others),
            "draft": draft,
            "draft_offer": editing.draft_offer(draft, article) if draft else "",
            # A form shown again holds what was typed and not stored.
            "unsaved": form.is_bound,
        }
