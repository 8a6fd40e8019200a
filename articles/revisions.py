"""An article's revisions: what readers would have seen at each save, the
word-level difference between two of them, and bringing one back.

django-reversion stores them: ``articles.services.save_article`` opens a
revision around each write (the article, its bylines and its tags), with who
and when. Its own compare add-on (django-reversion-compare) is not used: it
diffs characters (or whole lines for short values) of the body's HTML source,
speaks no Vietnamese and restores around the publishing service. Here text is
compared word by word on what readers read, paragraph by paragraph
(articles/diffs.py). Restoring goes through ``save_article``: a new revision,
the version check, the page cache told.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePosixPath

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from reversion.models import Revision, Version

from portal.storage import storage_errors

from .diffs import Line, body_paragraphs, collapse, item_diff, word_diff
from .models import (
    Article,
    ArticleInReview,
    Author,
    Byline,
    Correction,
    MyArticle,
    PublicationState,
    Section,
    Tag,
    state_of,
)
from .services import save_article

# Derived after the commit or counted elsewhere: a revision keeps what was written.
NOT_KEPT = ("search_title", "search_text", "search_vector", "cover_renditions", "comment_count")
# The authors are kept as the article's bylines (their order), which it follows.
FOLLOWED = ("bylines", "corrections")

for _model in (Article, ArticleInReview, MyArticle):
    # The newsroom's lists save the same rows through their proxies.
    reversion.register(_model, exclude=(*NOT_KEPT, "authors"), follow=FOLLOWED)
reversion.register(Byline)
reversion.register(Correction)

COVER_FIELDS = ("cover_image", "cover_alt", "cover_caption", "cover_credit")
# What restoring brings back: the content. The status and the publication
# time are the workflow's business, the slug stays what readers' links say.
RESTORED = ("title", "sapo", "body", *COVER_FIELDS, "section", "location", "bylines", "tags")

COVER_GONE = "Ảnh đại diện của phiên bản này không còn trên máy chủ: bài giữ ảnh hiện tại."
SECTION_GONE = "Chuyên mục của phiên bản này đã bị xoá: bài giữ chuyên mục hiện tại."
AUTHORS_GONE = "Các tác giả của phiên bản này đã bị xoá: bài giữ tác giả hiện tại."
SOME_AUTHORS_GONE = "Một số tác giả của phiên bản này đã bị xoá và không được khôi phục."
TAGS_GONE = "Một số thẻ của phiên bản này đã bị xoá và không được khôi phục."
GONE = "(đã xoá)"


@dataclass(frozen=True)
class Snapshot:
    """An article as readers would see it: at a revision, or as it stands."""

    at: datetime
    title: str = ""
    sapo: str = ""
    body: str = ""
    cover_image: str = ""
    cover_alt: str = ""
    cover_caption: str = ""
    cover_credit: str = ""
    section_id: int | None = None
    location: str = ""
    author_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    status: str = Article.Status.DRAFT
    published_at: datetime | None = None
    corrections: tuple[str, ...] = ()
    version: int | None = None

    @property
    def state(self) -> PublicationState:
        """Where the article stood for readers at the time."""
        return state_of(self.status, self.published_at or self.at, self.at)

    @classmethod
    def of_article(cls, article: Article) -> "Snapshot":
        return cls(
            at=timezone.now(),
            **{name: getattr(article, name) for name in ("title", "sapo", "body", "location")},
            **{name: getattr(article, name) for name in COVER_FIELDS[1:]},
            cover_image=article.cover_image.name or "",
            section_id=article.section_id,
            author_ids=tuple(
                Byline.objects.filter(article=article).values_list("author_id", flat=True)
            ),
            tag_ids=tuple(article.tags.values_list("pk", flat=True)),
            status=article.status,
            published_at=article.published_at,
            corrections=tuple(article.corrections.values_list("text", flat=True)),
            version=article.version,
        )

    @classmethod
    def of_revision(cls, revision: Revision, article: Article) -> "Snapshot":
        versions = list(revision.version_set.all())
        return cls.of_versions(revision.date_created, versions, article.pk)

    @classmethod
    def of_versions(cls, at: datetime, versions: Iterable[Version], article_id) -> "Snapshot":
        """From one revision's stored versions: the article's, its bylines', its corrections'."""
        kinds = {model: ContentType.objects.get_for_model(model) for model in KINDS}
        by_kind = {model: [] for model in KINDS}
        for version in versions:
            for model, content_type in kinds.items():
                if version.content_type_id == content_type.pk:
                    by_kind[model].append(version.field_dict)
        own = [d for d in by_kind[Article] if str(d["id"]) == str(article_id)]
        if not own:
            raise Version.DoesNotExist(f"revision holds no version of article {article_id}")
        data = own[0]
        bylines = sorted(
            (d for d in by_kind[Byline] if d["article_id"] == data["id"]),
            key=lambda d: (d["position"], d["id"]),
        )
        corrections = sorted(
            (d for d in by_kind[Correction] if d["article_id"] == data["id"]),
            key=lambda d: (d["created_at"], d["id"]),
        )
        return cls(
            at=at,
            **{name: data.get(name) or "" for name in ("title", "sapo", "body", "location")},
            **{name: data.get(name) or "" for name in COVER_FIELDS[1:]},
            cover_image=getattr(data.get("cover_image"), "name", None) or "",
            section_id=data.get("section_id"),
            author_ids=tuple(d["author_id"] for d in bylines),
            tag_ids=tuple(data.get("tags") or ()),
            status=data.get("status") or Article.Status.DRAFT,
            published_at=data.get("published_at"),
            corrections=tuple(d["text"] for d in corrections),
            version=data.get("version"),
        )


KINDS = (Article, Byline, Correction)


def revisions_of(article: Article) -> QuerySet[Revision]:
    """The article's revisions, newest first, with who made them."""
    ids = Version.objects.get_for_object(article).values("revision_id")
    return (
        Revision.objects.filter(pk__in=ids).select_related("user").order_by("-date_created", "-pk")
    )


