"""Readers' reports on approved comments (Báo vi phạm), and the rule that hides a comment.

A reader is known by ``reporter_key``: a keyed hash (HMAC with SECRET_KEY) of
the address the rate limit counts by (an IPv4 address, or an IPv6 /64), so one
reader reports a comment once and no address is stored. After
``COMMENTS_REPORTS_TO_HIDE`` reports no moderator has answered, the comment goes
back to the queue through ``services.moderate``, logged as the site's decision.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.crypto import salted_hmac

from portal.text import normalize_comment

from . import services, throttle
from .models import MAX_REPORT_NOTE_CHARS, Comment, CommentReport, ReportReason, open_reports

NOT_APPROVED_MESSAGE = "Ý kiến này không còn hiển thị nên không thể báo vi phạm."
DUPLICATE_MESSAGE = "Bạn đã báo vi phạm ý kiến này rồi. Ban biên tập sẽ xem xét."
REASON_MESSAGE = "Hãy chọn một lý do báo vi phạm trong danh sách."
NOTE_MESSAGE = f"Ghi chú tối đa {MAX_REPORT_NOTE_CHARS} ký tự."
RATE_LIMITED_MESSAGE = "Bạn đã gửi nhiều báo cáo trong thời gian ngắn. Hãy thử lại sau ít phút."
HIDDEN_REASON = "Ẩn tự động: {count} báo cáo vi phạm"


class ReportRefused(Exception):
    """The report was not stored; ``message`` tells the reader why, in Vietnamese."""

    NOT_APPROVED = "not_approved"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    RATE_LIMITED = "rate_limited"

    def __init__(self, message: str, *, code: str, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after


def reporter_key(ip_address: str | None) -> str:
    """The stored stand-in for a reader: who shares a rate allowance, hashed with the secret."""
    return _key(throttle.sender_of(ip_address))


def _key(sender: throttle.Sender) -> str:
    return salted_hmac(
        "comments.reporting", str(sender or "unknown"), algorithm="sha256"
    ).hexdigest()


def _reports_since(sender: throttle.Sender, since: datetime, limit: int) -> list[datetime]:
    times = CommentReport.objects.filter(reporter=_key(sender), created_at__gte=since)
    return list(times.order_by("-created_at").values_list("created_at", flat=True)[:limit])


REPORTS = throttle.Allowance("report-rate", _reports_since)


def report_comment(
    *, comment: Comment, reason: str, note: str = "", ip_address: str | None
) -> CommentReport:
    """Store one reader's report on an approved comment; hide the comment at the threshold.

    Raises ``ReportRefused``: the comment is not approved (any more), the reason
    is not one of ``ReportReason``, the note is too long, this reader reported it
    already, or the reader is past the rate limit (``retry_after`` set). A
    refused report does not count against the reader's allowance.
    """
    if reason not in ReportReason.values:
        raise ReportRefused(REASON_MESSAGE, code=ReportRefused.INVALID)
    note = normalize_comment(note)
    if len(note) > MAX_REPORT_NOTE_CHARS:
        raise ReportRefused(NOTE_MESSAGE, code=ReportRefused.INVALID)

    slot = throttle.take_slot_for(ip_address, REPORTS)
    if slot.retry_after is not None:
        raise ReportRefused(
            RATE_LIMITED_MESSAGE, code=ReportRefused.RATE_LIMITED, retry_after=slot.retry_after
        )
    try:
        return _store(comment=comment, reason=reason, note=note, ip_address=ip_address)
    except ReportRefused:
        slot.give_back()
        raise


def _store(*, comment: Comment, reason: str, note: str, ip_address: str | None):
    with transaction.atomic():
        # Locked: simultaneous reports are counted one after the other, so the
        # threshold is crossed by exactly one of them.
        current = (
            Comment.objects.select_for_update()
            .only("id", "status", "article_id", "moderated_at")
            .filter(pk=comment.pk)
            .first()
        )
        if current is None or current.status != Comment.Status.APPROVED:
            raise ReportRefused(NOT_APPROVED_MESSAGE, code=ReportRefused.NOT_APPROVED)
        try:
            with transaction.atomic():
                report = CommentReport.objects.create(
                    comment=current, reason=reason, note=note, reporter=reporter_key(ip_address)
                )
        except IntegrityError:
            raise ReportRefused(DUPLICATE_MESSAGE, code=ReportRefused.DUPLICATE) from None

        count = Comment.objects.filter(pk=current.pk).aggregate(
            n=Count("reports", filter=open_reports())
        )["n"]
        if count >= settings.COMMENTS_REPORTS_TO_HIDE:
            services.moderate(
                comment=current,
                moderator=None,
                status=Comment.Status.PENDING,
                reason=HIDDEN_REASON.format(count=count),
            )
    return report
