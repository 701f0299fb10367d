"""``manage.py score_drafts``: draft every gold article and print how the drafts score (`make score`)."""

import time

from django.core.management.base import BaseCommand

from briefing.drafting.score import run_in_throwaway_database


class Command(BaseCommand):
    """Score ``manage.py draft`` against tests/data/gold/, in a throwaway database."""

    help = (
        "Draft every gold article (tests/data/gold/) and print quotation spans, speakers, attribution "
        "methods, meetings, dates and participants against the hand-made fixtures. Runs in a throwaway "
        "test database holding the other gold articles (leave-one-out); --cold starts from an empty one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cold", action="store_true", help="Draft against an empty database.")

    def handle(self, *args, cold, **options):
        began = time.perf_counter()
        table = run_in_throwaway_database(cold=cold)
        mode = "empty database (cold)" if cold else "database holding the other gold articles (leave-one-out)"
        self.stdout.write(f"Drafts scored against {mode}\n\n{table}\n")
        self.stdout.write(f"\nmake score took {time.perf_counter() - began:.1f} s")
