"""Moderators see commenters' e-mail addresses and whether each is confirmed."""

from django.db import migrations

from portal.migration_utils import grant


def grant_moderators(apps, schema_editor):
    grant(apps, "Moderators", {"comments": ["view_commenteremail"]})


class Migration(migrations.Migration):
    dependencies = [("comments", "0008_replies_claims_trust")]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]
