"""Moderators keep commenters out: add, change, end and see bans."""

from django.db import migrations

from portal.migration_utils import grant

MODERATORS = [f"{action}_commenterban" for action in ("add", "change", "delete", "view")]


def grant_moderators(apps, schema_editor):
    grant(apps, "Moderators", {"comments": MODERATORS})


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_commenterban")]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
