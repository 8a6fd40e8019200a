"""Commenters' e-mail addresses and whether each was confirmed (comments/trust.py).

Read-only: an address is confirmed only by its owner following the link mailed
to it, and the site alone records when that link went out.
"""

from django.contrib import admin

from portal.adminlists import DeclaredFiltersOnly, ReadOnlyAdmin

from .models import CommenterEmail


@admin.register(CommenterEmail)
class CommenterEmailAdmin(ReadOnlyAdmin, DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = ("email", "confirmed_at", "sent_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    search_fields = ("email",)
    ordering = ("email",)
