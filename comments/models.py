import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Lower, Upper
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from portal.text import comment_key, normalize_comment

MAX_BODY_CHARS = 500
MAX_NAME_CHARS = 80
USER_AGENT_CHARS = 255


def body_digest(body: str) -> str:
    """Fingerprint used to refuse the same comment sent twice (see ``comment_key``).

    Changing what it covers needs no data migration: fingerprints are only
    compared within the 24-hour duplicate window, so the old ones stop mattering
    a day later.
    """
    return hashlib.sha256(comment_key(body).encode()).hexdigest()


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt"
        REJECTED = "rejected", "Từ chối"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="bài viết",
        on_delete=models.PROTECT,
        related_name="comments",
    )
    name = models.CharField("họ tên", max_length=MAX_NAME_CHARS)
    email = models.EmailField("e-mail", blank=True, help_text="Không bao giờ hiện công khai.")
    body = models.TextField("nội dung")
    body_hash = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    held_reason = models.CharField(
        "lý do giữ lại",
        max_length=200,
        blank=True,
        help_text="Vì sao ý kiến bị giữ hoặc bị coi là spam.",
    )
    created_at = models.DateTimeField("gửi lúc", auto_now_add=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    user_agent = models.CharField("trình duyệt", max_length=USER_AGENT_CHARS, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="trả lời ý kiến",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        help_text="Ý kiến được trả lời (một cấp: không trả lời một câu trả lời).",
    )
    # A short claim on a pending comment: the moderator it is handed to, and
    # until when (comments/claims.py). Other moderators are handed other comments.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="đang xem bởi",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    claimed_until = models.DateTimeField("giữ đến", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "ý kiến"
        verbose_name_plural = "ý kiến"
        indexes = [
            # The article page: approved comments of one article, newest first.
            models.Index(
                fields=["article", "-created_at"],
                condition=models.Q(status="approved"),
                name="comment_approved_idx",
            ),
            # The moderation queue: pending comments, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="comment_pending_idx",
            ),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
            # One commenter's comments by e-mail, case aside (``email__iexact`` is
            # UPPER() = UPPER() on PostgreSQL): the duplicate check, trust, bans.
            models.Index(Upper("email"), "created_at", name="comment_email_idx"),
            # The replies shown under a comment, oldest first.
            models.Index(
                fields=["parent", "created_at"],
                condition=models.Q(status="approved", parent__isnull=False),
                name="comment_reply_idx",
            ),
        ]
        constraints = [
            # The length rule, held by the database itself: no path (admin,
            # shell, a bug) can store a longer or an empty body.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_BODY_CHARS),
                name="comment_body_max_chars",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("body"), 1),
                name="comment_body_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="comment_not_own_parent",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        self.body = normalize_comment(self.body)
        self.name = normalize_comment(self.name)
        self.body_hash = body_digest(self.body)
        self.user_agent = self.user_agent[:USER_AGENT_CHARS]
        super().save(*args, **kwargs)

    def clean(self):
        self.body = normalize_comment(self.body)
        self.name = normalize_comment(self.name)
        errors = {}
        # Invisible characters alone (zero-width spaces, fillers) show nothing.
        if not comment_key(self.name):
            errors["name"] = "Hãy cho biết họ tên của bạn."
        if not comment_key(self.body):
            errors["body"] = "Hãy viết nội dung ý kiến."
        elif len(self.body) > MAX_BODY_CHARS:
            errors["body"] = f"Ý kiến dài tối đa {MAX_BODY_CHARS} ký tự (hiện có {len(self.body)})."
        if errors:
            raise ValidationError(errors)


class BannedTerm(models.Model):
    class Action(models.TextChoices):
        SPAM = "spam", "Đánh dấu spam"
        HOLD = "hold", "Giữ lại chờ duyệt"

    term = models.CharField(
        "từ / cụm từ",
        max_length=100,
        unique=True,
        help_text="Khớp nguyên từ, không phân biệt hoa thường và dấu (đ = d).",
    )
    action = models.CharField("xử lý", max_length=10, choices=Action.choices, default=Action.SPAM)
    note = models.CharField("ghi chú", max_length=200, blank=True)
    created_at = models.DateTimeField("thêm lúc", auto_now_add=True)

    class Meta:
        ordering = ["term"]
        verbose_name = "từ bị chặn"
        verbose_name_plural = "từ bị chặn"

    def __str__(self):
        return self.term


