"""The database cache table that throttle counters use when no Redis is configured."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # createcachetable creates only the missing tables of database caches, on this database.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("briefing", "0004_editors_group")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
