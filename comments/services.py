"""Writes that carry rules: posting a reader's comment and moderating it.

Views, admin actions and management commands all go through these two
functions, so the abuse rules and the moderation log cannot be skipped.
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from articles.signals import Change, announce
from portal.text import normalize_comment

from . import spam, trust
from .models import (
    USER_AGENT_CHARS,
    BannedTerm,
    Comment,
    CommenterBan,
    ModerationLog,
    body_digest,
)

DUPLICATE_WINDOW = timedelta(hours=24)

# Which decisions are allowed from which status. Every decision can be taken
# back: an approved comment taken down (or back to the queue, to undo an
# approval), a rejected or spam one restored (Khôi phục) to the queue or
# approved at once. Each change is one more log line; none is ever erased.
TRANSITIONS: dict[str, frozenset[str]] = {
    Comment.Status.PENDING: frozenset(
        {Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM}
    ),
    Comment.Status.APPROVED: frozenset(
        {Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM}
    ),
    Comment.Status.REJECTED: frozenset(
        {Comment.Status.PENDING, Comment.Status.APPROVED, Comment.Status.SPAM}
    ),
    Comment.Status.SPAM: frozenset(
        {Comment.Status.PENDING, Comment.Status.APPROVED, Comment.Status.REJECTED}
    ),
}

# The reasons a moderator picks in one click when rejecting; free text besides.
REJECT_REASONS = (
    "Xúc phạm",
    "Quảng cáo / spam",
    "Lạc đề",
    "Thông tin sai sự thật",
    "Lộ thông tin cá nhân",
)

CLOSED_MESSAGE = "Bài viết này không nhận ý kiến."
DUPLICATE_MESSAGE = (
    "Bạn đã gửi ý kiến này rồi. Ý kiến trùng nội dung trong vòng 24 giờ không được nhận lại."
)
PARENT_MESSAGE = (
    "Không trả lời được ý kiến này: ý kiến đó không còn hiển thị, không thuộc bài viết này "
    "hoặc đã là một câu trả lời. Nội dung bạn viết vẫn được giữ nguyên, "
    "bạn có thể gửi thành một ý kiến mới."
)


class CommentRefused(Exception):
    """The comment was not stored; ``message`` tells the reader why, in Vietnamese."""

    CLOSED = "closed"
    DUPLICATE = "duplicate"
    PARENT = "parent"

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def accepts_comments(article: Article) -> bool:
    return article.comments_open and article.is_public


def answerable_comments():
    """The comments a reader may answer: approved ones that are no reply (one level)."""
    return Comment.objects.filter(status=Comment.Status.APPROVED, parent__isnull=True)


def _answerable(*, article: Article, parent_id: int) -> bool:
    return answerable_comments().filter(pk=parent_id, article=article).exists()


def post_comment(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    ip_address: str | None,
    user_agent: str,
    honeypot: str = "",
    parent_id: int | None = None,
) -> Comment:
    """Store a reader's comment as pending (or spam), after the abuse rules.

    ``parent_id`` makes it a reply (one level) to a comment readers can see
    under the same article. Raises ``CommentRefused`` when the article takes no
    comments, when ``parent_id`` names any other comment, or when the same body
    came from the same address or e-mail within 24 hours, and ``ValidationError``
    when a field breaks the model's rules (the 500-character rule among them).
    """
    if not accepts_comments(article):
        raise CommentRefused(CLOSED_MESSAGE, code=CommentRefused.CLOSED)
    if parent_id is not None and not _answerable(article=article, parent_id=parent_id):
        raise CommentRefused(PARENT_MESSAGE, code=CommentRefused.PARENT)

    comment = Comment(
        article=article,
        parent_id=parent_id,
        name=name,
        email=email.strip(),
        body=body,
        ip_address=ip_address,
        # Headers are whatever the client sent: no control characters, and cut
        # to the column's size before validation rather than refused.
        user_agent=normalize_comment(user_agent)[:USER_AGENT_CHARS],
    )
    # The model's own rules, without the queries full_clean() would add (the
    # article lookup, one query per CheckConstraint): the form has already
    # checked them, and the database constraints still stand behind.
    comment.clean()
    comment.clean_fields(exclude=["article", "moderated_by", "body_hash"])

    digest = body_digest(comment.body)
    same_sender = Q(ip_address=ip_address) if ip_address else Q(pk__in=[])
    if comment.email:
        same_sender |= Q(email__iexact=comment.email)
    if Comment.objects.filter(
        same_sender, body_hash=digest, created_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).exists():
        raise CommentRefused(DUPLICATE_MESSAGE, code=CommentRefused.DUPLICATE)

    verdict = spam.judge(
        comment.body, honeypot_filled=bool(honeypot), terms=BannedTerm.objects.all()
    )
    reasons = list(verdict.reasons)
    ban = CommenterBan.active_for(email=comment.email, ip_address=ip_address)
    if ban is not None:
        # Stored and answered like any comment: the banned commenter is not told.
        reasons.insert(0, f"ban:{ban.pk}")
    if verdict.spam or ban is not None:
        comment.status = Comment.Status.SPAM
    comment.held_reason = "; ".join(reasons)[:200]
    if comment.status != Comment.Status.SPAM:
        comment.save()
        # A trusted commenter's clean comment: approved at once, as a logged
        # decision of the site's own (comments/trust.py).
        if reason := trust.after_post(comment):
            moderate(comment=comment, moderator=None, status=Comment.Status.APPROVED, reason=reason)
        return comment
    with transaction.atomic():
        comment.save()
        # A decision like a moderator's, by the site itself (no moderator):
        # logged, and restored from the history like any other.
        ModerationLog.objects.create(
            comment=comment,
            moderator=None,
            from_status=Comment.Status.PENDING,
            to_status=Comment.Status.SPAM,
            reason=comment.held_reason[:300],
        )
    return comment


def visible_to_readers(comments):
    """Approved, and a reply only under an approved comment: what readers see,
    and what ``Article.comment_count`` counts."""
    return comments.filter(status=Comment.Status.APPROVED).filter(
        Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)
    )


def recount(*, article_id: int) -> None:
    """Set ``Article.comment_count`` to what readers see, counted afresh.

    The article's row is locked first, so two decisions on one article count
    one after the other, each seeing the other's commit. ``no_key``: a comment
    being posted (its foreign key shares a lock on the row) does not wait.
    """
    locked = Article.objects.select_for_update(no_key=True).filter(pk=article_id)
    list(locked.values_list("pk", flat=True))
    count = visible_to_readers(Comment.objects.filter(article_id=article_id)).count()
    Article.objects.filter(pk=article_id).update(comment_count=count)


def moderate(
    *,
    comment: Comment,
    moderator: AbstractBaseUser | None,
    status: str,
    reason: str = "",
) -> bool:
    """Move ``comment`` to ``status``; True if it changed, False if nothing was written.

    ``moderator`` None is the site's own decision (logged as "Hệ thống");
    ``reason`` is stored in the log line (one of REJECT_REASONS, or free text).

    ``comment.status`` is the status the moderator saw. The row is locked and
    read again: if another moderator changed it meanwhile, or the transition is
    not allowed, nothing is written, so two decisions never overwrite each
    other. A change writes the moderator and time, one ModerationLog line and,
    when the comment enters or leaves "approved", the article's comment count
    (``recount``), all in one transaction; after the commit, the article's page
    and its comment lists are retired (``articles.signals.announce``).
    """
    status = Comment.Status(status)
    seen = comment.status
    with transaction.atomic():
        current = (
            Comment.objects.select_for_update()
            .only("id", "status", "article_id")
            .filter(pk=comment.pk)
            .first()
        )
        allowed = TRANSITIONS.get(seen, frozenset())
        if current is None or current.status != seen or status not in allowed:
            return False

        now = timezone.now()
        Comment.objects.filter(pk=current.pk).update(
            status=status, moderated_by=moderator, moderated_at=now
        )
        ModerationLog.objects.create(
            comment=current,
            moderator=moderator,
            from_status=seen,
            to_status=status,
            reason=reason[:300],
        )
        # Only entering or leaving "approved" changes what readers see (a
        # parent shows or hides its replies with it).
        if Comment.Status.APPROVED in (seen, status):
            recount(article_id=current.article_id)
            announce(Change(article_pages=frozenset({current.article_id})), sender=Comment)

    comment.status = status
    comment.moderated_by = moderator
    comment.moderated_at = now
    return True