class ModerationLog(models.Model):
    """One line per moderation decision. Append-only: never updated or deleted."""

    comment = models.ForeignKey(
        Comment, verbose_name="ý kiến", on_delete=models.PROTECT, related_name="moderation_logs"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    from_status = models.CharField("từ trạng thái", max_length=10, choices=Comment.Status.choices)
    to_status = models.CharField("sang trạng thái", max_length=10, choices=Comment.Status.choices)
    reason = models.CharField("lý do", max_length=300, blank=True)
    at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "nhật ký duyệt"
        verbose_name_plural = "nhật ký duyệt"

    def __str__(self):
        before, after = self.get_from_status_display(), self.get_to_status_display()
        return f"Ý kiến {self.comment_id}: {before} → {after}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("ModerationLog is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ModerationLog is append-only.")


class PendingComment(Comment):
    """The moderation queue's model: a proxy of Comment, no table of its own.

    A model of its own so the admin can list the queue (its pending rows,
    oldest first) next to the full history, each with its own permissions.
    """

    class Meta:
        proxy = True
        ordering = ["created_at", "id"]
        verbose_name = "ý kiến chờ duyệt"
        verbose_name_plural = "ý kiến chờ duyệt"


MAX_REPORT_NOTE_CHARS = 300


class ReportReason(models.TextChoices):
    ABUSE = "abuse", "Xúc phạm"
    SPAM = "spam", "Quảng cáo / spam"
    OFF_TOPIC = "off_topic", "Lạc đề"
    FALSE = "false", "Thông tin sai sự thật"
    PRIVACY = "privacy", "Lộ thông tin cá nhân"
    OTHER = "other", "Khác"


class CommentReport(models.Model):
    """A reader's report that an approved comment breaks the rules: one per reader per comment.

    The reader is kept as ``reporter``, a keyed hash of the address (comments/reporting.py),
    so that a second report from the same reader is recognised without storing the address.
    """

    Reason = ReportReason

    comment = models.ForeignKey(
        Comment, verbose_name="ý kiến", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField("lý do", max_length=20, choices=ReportReason.choices)
    note = models.CharField("ghi chú của bạn đọc", max_length=MAX_REPORT_NOTE_CHARS, blank=True)
    reporter = models.CharField(
        "người báo cáo",
        max_length=64,
        editable=False,
        help_text="Mã băm của địa chỉ người báo cáo; địa chỉ không được lưu.",
    )
    created_at = models.DateTimeField("báo cáo lúc", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "báo cáo vi phạm"
        verbose_name_plural = "báo cáo vi phạm"
        indexes = [
            # The report rate limit when the cache is down: one reader's recent reports.
            models.Index(fields=["reporter", "created_at"], name="commentreport_reporter_idx"),
        ]
        constraints = [
            # Also the index that counts a comment's reports.
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="commentreport_once_per_reader"
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=ReportReason.values),
                name="commentreport_reason_valid",
            ),
        ]

    def __str__(self):
        return f"Ý kiến {self.comment_id}: {self.get_reason_display()}"


def open_reports() -> models.Q:
    """The reports (as a filter on Comment) no moderator has answered yet.

    Those made since the comment was last approved: approving it again answers
    the reports before. A comment back in the queue waits on all of its reports.
    """
    return (
        models.Q(status=Comment.Status.PENDING)
        | models.Q(moderated_at__isnull=True)
        | models.Q(reports__created_at__gte=models.F("moderated_at"))
    )


class ReportedComment(Comment):
    """The Reported queue's model (Bị báo cáo): a proxy of Comment, no table of its own."""

    class Meta:
        proxy = True
        ordering = ["-created_at", "-id"]
        verbose_name = "ý kiến bị báo cáo"
        verbose_name_plural = "ý kiến bị báo cáo"


class CommenterBan(models.Model):
    """A commenter kept out, by e-mail or address, until an end time: what they post
    is stored as spam and logged, and they are answered as anyone is."""

    email = models.EmailField("e-mail", blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    ends_at = models.DateTimeField(
        "hết hạn lúc", null=True, blank=True, help_text="Giờ Việt Nam; để trống để chặn mãi."
    )
    reason = models.CharField("lý do", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chặn",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField("chặn lúc", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "người gửi bị chặn"
        verbose_name_plural = "người gửi bị chặn"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | models.Q(ip_address__isnull=False),
                name="commenterban_names_someone",
            ),
        ]

    def __str__(self):
        return self.email or str(self.ip_address)

    def clean(self):
        if not self.email and not self.ip_address:
            raise ValidationError("Hãy nhập e-mail hoặc địa chỉ IP của người cần chặn.")

    @classmethod
    def active_for(cls, *, email: str, ip_address: str | None, now=None):
        """The ban in force on this e-mail (case aside) or address, if any."""
        now = now or timezone.now()
        who = models.Q(email__iexact=email) if email else models.Q(pk__in=[])
        if ip_address:
            who |= models.Q(ip_address=ip_address)
        in_force = models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        return cls.objects.filter(who, in_force).order_by("ends_at").first()


class CommenterEmail(models.Model):
    """An e-mail address a commenter confirmed through the link sent to it.

    Kept lower-cased, one row per address. ``confirmed_at`` is empty until the
    link is followed; ``sent_at`` is when the last link went out, so a form
    filled with someone else's address cannot flood their inbox.
    """

    email = models.EmailField("e-mail", unique=True)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    sent_at = models.DateTimeField("gửi thư xác nhận lúc", null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = "e-mail người gửi"
        verbose_name_plural = "e-mail người gửi"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")),
                name="commenteremail_lower_case",
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.normalized(self.email)
        super().save(*args, **kwargs)

    @staticmethod
    def normalized(email: str) -> str:
        """An address as it is kept: without surrounding spaces, lower-cased."""
        return email.strip().lower()
