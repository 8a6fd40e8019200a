"""The admin site's own titles, in the newsroom's language."""

from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.SITE_NAME} – Quản trị"
admin.site.site_title = f"{settings.SITE_NAME} – Quản trị"
admin.site.index_title = "Bảng điều khiển tòa soạn"
