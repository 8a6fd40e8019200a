# Near-miss search corrects a mistyped word to the nearest known word: the
# words of the articles, with a trigram index (PostgreSQL). The title trigram
# index of 0004 is no longer used.

import django.contrib.postgres.indexes
from django.db import migrations, models


class PostgresOnly:
    """Index operations run on PostgreSQL only; SQLite has no GIN."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RemovePostgresIndex(PostgresOnly, migrations.RemoveIndex):
    pass


class AddPostgresIndex(PostgresOnly, migrations.AddIndex):
    pass


def fill_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.search import remember_all_words

    remember_all_words(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_discovery"),
    ]

    operations = [
        RemovePostgresIndex(model_name="article", name="article_title_trgm_idx"),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60, unique=True, verbose_name="từ")),
            ],
            options={
                "verbose_name": "từ tìm kiếm",
                "verbose_name_plural": "từ tìm kiếm",
                "ordering": ["word"],
            },
        ),
        AddPostgresIndex(
            model_name="searchword",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["word"], name="searchword_trgm_idx", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
    ]