def snapshots(revisions: Iterable[Revision], article: Article) -> dict[int, Snapshot]:
    """Each revision's snapshot by the revision's id, the versions read in one query."""
    revisions = {revision.pk: revision for revision in revisions}
    versions: dict[int, list[Version]] = {pk: [] for pk in revisions}
    for version in Version.objects.filter(revision_id__in=revisions).order_by("pk"):
        versions[version.revision_id].append(version)
    return {
        pk: Snapshot.of_versions(revision.date_created, versions[pk], article.pk)
        for pk, revision in revisions.items()
    }


# The difference between two snapshots.


@dataclass(frozen=True)
class FieldDiff:
    """One field of two snapshots. ``lines``: paragraphs (or list items), each
    a list of runs ``(op, text)`` (articles/diffs.py); None for unchanged
    paragraphs left out."""

    name: str
    label: str
    changed: bool
    lines: list[Line | None]
    images: tuple[str, str] = ("", "")  # the cover's files, old and new, if still stored


@dataclass
class _Names:
    """The names a diff shows for ids, read once for both snapshots."""

    sections: dict = field(default_factory=dict)
    authors: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)

    @classmethod
    def of(cls, *shots: Snapshot) -> "_Names":
        def names(model, ids):
            return dict(model.objects.filter(pk__in=set(ids)).values_list("pk", "name"))

        return cls(
            sections=names(Section, (s.section_id for s in shots if s.section_id)),
            authors=names(Author, (pk for s in shots for pk in s.author_ids)),
            tags=names(Tag, (pk for s in shots for pk in s.tag_ids)),
        )


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _label(name: str) -> str:
    return capfirst(Article._meta.get_field(name).verbose_name)


