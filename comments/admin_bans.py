"""Commenters kept out until an end time (comments.models.CommenterBan).

A ban is made from a commenter's history ("Chặn người gửi này" fills the
e-mail and the address in) or by hand; ending it early is changing its end
time, and deleting it ends it too. What a banned commenter posts is stored
as spam and logged (comments/services.py ``post_comment``).
"""

from django.contrib import admin
from django.utils import timezone

from portal.adminlists import DeclaredFiltersOnly

from .models import CommenterBan


@admin.register(CommenterBan)
class CommenterBanAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = ("__str__", "ip_address", "ends_at", "in_force", "reason", "created_by")
    search_fields = ("email", "ip_address", "reason")
    fields = ("email", "ip_address", "ends_at", "reason")
    ordering = ("-created_at", "-id")

    @admin.display(description="đang có hiệu lực", boolean=True)
    def in_force(self, ban):
        return ban.ends_at is None or ban.ends_at > timezone.now()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
