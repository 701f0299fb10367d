"""Indexes for statements newest first: the statement list, and a speaker's latest statements.

Both read backwards, on the expression the API sorts by (undated statements as the oldest).
"""

import datetime
import django.db.models.functions.comparison
from django.db import migrations, models


def lift_statement_timeout(apps, schema_editor):
    # Building an index over millions of statements takes longer than the site's 5 s budget;
    # lifted for this migration's transaction only.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL statement_timeout = 0")


class Migration(migrations.Migration):

    dependencies = [
        ('briefing', '0012_sqlite_statement_fts'),
    ]

    operations = [
        migrations.RunPython(lift_statement_timeout, lift_statement_timeout),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(django.db.models.functions.comparison.Coalesce('date', models.Value(datetime.date(1, 1, 1))), models.F('id'), name='briefing_statement_sort_date'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(models.F('speaker'), django.db.models.functions.comparison.Coalesce('date', models.Value(datetime.date(1, 1, 1))), models.F('id'), name='briefing_statement_spk_sort'),
        ),
    ]
