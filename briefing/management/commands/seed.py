"""``manage.py seed``: import every article fixture, each file atomically, never over editors' work."""

from django.core.management.base import BaseCommand, CommandError

from briefing.fixture_input import display
from briefing.services import FixtureError, article_import, fixture_paths


class Command(BaseCommand):
    """Import the article fixtures (default: everything under ``fixtures/articles/``)."""

    help = (
        "Import article fixtures. Each file is validated (JSON Schema, references, dates, "
        "verbatim quotes) and imported in one transaction. Importing again changes nothing; "
        "what editors have added, changed or deleted since is kept, and listed as kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Fixture files (default: all in FIXTURE_ARTICLES_DIR).")
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, paths, check, **options):
        paths = paths or fixture_paths()
        if not paths:
            raise CommandError("No article fixtures found.")
        for number, path in enumerate(paths, start=1):
            try:
                report = article_import(path=path, dry_run=check)
            except FixtureError as exc:
                # The message quotes the fixture (a slug, a misquoted text): never raw to a terminal.
                raise CommandError(display(str(exc))) from exc
            prefix = "valid: " if check else ""
            progress = f"[{number}/{len(paths)}] " if len(paths) > 1 else ""
            self.stdout.write(self.style.SUCCESS(display(f"{progress}{prefix}{report}")))