# Field: its label, and how a snapshot shows it (paragraphs, or list items).
def _shown(shot: Snapshot, names: _Names) -> dict[str, tuple[str, str, list[str]]]:
    def one(value):
        return [value] if value else []

    def lines(value):
        return [line for line in value.splitlines() if line.strip()]

    return {
        "title": (_label("title"), "text", one(shot.title)),
        "sapo": (_label("sapo"), "text", lines(shot.sapo)),
        "body": (_label("body"), "text", body_paragraphs(shot.body)),
        "cover_image": (
            _label("cover_image"),
            "text",
            one(PurePosixPath(shot.cover_image).name),
        ),
        "cover_alt": (_label("cover_alt"), "text", one(shot.cover_alt)),
        "cover_caption": (_label("cover_caption"), "text", one(shot.cover_caption)),
        "cover_credit": (_label("cover_credit"), "text", one(shot.cover_credit)),
        "section": (
            _label("section"),
            "text",
            one(names.sections.get(shot.section_id, GONE) if shot.section_id else ""),
        ),
        "bylines": ("Tác giả", "items", [names.authors.get(pk, GONE) for pk in shot.author_ids]),
        "location": (_label("location"), "text", one(shot.location)),
        "tags": ("Thẻ", "items", sorted(names.tags.get(pk, GONE) for pk in shot.tag_ids)),
        "status": ("Trạng thái", "text", one(shot.state.label)),
        "published_at": (_label("published_at"), "text", one(_when(shot.published_at))),
        "corrections": ("Đính chính", "items", list(shot.corrections)),
    }


SHOWN = (
    "title",
    "sapo",
    "body",
    *COVER_FIELDS,
    "section",
    "bylines",
    "location",
    "tags",
    "status",
    "published_at",
    "corrections",
)


COVERS = Article._meta.get_field("cover_image").storage


def _stored_url(name: str) -> str:
    """The cover's URL if it is still stored; "" if not, or if the storage is down
    (the history shows the change without the picture)."""
    try:
        return COVERS.url(name) if name and COVERS.exists(name) else ""
    except storage_errors():
        return ""


def compare(old: Snapshot | None, new: Snapshot, *, fields=SHOWN) -> list[FieldDiff]:
    """``fields`` of ``new`` against ``old`` (None: an article's first revision,
    everything in it is new), in the order the form shows them."""
    names = _Names.of(*(shot for shot in (old, new) if shot is not None))
    before = _shown(old, names) if old is not None else {}
    after = _shown(new, names)
    diffs = []
    for name in fields:
        label, kind, then = after[name]
        was = before[name][2] if old is not None else []
        lines = item_diff(was, then) if kind == "items" else collapse(word_diff(was, then))
        images = ("", "")
        if name == "cover_image":
            images = (_stored_url(old.cover_image) if old else "", _stored_url(new.cover_image))
        diffs.append(FieldDiff(name, label, was != then, lines, images))
    return diffs


# Restoring.


@dataclass(frozen=True)
class Restored:
    """A revision brought back: the article, and what could not be (Vietnamese notes)."""

    article: Article
    notes: tuple[str, ...] = ()


