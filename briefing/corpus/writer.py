"""Writes a generated corpus into the briefing tables, in bulk, through the project's models.

``bulk_create`` skips ``full_clean()``, so nothing here relies on validation: the specs from
``briefing.corpus.cast`` satisfy the same rules by construction (statement offsets come from
the body as it is assembled, positions count statements in body order, a statement at a
meeting takes its date, participants are drawn without repetition), and rows are created
parents first. Articles are written in chunks, so memory stays flat however large the corpus.
``bulk_create`` sends no signals either, so generated rows have no change history.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, reset_queries, transaction

from briefing.corpus.cast import ArticleSpec, Cast, meeting_day, split_evenly
from briefing.dates import Precision
from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic
from briefing.search import sqlite_fts_suspended


@dataclass(frozen=True)
class CorpusSize:
    """How many rows of each kind a corpus has."""

    organizations: int
    officials: int
    topics: int
    meetings: int
    articles: int
    statements: int


# `small` is large/100 except where that would break the shape: 12 organizations (a tenth of
# them intergovernmental) and 12 topics (three levels, enough for four topics per meeting).
SIZES = {
    "small": CorpusSize(
        organizations=12, officials=20, topics=12, meetings=200, articles=20, statements=2_000
    ),
    "large": CorpusSize(
        organizations=60, officials=2_000, topics=300, meetings=20_000, articles=2_000, statements=200_000
    ),
    "xlarge": CorpusSize(
        organizations=600,
        officials=20_000,
        topics=3_000,
        meetings=200_000,
        articles=20_000,
        statements=2_000_000,
    ),
}

BATCH_SIZE = 2_000
ARTICLES_PER_CHUNK = 100
# Share of articles that also report the previous article's last meeting (a follow-up story).
CROSS_REPORTED = 0.1


def briefing_models() -> list:
    """Every briefing table's model, link and change-history tables included."""
    return list(apps.get_app_config("briefing").get_models(include_auto_created=True))


def briefing_row_count() -> int:
    """How many rows the briefing tables hold in all."""
    return sum(model.objects.count() for model in briefing_models())


def corpus_flush() -> None:
    """Delete every briefing row and restart the ids (TRUNCATE on PostgreSQL)."""
    tables = [model._meta.db_table for model in briefing_models()]
    with transaction.atomic(), sqlite_fts_suspended(connection):
        _lift_statement_timeout()
        # PostgreSQL refuses to TRUNCATE a table with deferred foreign-key checks pending,
        # as there are when rows were written earlier in the same transaction.
        connection.check_constraints()
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True):
                cursor.execute(sql)


