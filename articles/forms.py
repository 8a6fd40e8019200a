"""The admin's image fields: an image chosen survives a form shown again.

A browser never refills a file input. When a form comes back with an error (an
article without a title or an author, an author without a name), each image
the journalist picked in a field the form keeps (``KeepsUploads.kept_fields``)
is kept as a pending upload: cleaned (articles/images.py) and stored under
``pending/``, shown as a thumbnail with its name, and carried to the next
submit by a signed reference in a hidden field. The model saves it like a new
upload; abandoned pending files are removed after a day.

The storage may be a bucket on another machine (portal/storage.py). A form that
brings an image checks first that the storage answers: one that does not gives
the field a Vietnamese error, and the form comes back with everything typed.
"""

import logging
from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from portal.storage import UNAVAILABLE, storage_errors
from portal.text import vn_slugify

from . import workflow
from .admin_editing import ChecksVersion
from .images import clean_upload
from .models import Tag

PENDING_DIR = "pending"
PENDING_MAX_AGE = timedelta(days=1)
_SALT = "articles.forms.pending-upload"

log = logging.getLogger(__name__)


class PendingUpload(File):
    """An image chosen in a form that was shown again, stored until the form is saved."""

    def __init__(self, name: str, original_name: str):
        super().__init__(default_storage.open(name, "rb"), name=PurePosixPath(name).name)
        self.stored_name = name
        self.original_name = original_name

    @property
    def url(self) -> str:
        return default_storage.url(self.stored_name)

    @property
    def token(self) -> str:
        return signing.dumps({"name": self.stored_name, "original": self.original_name}, salt=_SALT)

    @classmethod
    def keep(cls, upload: UploadedFile) -> "PendingUpload":
        _remove_abandoned()
        cleaned = clean_upload(upload)
        name = default_storage.save(f"{PENDING_DIR}/{cleaned.name}", cleaned)
        return cls(name, PurePosixPath(upload.name).name)

    @classmethod
    def from_token(cls, token: str) -> "PendingUpload | None":
        try:
            data = signing.loads(token, salt=_SALT, max_age=PENDING_MAX_AGE)
        except signing.BadSignature:
            return None
        name = data.get("name", "")
        try:
            if not name.startswith(f"{PENDING_DIR}/") or not default_storage.exists(name):
                return None
            return cls(name, data.get("original", ""))
        except storage_errors():
            # The form's storage check names the failure (KeepsUploads.clean).
            log.warning("Pending upload %s unreadable: storage unavailable", name, exc_info=True)
            return None

    def discard(self) -> None:
        self.close()
        try:
            default_storage.delete(self.stored_name)
        except storage_errors():
            # The object is stored by now; the file goes with the abandoned ones.
            log.warning("Pending upload %s kept: storage unavailable", self.stored_name)


def _remove_abandoned() -> None:
    try:
        _, names = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - PENDING_MAX_AGE
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


class KeptImageInput(AdminFileWidget):
    """The admin's file input, after the pending upload: its thumbnail, its name, its reference."""

    pending: PendingUpload | None = None

    def pending_name(self, name: str) -> str:
        return f"{name}-pending"

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if value is None and data.get(self.pending_name(name)):
            # No new file and no "clear": the one chosen before.
            return PendingUpload.from_token(data[self.pending_name(name)])
        return value

    def render(self, name, value, attrs=None, renderer=None):
        if self.pending is None:
            return super().render(name, value, attrs, renderer)
        # The pending image stands for the field's value (and for a current image).
        return format_html(
            '<div class="kept-upload"><img src="{}" alt="" style="display: block; '
            'max-width: 240px; max-height: 160px; margin-bottom: 4px;">'
            "<p>Ảnh đã chọn: <strong>{}</strong>. Ảnh được lưu khi bạn lưu trang này; "
            "muốn thay thì chọn tệp khác.</p>"
            '<input type="hidden" name="{}" value="{}"></div>{}',
            self.pending.url,
            self.pending.original_name,
            self.pending_name(name),
            self.pending.token,
            super().render(name, None, attrs, renderer),
        )


