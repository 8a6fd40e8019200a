"""The admin site's own titles, in the newsroom's language, and the libraries'
change lists held to the portal's rule for query strings (portal/adminlists.py).

Django's staff accounts and django-axes' login records come with their own
admins, which let the query string filter on any field: ``?username__regex=(``
or ``?ip_address=not-an-ip`` failed only when the rows were read, as a 500 (a
503 on SQLite, whose broken regular expression passes for a database down).
Each is registered again here as the same admin taking only its declared
filters. Importing the libraries' admin modules registers theirs first,
whatever the order of autodiscovery; axes registers its own only with
AXES_ENABLE_ADMIN, so only what is registered is replaced.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from portal.adminlists import DeclaredFiltersOnly

admin.site.site_header = f"{settings.SITE_NAME} – Quản trị"
admin.site.site_title = f"{settings.SITE_NAME} – Quản trị"
admin.site.index_title = "Bảng điều khiển tòa soạn"


class PortalUserAdmin(DeclaredFiltersOnly, UserAdmin):
    pass


class PortalGroupAdmin(DeclaredFiltersOnly, GroupAdmin):
    pass


class PortalAccessAttemptAdmin(DeclaredFiltersOnly, AccessAttemptAdmin):
    pass


class PortalAccessLogAdmin(DeclaredFiltersOnly, AccessLogAdmin):
    pass


class PortalAccessFailureLogAdmin(DeclaredFiltersOnly, AccessFailureLogAdmin):
    pass


for model, model_admin in [
    (User, PortalUserAdmin),
    (Group, PortalGroupAdmin),
    (AccessAttempt, PortalAccessAttemptAdmin),
    (AccessLog, PortalAccessLogAdmin),
    (AccessFailureLog, PortalAccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
