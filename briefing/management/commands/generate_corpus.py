"""``manage.py generate_corpus``: fill the database with a deterministic synthetic corpus."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from briefing.corpus import SIZES, briefing_row_count, corpus_analyze, corpus_flush, corpus_generate


class Command(BaseCommand):
    """Generate a skewed, realistic corpus of the given size (see docs/corpus.md)."""

    help = (
        "Fill the briefing tables with a synthetic corpus: the same --seed always gives the same "
        "rows. Refuses to touch tables that hold data unless --flush is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", required=True, choices=list(SIZES), help="How large a corpus.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--flush",
            "--force",
            dest="flush",
            action="store_true",
            help="Delete every briefing row first (all articles, meetings, statements, …).",
        )

    def handle(self, *args, size, seed, flush, verbosity, **options):
        self.verbosity = verbosity
        rows = briefing_row_count()
        if rows and not flush:
            raise CommandError(
                f"The briefing tables already hold {rows:,} rows. "
                "Pass --flush to delete them and generate the corpus in their place."
            )
        started = time.perf_counter()
        if rows:
            self._say(f"Deleting {rows:,} briefing rows…")
            corpus_flush()
            self._say(f"Deleted {rows:,} briefing rows", started)
        dimensions = SIZES[size]
        self._say(
            f"Generating the {size} corpus (seed {seed}): {dimensions.articles:,} articles, "
            f"{dimensions.meetings:,} meetings, {dimensions.statements:,} statements"
        )
        self._generating = time.perf_counter()
        counts = corpus_generate(size=dimensions, seed=seed, progress=self._progress)
        self._say("Committed", self._step_started)
        analyzing = time.perf_counter()
        if connection.vendor == "postgresql":
            self._say("Analyzing the tables for the query planner…")
        corpus_analyze()
        self._say("Analyzed", analyzing)
        for label, count in counts.items():
            self._say(f"{label}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated the {size} corpus (seed {seed}) in {time.perf_counter() - self._generating:.1f} s."
            )
        )

    def _progress(self, step: str, done: int | None = None, total: int | None = None) -> None:
        """One line per step, and per chunk written: share done, time so far, time left."""
        now = time.perf_counter()
        elapsed = now - self._generating
        if done is None or total is None:
            self._step_started = now
            self._say(f"{step}… ({elapsed:.1f} s in)" if elapsed >= 0.1 else f"{step}…")
            return
        left = elapsed / done * (total - done)
        self._say(
            f"  {done:,}/{total:,} articles ({done / total:.0%}), {elapsed:.1f} s, about {left:.0f} s left"
        )

    def _say(self, message: str, since: float | None = None) -> None:
        if self.verbosity >= 1:
            elapsed = f" ({time.perf_counter() - since:.1f} s)" if since is not None else ""
            self.stdout.write(f"{message}{elapsed}")
