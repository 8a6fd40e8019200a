"""The newsroom's records around an article: its workflow log, its corrections,
its place on the front page, the drafts its form autosaves and who has it open.

Models of the articles app (``articles.models`` imports this module); each is
written by the module named in its docstring, never by a view directly.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Transition(models.Model):
    """One change of an article's status: who, when, from, to and why
    (written by articles/workflow.py, shown in the article's history)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="transitions"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("lúc", default=timezone.now)
    from_status = models.CharField("từ trạng thái", max_length=12)
    to_status = models.CharField("sang trạng thái", max_length=12)
    action = models.CharField("thao tác", max_length=20)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "chuyển trạng thái"
        verbose_name_plural = "chuyển trạng thái"
        indexes = [models.Index(fields=["article", "-at"], name="transition_article_idx")]

    def __str__(self):
        return f"{self.article_id}: {self.from_status} → {self.to_status} ({self.at:%Y-%m-%d})"


class Correction(models.Model):
    """A dated correction (Đính chính) shown under a published article's body."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="bài viết",
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    text = models.TextField(
        "nội dung đính chính",
        help_text="Điều đã sai và điều đúng, một hoặc hai câu; hiện dưới bài kèm giờ đính chính.",
    )
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "đính chính"
        verbose_name_plural = "đính chính"

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class FrontPagePick(models.Model):
    """An editor's choice for the front page: the lead story or one of the
    featured stories (Tiêu điểm), in order, until an optional end time."""

    class Place(models.TextChoices):
        LEAD = "lead", "Tin chính"
        FEATURED = "featured", "Tiêu điểm"

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="bài viết",
        on_delete=models.CASCADE,
        related_name="front_page_picks",
    )
    place = models.CharField("vị trí", max_length=10, choices=Place.choices)
    position = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    ends_at = models.DateTimeField(
        "hết hạn lúc",
        null=True,
        blank=True,
        help_text="Giờ Việt Nam. Để trống để giữ đến khi bỏ chọn; "
        "hết hạn thì bài mới nhất thay chỗ.",
    )
    created_at = models.DateTimeField("chọn lúc", auto_now_add=True)

    class Meta:
        ordering = ["place", "position", "-created_at"]
        verbose_name = "bài trên trang chủ"
        verbose_name_plural = "trang chủ: tin chính và tiêu điểm"
        constraints = [
            models.UniqueConstraint(fields=["article", "place"], name="frontpagepick_once"),
        ]

    def __str__(self):
        return f"{self.get_place_display()}: {self.article}"

    @classmethod
    def current(cls, now=None):
        now = now or timezone.now()
        return cls.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class AutosavedDraft(models.Model):
    """What one person's article form held when it was last autosaved: never
    the article itself (articles/editing.py writes and offers it back)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Empty for an article not saved yet: one such draft per person.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The version of the article the form was opened on.
    version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = "bản lưu tự động"
        verbose_name_plural = "bản lưu tự động"
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_article"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new_article"
            ),
        ]

    def __str__(self):
        return f"{self.user} / {self.article_id or 'bài mới'} @ {self.saved_at:%Y-%m-%d %H:%M}"


class EditingPresence(models.Model):
    """Who has an article's form open, refreshed while the page is open
    (articles/editing.py): the "Đang được sửa bởi …" notice."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = "đang sửa"
        verbose_name_plural = "đang sửa"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="presence_once"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.article_id}"
