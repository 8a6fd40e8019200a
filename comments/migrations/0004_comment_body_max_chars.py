"""The length rule's CHECK constraint named for what it holds, not for its number.

Django has no RenameConstraint: the new one is added before the old one goes, so
the database refuses an overlong body at every step.
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_moderators_permissions"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("body"), 500
                ),
                name="comment_body_max_chars",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="comment",
            name="comment_body_max_500",
        ),
    ]
