"""Working on an article's form without losing work: who else has it open,
the form's autosaved draft, and what changed since a form was opened.

Presence and drafts are written by the admin's editing endpoints
(articles/admin_editing.py) only, never by an article's save; a save removes
the saver's own draft (``discard_draft``). A form from an older version is
refused by the form (``conflict_since``: who saved in between, when, and what
they changed) and, for two saves at once, by ``articles.services.save_article``
under the row lock.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst

from portal.dates import dateline, short_datetime, to_vietnam

from .diffs import Run, body_paragraphs, collapse, word_diff
from .models import Article, Author, AutosavedDraft, Byline, EditingPresence

_SALT = "articles.editing.opened"
# Not a model field: the article's authors in byline order (the admin's inline).
BYLINES = "bylines"
# Words of unchanged text kept on each side of a change in the "what changed" view.
CONTEXT_WORDS = 8
# What one autosaved form may hold: the article form has a few dozen fields.
MAX_DRAFT_FIELDS = 400
MAX_NAME_LENGTH = 200


def presence_window() -> timedelta:
    """How long after their page's last heartbeat a person counts as editing."""
    return timedelta(seconds=settings.EDITING_PRESENCE_SECONDS)


def heartbeat_seconds() -> float:
    return settings.EDITING_HEARTBEAT_SECONDS


def autosave_seconds() -> float:
    return settings.EDITING_AUTOSAVE_SECONDS


def editor_name(user: AbstractBaseUser | None) -> str:
    """The name the newsroom knows a person by: their byline, full name or username."""
    if user is None:
        return "công cụ của hệ thống"
    byline = Author.objects.filter(user=user).values_list("name", flat=True).first()
    return byline or user.get_full_name() or user.get_username()


def _names(users) -> str:
    names = [editor_name(user) for user in users]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} và {names[-1]}"


# Presence: "Đang được sửa bởi …"


def _upsert(model, lookup: dict, values: dict):
    """``update_or_create``, once more if a parallel request created the row first."""
    try:
        with transaction.atomic():
            return model.objects.update_or_create(**lookup, defaults=values)[0]
    except IntegrityError:
        return model.objects.update_or_create(**lookup, defaults=values)[0]


def touch_presence(*, article: Article, user: AbstractBaseUser) -> None:
    """``user`` has ``article``'s form open now (their page's heartbeat)."""
    now = timezone.now()
    # One write a heartbeat: the row exists from the page's first one on.
    if EditingPresence.objects.filter(article=article, user=user).update(seen_at=now):
        return
    _upsert(EditingPresence, {"article": article, "user": user}, {"seen_at": now})
    # Rows of pages closed without a goodbye; a day keeps the table small.
    EditingPresence.objects.filter(article=article, seen_at__lt=now - timedelta(days=1)).delete()


def leave(*, article: Article, user: AbstractBaseUser) -> None:
    """``user`` closed or left ``article``'s form."""
    EditingPresence.objects.filter(article=article, user=user).delete()