def corpus_analyze() -> None:
    """Refresh PostgreSQL's planner statistics for the briefing tables (no-op elsewhere)."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _lift_statement_timeout()
        for model in briefing_models():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Told what is being done: a step, and for the long one how many of how many are done.
Progress = Callable[..., None]


def corpus_generate(*, size: CorpusSize, seed: int, progress: Progress | None = None) -> Counter:
    """Fill the (empty) briefing tables with a deterministic corpus; return the rows per table.

    ``progress(step, done=None, total=None)`` hears of each step as it starts, and of each chunk
    of articles written (``done`` of ``total``).
    """
    progress = progress or (lambda step, done=None, total=None: None)
    progress("Planning the cast and the calendar")
    rng = random.Random(seed)
    cast = Cast(rng, organizations=size.organizations, officials=size.officials, topics=size.topics)
    days = sorted(meeting_day(rng) for _ in range(size.meetings))
    meetings_per_article = split_evenly(rng, size.meetings, size.articles)
    statements_per_article = split_evenly(rng, size.statements, size.articles)
    with transaction.atomic():
        _lift_statement_timeout()
        with sqlite_fts_suspended(connection):
            writer = _Writer(cast)
            next_meeting = 0
            for first in range(0, size.articles, ARTICLES_PER_CHUNK):
                chunk = []
                for number in range(first + 1, min(first + ARTICLES_PER_CHUNK, size.articles) + 1):
                    n_meetings = meetings_per_article[number - 1]
                    meetings = [
                        cast.meeting(rng, next_meeting + i + 1, day)
                        for i, day in enumerate(days[next_meeting : next_meeting + n_meetings])
                    ]
                    next_meeting += n_meetings
                    article = cast.article(rng, number, meetings, statements_per_article[number - 1])
                    chunk.append((article, rng.random() < CROSS_REPORTED))
                writer.save(chunk)
                # With DEBUG on, Django keeps every query's SQL; bulk inserts of long texts would
                # otherwise hold the whole corpus in memory a second time.
                reset_queries()
                progress("Writing articles", first + len(chunk), size.articles)
            if connection.vendor == "sqlite":
                progress("Indexing the statements for search")
        # PostgreSQL checks every deferred foreign key of the corpus at COMMIT (~5 s for the
        # large corpus): said first, so that the wait is not silent.
        progress("Committing")
    return writer.counts


def _lift_statement_timeout() -> None:
    # The site's statement_timeout (settings) guards web workers against runaway queries; a
    # bulk load legitimately runs long statements: the final COMMIT alone checks every
    # deferred foreign key of the corpus. SET LOCAL ends with the transaction.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


class _Writer:
    """Bulk-creates a cast, then articles chunk by chunk, parents before the rows that point at them."""

    def __init__(self, cast: Cast):
        self.counts: Counter = Counter()
        self.previous_meeting: Meeting | None = None
        organizations = {}
        for spec in cast.organizations:  # Parents are listed first.
            organizations[spec.slug] = Organization(
                slug=spec.slug,
                name=spec.name,
                abbreviation=spec.abbreviation,
                kind=spec.kind,
                parent=organizations.get(spec.parent),
            )
        for kind in ("intergovernmental", "government", "department"):
            self._create(Organization, [o for o in organizations.values() if o.kind == kind])
        self.officials = self._create(
            Official,
            [
                Official(slug=o.slug, name=o.name, title=o.title, organization=organizations[o.organization])
                for o in cast.officials
            ],
        )
        topics: dict[str, Topic] = {}
        depth: dict[str, int] = {}
        for spec in cast.topics:  # Each topic is listed after its parent.
            depth[spec.slug] = 0 if spec.parent is None else depth[spec.parent] + 1
            topics[spec.slug] = Topic(
                slug=spec.slug, name=spec.name, description=spec.description, parent=topics.get(spec.parent)
            )
        for level in sorted(set(depth.values())):
            self._create(Topic, [row for slug, row in topics.items() if depth[slug] == level])
        self.topics = list(topics.values())

    def save(self, chunk: list[tuple[ArticleSpec, bool]]) -> None:
        """Bulk-create articles with their meetings and statements (flagged: plus a follow-up)."""
        meetings = {
            spec.slug: Meeting(
                slug=spec.slug,
                title=spec.title,
                date=spec.date,
                date_end=spec.date,
                kind=spec.kind,
                location=spec.location,
                city=spec.city,
                summary=spec.summary,
            )
            for article, _ in chunk
            for spec in article.meetings
        }
        self._create(Meeting, list(meetings.values()))
        specs = [spec for article, _ in chunk for spec in article.meetings]
        self._create(
            Participation,
            [
                Participation(
                    meeting=meetings[m.slug], official=self.officials[i], role=role, position=position
                )
                for m in specs
                for position, (i, role) in enumerate(m.participants)
            ],
        )
        self._link(
            Meeting.topics.through,
            "meeting",
            "topic",
            [(meetings[m.slug], self.topics[t]) for m in specs for t in m.topics],
        )
        articles = {
            spec.slug: Article(
                slug=spec.slug,
                title=spec.title,
                publisher=spec.publisher,
                url=spec.url,
                published_on=spec.published_on,
                body=spec.body,
            )
            for spec, _ in chunk
        }
        self._create(Article, list(articles.values()))
        reports = []
        for spec, follow_up in chunk:
            reports += [(meetings[m.slug], articles[spec.slug]) for m in spec.meetings]
            if follow_up and self.previous_meeting is not None:
                reports.append((self.previous_meeting, articles[spec.slug]))
            self.previous_meeting = meetings[spec.meetings[-1].slug]
        self._link(Meeting.articles.through, "meeting", "article", reports)
        statements = [
            (
                Statement(
                    article=articles[article.slug],
                    speaker=self.officials[s.speaker],
                    meeting=None if s.meeting is None else meetings[article.meetings[s.meeting].slug],
                    meeting_relation="" if s.meeting is None else Statement.Relation.AT,
                    text=s.text,
                    kind=s.kind,
                    date=s.date,
                    date_end=s.date,
                    date_precision=Precision.DAY if s.date else Precision.UNKNOWN,
                    position=position,
                    start=s.start,
                    end=s.end,
                ),
                s.topics,
            )
            for article, _ in chunk
            for position, s in enumerate(article.statements, start=1)
        ]
        self._create(Statement, [statement for statement, _ in statements])
        self._link(
            Statement.topics.through,
            "statement",
            "topic",
            [(statement, self.topics[t]) for statement, topics in statements for t in topics],
        )

    def _link(self, through, left: str, right: str, pairs: list) -> None:
        self._create(through, [through(**{f"{left}_id": a.pk, f"{right}_id": b.pk}) for a, b in pairs])

    def _create(self, model, rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts[model._meta.label] += len(created)
        return created
