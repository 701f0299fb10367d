"""A GIN index for full-text search over statement texts (PostgreSQL only).

The indexed expression is exactly the one ``StatementQuerySet.search`` builds, so the planner
uses it. SQLite has no full-text index here: it matches words with LIKE instead.
"""

from django.db import migrations

INDEX = "briefing_statement_text_fts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON briefing_statement "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("briefing", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