def others_editing(*, article: Article, user: AbstractBaseUser) -> list[AbstractBaseUser]:
    """The other people whose page showed ``article``'s form in the last moments."""
    since = timezone.now() - presence_window()
    rows = (
        EditingPresence.objects.filter(article=article, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("seen_at", "id")
    )
    return [row.user for row in rows]


def presence_notice(others: list[AbstractBaseUser]) -> str:
    return f"Đang được sửa bởi {_names(others)}." if others else ""


def saved_since_notice(article: Article, version: int | None) -> str:
    """Said while the form is open when someone stored the article after ``version``."""
    if version is None or article.version <= version:
        return ""
    return (
        f"{capfirst(editor_name(article.updated_by))} đã lưu bài lúc "
        f"{to_vietnam(article.updated_at):%H:%M:%S} sau khi bạn mở trang. Khi bạn bấm Lưu, "
        "trang sẽ cho xem phần đã thay đổi để bạn gộp, không mất gì bạn đã gõ."
    )


# Autosaved drafts


def clean_draft_data(payload) -> dict | None:
    """What a page sends to be autosaved, or None if it is not a form's content:
    ``{"fields": {name: [value, ...]}, "labels": {name: {value: text}}}``."""
    if not isinstance(payload, dict):
        return None
    fields, labels = payload.get("fields"), payload.get("labels", {})
    if not isinstance(fields, dict) or not isinstance(labels, dict):
        return None
    if len(fields) > MAX_DRAFT_FIELDS or len(labels) > MAX_DRAFT_FIELDS:
        return None
    for name, values in fields.items():
        if len(name) > MAX_NAME_LENGTH or not isinstance(values, list):
            return None
        if not all(isinstance(value, str) for value in values):
            return None
    for name, texts in labels.items():
        if name not in fields or not isinstance(texts, dict):
            return None
        if not all(isinstance(text, str) for text in texts.values()):
            return None
    return {"fields": fields, "labels": labels}


def _draft_version(data: dict) -> int | None:
    value = (data["fields"].get("version") or [""])[0]
    return int(value) if value.isdigit() else None


def autosave(
    *, user: AbstractBaseUser, article: Article | None, data: dict, version: int | None = None
) -> AutosavedDraft:
    """Keep what ``user``'s form for ``article`` (None: a new article) holds, in place
    of their earlier draft of it. The article itself is not touched. ``data`` is
    what ``clean_draft_data`` accepted; ``version``, the form's, defaults to the
    one in ``data``."""
    values = {
        "data": data,
        "version": _draft_version(data) if version is None else version,
        "saved_at": timezone.now(),
    }
    return _upsert(AutosavedDraft, {"user": user, "article": article}, values)


def draft_to_offer(*, user: AbstractBaseUser, article: Article | None) -> AutosavedDraft | None:
    """``user``'s autosaved draft of ``article`` (None: their new article), to restore."""
    return AutosavedDraft.objects.filter(user=user, article=article).first()


def discard_draft(*, user: AbstractBaseUser, article: Article | None) -> None:
    AutosavedDraft.objects.filter(user=user, article=article).delete()


def draft_offer(draft: AutosavedDraft, article: Article | None) -> str:
    """The sentence offering ``draft`` back."""
    when = short_datetime(draft.saved_at)
    if article is None:
        return f"Bạn có một bài đang viết dở, lưu tự động lúc {when}, chưa được lưu thành bài."
    text = f"Bạn có bản lưu tự động lúc {when} chưa được lưu vào bài."
    if draft.version is not None and draft.version < article.version:
        text += (
            " Bài đã được lưu lại sau khi có bản này: khôi phục xong, bấm Lưu sẽ cho bạn "
            "xem phần đã thay đổi để gộp."
        )
    return text


# What changed since a form was opened


def _plain(value):
    """A field's value as JSON keeps it."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime):  # to the second, as the form edits it
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def snapshot(article: Article, names) -> dict:
    """The values of ``article``'s fields ``names`` (and ``BYLINES``), as stored."""
    values = {}
    for name in names:
        if name == BYLINES:
            authors = Byline.objects.filter(article_id=article.pk).order_by("position", "id")
            values[name] = list(authors.values_list("author_id", flat=True))
            continue
        model_field = Article._meta.get_field(name)
        value = _plain(model_field.value_from_object(article))
        values[name] = sorted(value) if model_field.many_to_many else value
    return values


def sign_snapshot(values: dict) -> str:
    # Not timestamped: the same article gives the same value, so the field is
    # never among a form's changed fields.
    return signing.Signer(salt=_SALT).sign_object(values, compress=True)


def read_snapshot(token: str) -> dict | None:
    try:
        values = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return values if isinstance(values, dict) else None


@dataclass(frozen=True)
class FieldChange:
    """One field, as the form was opened on and as stored now."""

    name: str
    label: str
    before: str
    after: str
    # The text's words as runs kept, removed or added (articles/diffs.py).
    pieces: list[Run] = field(default_factory=list)


def _as_text(model_field, value) -> str:
    if model_field is None or model_field.many_to_many:
        model = Author if model_field is None else model_field.related_model
        found = model.objects.in_bulk(value or [])
        return ", ".join(str(found[pk]) if pk in found else "(đã xoá)" for pk in value or [])
    if value in (None, ""):
        return "(trống)"
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else "(đã xoá)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "có" if value else "không"
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value)
        return short_datetime(moment) if moment else str(value)
    if isinstance(model_field, models.TextField):  # the body's HTML as its reader's text
        return " ".join(body_paragraphs(str(value)))
    return str(value)


