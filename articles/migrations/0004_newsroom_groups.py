"""What the staff groups may do with the newsroom's new records.

Editors approve, publish and take down (``publish_article``), write
corrections and choose the front page; journalists see the corrections on
their articles. The workflow (articles/workflow.py) decides the rest.
"""

from django.db import migrations

from portal.migration_utils import grant

EDITORS = [
    "publish_article",
    *(
        f"{action}_{model}"
        for model in ("correction", "frontpagepick")
        for action in ("add", "change", "delete", "view")
    ),
]
JOURNALISTS = ["view_correction"]


def grant_groups(apps, schema_editor):
    grant(apps, "Editors", {"articles": EDITORS})
    grant(apps, "Journalists", {"articles": JOURNALISTS})


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_newsroom")]

    operations = [migrations.RunPython(grant_groups, migrations.RunPython.noop)]