class KeepsUploads:
    """A ModelForm whose image fields named in ``kept_fields`` keep a chosen image.

    Its admin gives those fields a KeptImageInput, keeps the images before the
    form is shown again and discards the pending copies once the object is
    saved (articles.admin.KeepsUploadsAdmin).
    """

    kept_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned_data = super().clean()
        for name in self.kept_fields:
            if self._brings_image(name) and not self._storage_answers(name):
                self.add_error(name, ValidationError(UNAVAILABLE, code="storage_unavailable"))
        return cleaned_data

    def _brings_image(self, name: str) -> bool:
        """A new image chosen, or one kept from the form shown before."""
        widget = self.fields[name].widget
        if isinstance(self.cleaned_data.get(name), UploadedFile | PendingUpload):
            return True
        return isinstance(widget, KeptImageInput) and bool(
            self.data.get(widget.pending_name(self.add_prefix(name)))
        )

    def _storage_answers(self, name: str) -> bool:
        # One cheap call (a HEAD on a bucket) before the save stores the image:
        # a storage that is down fails here, as a form error, not in the save.
        storage = self._meta.model._meta.get_field(name).storage
        try:
            storage.exists(PENDING_DIR)
        except storage_errors():
            log.warning("Media storage unavailable for %s", name, exc_info=True)
            return False
        return True

    def keep_uploads(self) -> None:
        """Before the bound form is shown again: keep each valid new image as a pending upload."""
        cleaned_data = getattr(self, "cleaned_data", {})
        for name in self.kept_fields:
            image = cleaned_data.get(name)
            if isinstance(image, UploadedFile):
                try:
                    image = PendingUpload.keep(image)
                except storage_errors():
                    log.warning("Media storage unavailable for %s", name, exc_info=True)
                    self.add_error(name, ValidationError(UNAVAILABLE, code="storage_unavailable"))
                    continue
            if isinstance(image, PendingUpload):
                self.fields[name].widget.pending = image

    def discard_pending(self) -> None:
        """After the object is saved with its own copies of the images."""
        for name in self.kept_fields:
            image = self.cleaned_data.get(name)
            if isinstance(image, PendingUpload):
                image.discard()


# The submit button naming a workflow action (articles/workflow.py ``Action``).
ACTION_FIELD = "_workflow"


class ArticleAdminForm(ChecksVersion, KeepsUploads, forms.ModelForm):
    """The article's form; ``workflow_user`` and ``workflow_action`` are set by
    its admin for the request (the button pressed, or None for a plain save)."""

    kept_fields = ("cover_image",)
    workflow_user = None
    workflow_action: str | None = None
    # The publication time the action gives (set by clean()).
    workflow_at = None

    new_tags = forms.CharField(
        label="thẻ mới",
        required=False,
        max_length=1000,
        help_text="Thẻ chưa có trong danh sách: gõ tên, cách nhau bằng dấu phẩy "
        "(ví dụ: Lũ lụt, Cao Lãnh). Thẻ được tạo khi lưu bài.",
    )
    workflow_note = forms.CharField(
        label="ghi chú cho phóng viên",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bắt buộc khi trả lại bài: vì sao và cần sửa gì. Phóng viên thấy ghi chú "
        "này trên trang sửa bài.",
    )

    def clean_new_tags(self):
        names, seen = [], set()
        for raw in self.cleaned_data["new_tags"].split(","):
            name = " ".join(raw.split())
            if not name:
                continue
            if len(name) > Tag._meta.get_field("name").max_length:
                raise ValidationError(f"Tên thẻ “{name[:40]}…” quá dài.", code="too_long")
            slug = vn_slugify(name)
            if not slug:
                raise ValidationError(f"Tên thẻ “{name}” cần có chữ hoặc số.", code="no_slug")
            if slug not in seen:
                seen.add(slug)
                names.append(name)
        return names

    def clean(self):
        cleaned_data = super().clean()
        if self.workflow_action and not self.errors:
            self._check_workflow(cleaned_data)
        return cleaned_data

    def _check_workflow(self, cleaned_data):
        try:
            action = workflow.Action(self.workflow_action)
        except ValueError:
            raise ValidationError(workflow.NOT_ALLOWED, code="unknown_action") from None
        at = None
        if action == workflow.Action.SCHEDULE or "published_at" in self.changed_data:
            at = cleaned_data.get("published_at")
        article = self.instance
        # Who may decides on the article as stored, its section as chosen.
        if cleaned_data.get("section") is not None:
            article.section = cleaned_data["section"]
        try:
            self.workflow_at = workflow.check(
                article=article,
                by=self.workflow_user,
                action=action,
                note=cleaned_data.get("workflow_note", ""),
                at=at,
            )
        except PermissionDenied as refused:
            raise ValidationError(str(refused), code="not_allowed") from None
        except ValidationError as refused:
            for field, messages in refused.message_dict.items():
                field = "workflow_note" if field == "note" else field
                self.add_error(field if field in self.fields else None, messages)

    def save_new_tags(self) -> None:
        """Once the article is stored: its new tags, made or found by their slug."""
        for name in self.cleaned_data.get("new_tags", []):
            slug = vn_slugify(name)
            tag = Tag.objects.filter(
                Q(slug=slug) | Q(name__iexact=name)
            ).first() or Tag.objects.create(name=name, slug=slug)
            self.instance.tags.add(tag)


class AuthorAdminForm(KeepsUploads, forms.ModelForm):
    kept_fields = ("photo",)
