"""The Moderators group: the comment queue, the comment history and banned terms.

No article permission: moderators decide on readers' comments, nothing else.
The decision log is read-only for everyone (the admin refuses add/change/delete).
"""

from django.db import migrations

from portal.migration_utils import grant

MODERATORS = [
    "view_comment",
    "change_comment",
    "view_pendingcomment",
    "change_pendingcomment",
    "add_bannedterm",
    "change_bannedterm",
    "delete_bannedterm",
    "view_bannedterm",
    "view_moderationlog",
]


def grant_moderators(apps, schema_editor):
    grant(apps, "Moderators", {"comments": MODERATORS})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_pendingcomment"),
        ("articles", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
