"""The article's corrections (Đính chính) in its admin form.

Who may add, change or delete one is decided by the correction's own
permissions (Editors have them all, Journalists only see them). The rows are
saved with the article by ``save_article`` (articles/services.py), so a
correction is announced and dates the article's "Cập nhật lúc" like any other
change readers see.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget

from portal.dates import short_datetime

from .models import Correction


class CorrectionInline(admin.TabularInline):
    """The article's corrections, oldest first; only on an article already saved
    (ArticleAdmin.get_inlines leaves it out of the add page)."""

    model = Correction
    fields = ["text", "at"]
    readonly_fields = ["at"]
    extra = 0
    verbose_name = "đính chính"
    verbose_name_plural = "đính chính (hiện dưới bài, kèm giờ đính chính)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":  # one or two sentences: a small box says so
            kwargs["widget"] = AdminTextareaWidget(attrs={"rows": 2})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="lúc")
    def at(self, correction):
        # A row not saved yet has no time of its own: it gets the time it is saved.
        return short_datetime(correction.created_at) if correction.pk else ""
