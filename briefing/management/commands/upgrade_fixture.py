"""``manage.py upgrade_fixture FILE``: a version-1 article fixture rewritten in format version 2."""

import json

from django.core.management.base import BaseCommand, CommandError

from briefing.services import FixtureError, fixture_read, fixture_validate


class Command(BaseCommand):
    """Write a fixture of format version 1 as version 2 (standard output, or ``--output``)."""

    help = (
        "Rewrite an article fixture of format version 1 as version 2. The records stay as they were; "
        "what version 1 could not say (attribution, mentions, partial dates…) is left for editors to add. "
        "Importing either file writes the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The version-1 fixture.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, path, output, **options):
        try:
            data = fixture_read(path)
            if isinstance(data, dict) and data.get("format") == 2:
                raise CommandError(f"{path} is already in format version 2.")
            upgraded = fixture_validate(data, path)
        except FixtureError as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(upgraded, ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