def _pieces(before: str, after: str) -> list[Run]:
    """``before`` turned into ``after`` word by word, long unchanged stretches cut short;
    nothing if their words are the same."""
    lines = collapse(word_diff([before], [after]), context=CONTEXT_WORDS)
    return (lines[0] if lines else None) or []


def changes_between(opened: dict, stored: dict) -> list[FieldChange]:
    """The fields whose value in ``stored`` is not the one in ``opened``, in form order."""
    changes = []
    for name, before in opened.items():
        # A field the form no longer shows (the slug, once public) is not the form's to lose.
        if name not in stored or stored[name] == before:
            continue
        after = stored[name]
        model_field = None if name == BYLINES else Article._meta.get_field(name)
        label = "tác giả" if model_field is None else str(model_field.verbose_name)
        old, new = _as_text(model_field, before), _as_text(model_field, after)
        texty = isinstance(model_field, models.CharField | models.TextField)
        pieces = _pieces(old, new) if texty and not model_field.choices else []
        changes.append(FieldChange(name, label, old, new, pieces))
    return changes


@dataclass(frozen=True)
class Conflict:
    """The article was stored ``saves`` times since the form's version: last by
    ``by`` at ``at``, making it ``version``. ``changes`` is None when what the
    form was opened on is unknown."""

    by: AbstractBaseUser | None
    at: datetime
    version: int
    saves: int
    changes: list[FieldChange] | None
    stored: dict

    @property
    def message(self) -> str:
        who, when = editor_name(self.by), dateline(self.at)
        if self.saves > 1:
            said = (
                f"Trong lúc bạn sửa, bài này đã được lưu {self.saves} lần, "
                f"lần gần nhất bởi {who} lúc {when}."
            )
        else:
            said = f"Trong lúc bạn sửa, {who} đã lưu bài này lúc {when}."
        said += " Bài của bạn chưa được lưu; mọi thứ bạn đã gõ vẫn còn nguyên bên dưới."
        if self.changes is None:
            said += " Không xem được phần đã thay đổi: hãy mở bài ở một thẻ khác để so."
        elif self.changes:
            said += f" Phần đã thay đổi: {', '.join(c.label for c in self.changes)}."
        else:
            said += " Không trường nào trong biểu mẫu bị thay đổi."
        return said + " Hãy gộp các thay đổi đó vào bài của bạn rồi bấm Lưu lần nữa."

    @property
    def opened(self) -> str:
        """The snapshot a form shown again carries: the article as stored now."""
        return sign_snapshot(self.stored)


def conflict_since(
    *, article: Article, version: int, opened: dict | None, names
) -> Conflict | None:
    """What happened to ``article`` since a form showing the fields ``names``
    opened it at ``version`` with the values ``opened`` (``snapshot``, None if
    unknown): None if it is still at that version."""
    stored = Article.objects.select_related("updated_by").filter(pk=article.pk).first()
    if stored is None or stored.version == version:
        return None
    now = snapshot(stored, names)
    return Conflict(
        by=stored.updated_by,
        at=stored.updated_at,
        version=stored.version,
        saves=max(stored.version - version, 1),
        changes=None if opened is None else changes_between(opened, now),
        stored=now,
    )
