"""``manage.py export_fixture <article-slug>``: an article and everything in it, as a fixture."""

import json

from django.core.management.base import BaseCommand, CommandError

from briefing.models import Article
from briefing.services import fixture_export


class Command(BaseCommand):
    """Write an article's fixture (the format ``seed`` reads) to standard output or a file."""

    help = (
        "Export an article, the records it names, its meetings and its statements as an article "
        "fixture, so curated work can be committed under fixtures/articles/. Importing the export "
        "into the same database changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The article's slug.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, slug, output, **options):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No article has the slug “{slug}”.")
        text = json.dumps(fixture_export(article=article), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
