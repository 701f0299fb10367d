"""``manage.py draft ARTICLE.txt``: a draft fixture (format 2) from an article's text, for review."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from briefing.drafting import MAX_TEXT_BYTES, DraftInputError, draft_fixture, read_article_text
from briefing.fixture_input import display


class Command(BaseCommand):
    """Draft a fixture from a UTF-8 text file: headline on the first line, then a blank line and the body."""

    help = (
        "Draft an article fixture (format 2) from a UTF-8 text file whose first line is the headline. "
        "Prints the draft (or writes it with --output); nothing is imported: review it, then `seed` it."
    )

    def add_arguments(self, parser):
        parser.add_argument("article", help="The article's text file (UTF-8).")
        parser.add_argument(
            "--published-on", help="The publication day, YYYY-MM-DD (relative dates need it)."
        )
        parser.add_argument("--title", help="The headline; then the whole file is the body.")
        parser.add_argument("--publisher", default="", help="The site that published it.")
        parser.add_argument("--url", default="", help="Where it was published.")
        parser.add_argument("--output", help="Write the draft to this file instead of standard output.")

    def handle(self, *args, article, published_on, title, publisher, url, output, **options):
        when = None
        if published_on:
            try:
                when = datetime.date.fromisoformat(published_on)
            except ValueError:
                raise CommandError(
                    f"--published-on {display(published_on)!r} is not a date (YYYY-MM-DD)."
                ) from None
        path = Path(article)
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_TEXT_BYTES + 1)  # never more than the limit, whatever the file's size
        except OSError as exc:
            raise CommandError(f"Cannot read {display(article)}: {exc.strerror or exc}.") from None
        try:
            head, body = read_article_text(raw, title=title)
            draft = draft_fixture(title=head, body=body, published_on=when, publisher=publisher, url=url)
        except DraftInputError as exc:
            raise CommandError(f"{display(article)}: {exc}") from None
        text = json.dumps(draft, ensure_ascii=False, indent=2) + "\n"
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {display(output)}: {exc.strerror or exc}.") from None
            self.stderr.write(
                f"wrote {display(output)}: {len(draft['statements'])} quotations, "
                f"{len(draft['meetings'])} meetings, {len(draft['officials'])} new officials"
            )
        else:
            self.stdout.write(text, ending="")
