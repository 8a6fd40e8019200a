"""Helpers for data migrations that grant permissions to staff groups."""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name: str, perms: dict[str, list[str]]) -> None:
    """Give ``group_name`` the listed codenames, per app label (created if missing).

    Permissions are normally created after all migrations run; on a fresh
    database they do not exist yet, so they are created here first.
    """
    for label in perms:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for label, codenames in perms.items():
        found = Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        missing = set(codenames) - set(found.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"unknown permissions for {label}: {sorted(missing)}")
        group.permissions.add(*found)
