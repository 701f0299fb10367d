"""Full-text search on SQLite: an FTS5 table over statement text, kept in sync by triggers.

SQLite only (PostgreSQL has the stored tsvector of 0007); briefing.search holds the schema and
translates the API's web-search syntax for it. The same install runs after every `migrate`
(briefing.apps), because SQLite drops a table's triggers whenever a later migration makes
Django remake the statement table.
"""

from django.db import migrations


def install(apps, schema_editor):
    from briefing.search import sqlite_fts_install

    sqlite_fts_install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from briefing.search import sqlite_fts_uninstall

    sqlite_fts_uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("briefing", "0011_display_safe_text")]

    operations = [migrations.RunPython(install, uninstall)]
