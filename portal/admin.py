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
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission, User
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy

from portal.admindeletes import DeletesWithoutLinkRows
from portal.adminlists import DeclaredFiltersOnly

admin.site.site_header = f"{settings.SITE_NAME} – Quản trị"
admin.site.site_title = f"{settings.SITE_NAME} – Quản trị"
admin.site.index_title = "Bảng điều khiển tòa soạn"


# Django stores its permissions' names in English ("Can add …") when the
# tables are made: the user and group forms name them from their codenames.
PERMISSION_ACTIONS = {"add": "Thêm", "change": "Sửa", "delete": "Xoá", "view": "Xem"}


def permission_label(permission: Permission) -> str:
    """``Tin bài | bài viết | Thêm bài viết``; a permission of the portal's own keeps its name."""
    content_type = permission.content_type
    model = content_type.model_class()
    what = model._meta.verbose_name if model is not None else content_type.model
    action, _, model_name = permission.codename.partition("_")
    name = permission.name
    if action in PERMISSION_ACTIONS and model is not None and model_name == model._meta.model_name:
        name = f"{PERMISSION_ACTIONS[action]} {what}"
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app} | {what} | {name}"


class NamesPermissions:
    """The permissions' list in Vietnamese, in a user's or a group's form."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class PortalPasswordChangeForm(AdminPasswordChangeForm):
    # Django adds this warning outside its catalog.
    usable_password_help_text = format_lazy(
        "{}{}",
        SetUnusablePasswordMixin.usable_password_help_text,
        mark_safe(
            '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
            "Nếu tắt, mật khẩu hiện tại của tài khoản này sẽ mất.</li></ul>"
        ),
    )


class PortalUserAdmin(NamesPermissions, DeletesWithoutLinkRows, DeclaredFiltersOnly, UserAdmin):
    change_password_form = PortalPasswordChangeForm


class PortalGroupAdmin(NamesPermissions, DeletesWithoutLinkRows, DeclaredFiltersOnly, GroupAdmin):
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
