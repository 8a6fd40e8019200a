"""The newsroom's staff groups and what each may do with articles.

Moderators get no article permission; the comments app grants theirs.
"""

from django.db import migrations

from portal.migration_utils import grant

JOURNALISTS = [
    "add_article", "change_article", "view_article",
    "add_byline", "change_byline", "view_byline", "delete_byline",
    "view_section", "view_author",
    # Journalists pick and add tags (the autocomplete needs view).
    "add_tag", "view_tag",
]
EDITORS = [
    f"{action}_{model}"
    for model in ("article", "byline", "section", "author", "tag")
    for action in ("add", "change", "delete", "view")
]


def create_groups(apps, schema_editor):
    grant(apps, "Journalists", {"articles": JOURNALISTS})
    grant(apps, "Editors", {"articles": EDITORS})
    apps.get_model("auth", "Group").objects.get_or_create(name="Moderators")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
