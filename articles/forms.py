"""The article form in the admin: a chosen cover survives a form shown again.

A browser never refills a file input. When the article form comes back with an
error (a missing title, no author), the cover the journalist picked is kept as
a pending upload: cleaned (articles/images.py) and stored under ``pending/``,
shown as a thumbnail with its name, and carried to the next submit by a signed
reference in a hidden field. The article saves it like a new upload; abandoned
pending files are removed after a day.
"""

from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.html import format_html

from .images import clean_upload

PENDING_DIR = "pending"
PENDING_MAX_AGE = timedelta(days=1)
_SALT = "articles.forms.pending-upload"


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
        if not name.startswith(f"{PENDING_DIR}/") or not default_storage.exists(name):
            return None
        return cls(name, data.get("original", ""))

    def discard(self) -> None:
        self.close()
        default_storage.delete(self.stored_name)


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
        # The pending image stands for the field's value (and for a current cover).
        return format_html(
            '<div class="kept-upload"><img src="{}" alt="" style="display: block; '
            'max-width: 240px; max-height: 160px; margin-bottom: 4px;">'
            "<p>Ảnh đã chọn: <strong>{}</strong>. Ảnh được lưu cùng bài; "
            "muốn thay thì chọn tệp khác.</p>"
            '<input type="hidden" name="{}" value="{}"></div>{}',
            self.pending.url,
            self.pending.original_name,
            self.pending_name(name),
            self.pending.token,
            super().render(name, None, attrs, renderer),
        )


class ArticleAdminForm(forms.ModelForm):
    """ArticleAdmin's form; ArticleAdmin gives its cover field a KeptImageInput."""

    def keep_cover(self) -> None:
        """Before the bound form is shown again: keep a valid new cover as a pending upload."""
        cover = getattr(self, "cleaned_data", {}).get("cover_image")
        if isinstance(cover, UploadedFile):
            cover = PendingUpload.keep(cover)
        if isinstance(cover, PendingUpload):
            self.fields["cover_image"].widget.pending = cover

    def discard_pending_cover(self) -> None:
        """After the article is saved with its own copy of the cover."""
        cover = self.cleaned_data.get("cover_image")
        if isinstance(cover, PendingUpload):
            cover.discard()