def restore(*, article: Article, revision: Revision, by, expected_version: int | None) -> Restored:
    """Bring back ``revision``'s content (``RESTORED``) as a new save of ``article``
    by ``by``. What no longer exists (the cover's file, the section, an author,
    a tag) stays as it is, and the notes say so. Raises EditConflict when the
    article was saved after ``expected_version``."""
    shot = Snapshot.of_revision(revision, article)
    notes = []
    for name in ("title", "sapo", "body", "location"):
        setattr(article, name, getattr(shot, name))
    if shot.cover_image and not COVERS.exists(shot.cover_image):
        notes.append(COVER_GONE)
    else:
        article.cover_image = shot.cover_image
        for name in COVER_FIELDS[1:]:
            setattr(article, name, getattr(shot, name))
    if Section.objects.filter(pk=shot.section_id).exists():
        article.section_id = shot.section_id
    else:
        notes.append(SECTION_GONE)
    authors = set(Author.objects.filter(pk__in=shot.author_ids).values_list("pk", flat=True))
    author_ids = [pk for pk in shot.author_ids if pk in authors]
    if not author_ids:
        notes.append(AUTHORS_GONE)
    elif len(author_ids) < len(shot.author_ids):
        notes.append(SOME_AUTHORS_GONE)
    tag_ids = list(Tag.objects.filter(pk__in=shot.tag_ids).values_list("pk", flat=True))
    if len(tag_ids) < len(shot.tag_ids):
        notes.append(TAGS_GONE)

    def related():
        if author_ids:
            article.bylines.all().delete()
            for position, author_id in enumerate(author_ids):
                # One by one: each byline saved is kept in the revision.
                Byline.objects.create(article=article, author_id=author_id, position=position)
        article.tags.set(tag_ids)

    with reversion.create_revision():
        save_article(article=article, by=by, related=related, expected_version=expected_version)
        reversion.set_comment(f"Khôi phục phiên bản lúc {_when(revision.date_created)}")
    return Restored(article, tuple(notes))


# Retention.

_EPOCH = datetime(2000, 1, 1)
PRUNE_BATCH = 500


def _seen_by_readers(now: datetime) -> Q:
    """Articles readers have seen: public now, or taken down after being public."""
    return Q(status=Article.Status.UNPUBLISHED) | Q(
        status=Article.Status.PUBLISHED, published_at__lte=now
    )


def prune(
    *,
    now: datetime | None = None,
    keep_days: int | None = None,
    thin_hours: int | None = None,
    dry_run: bool = False,
) -> int:
    """Thin the revisions of articles readers have seen: those of the last
    ``keep_days`` (``REVISIONS_KEEP_DAYS``) stay, and of older ones the last of
    each ``thin_hours`` (``REVISIONS_THIN_HOURS``, in Vietnam time), which keeps
    each article's latest. An article never public keeps every revision. The
    number of revisions removed (with ``dry_run``, that would be)."""
    now = now or timezone.now()
    keep_days = settings.REVISIONS_KEEP_DAYS if keep_days is None else keep_days
    thin_hours = settings.REVISIONS_THIN_HOURS if thin_hours is None else thin_hours
    if thin_hours < 1 or keep_days < 0:
        raise ValueError("REVISIONS_THIN_HOURS must be 1 or more, REVISIONS_KEEP_DAYS 0 or more")
    period = timedelta(hours=thin_hours)
    seen = (
        Article.objects.filter(_seen_by_readers(now))
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    old = (
        Version.objects.get_for_model(Article)
        .filter(object_id__in=seen, revision__date_created__lt=now - timedelta(days=keep_days))
        .order_by("object_id", "-revision__date_created", "-revision_id")
        .values_list("object_id", "revision_id", "revision__date_created")
    )
    doomed, kept = [], set()
    for object_id, revision_id, created in old.iterator(chunk_size=2000):
        bucket = (object_id, (timezone.localtime(created).replace(tzinfo=None) - _EPOCH) // period)
        if bucket in kept:
            doomed.append(revision_id)
        else:
            kept.add(bucket)
    article_type = ContentType.objects.get_for_model(Article)
    removed = 0
    for start in range(0, len(doomed), PRUNE_BATCH):
        # A revision made for several articles at once stays: it is others' history too.
        batch = (
            Revision.objects.filter(pk__in=doomed[start : start + PRUNE_BATCH])
            .annotate(articles=Count("version", filter=Q(version__content_type=article_type)))
            .filter(articles=1)
        )
        if dry_run:
            removed += batch.count()
            continue
        with transaction.atomic():
            ids = list(batch.values_list("pk", flat=True))
            Revision.objects.filter(pk__in=ids).delete()
        removed += len(ids)
    return removed
