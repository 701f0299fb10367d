"""Writes a generated corpus into the briefing tables, in bulk, through the project's models.

``bulk_create`` skips ``full_clean()``, so nothing here relies on validation: the rows are
built to satisfy the same rules. Statement offsets come from ``compose_body`` as it assembles
the body, positions count the statements in body order, a statement's date is its meeting's,
participants are drawn without repetition, and topic parents are created before children.
Articles are written in chunks, so memory stays flat however large the corpus.
"""

import datetime
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, reset_queries, transaction

from briefing.corpus.text import (
    OfficialSpec,
    OrganizationSpec,
    Remark,
    TopicSpec,
    Zipf,
    build_officials,
    build_organizations,
    build_topics,
    compose_body,
    lower_first,
    meeting_day,
    meeting_intro,
    sentence,
    split_evenly,
    statement_text,
)
from briefing.corpus.words import CITIES, PUBLISHERS, VENUES
from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic


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
PARTICIPANTS = (3, 6)
TOPICS_PER_MEETING = (2, 4)
MEETING_KINDS = (
    (Meeting.Kind.BILATERAL, 35),
    (Meeting.Kind.MULTILATERAL, 20),
    (Meeting.Kind.PRESS_CONFERENCE, 15),
    (Meeting.Kind.SUMMIT, 5),
    (Meeting.Kind.CALL, 20),
    (Meeting.Kind.OTHER, 5),
)
QUOTE_SHARE = 0.7
STATEMENTS_AT_A_MEETING = 0.9
CROSS_REPORTED = 0.1


def briefing_models() -> list:
    """Every briefing table's model, many-to-many link tables included."""
    return list(apps.get_app_config("briefing").get_models(include_auto_created=True))


def briefing_row_count() -> int:
    """How many rows the briefing tables hold in all."""
    return sum(model.objects.count() for model in briefing_models())


def corpus_flush() -> None:
    """Delete every briefing row and restart the ids (TRUNCATE on PostgreSQL)."""
    tables = [model._meta.db_table for model in briefing_models()]
    with transaction.atomic():
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
    with connection.cursor() as cursor:
        for model in briefing_models():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def corpus_generate(*, size: CorpusSize, seed: int, progress: Callable[[str], None] | None = None) -> Counter:
    """Fill the (empty) briefing tables with a deterministic corpus; return the rows per model."""
    rng = random.Random(seed)
    organizations = build_organizations(rng, size.organizations)
    officials = build_officials(rng, size.officials, organizations)
    topics = build_topics(rng, size.topics)
    days = sorted(meeting_day(rng) for _ in range(size.meetings))
    meetings_per_article = split_evenly(rng, size.meetings, size.articles)
    statements_per_article = split_evenly(rng, size.statements, size.articles)
    with transaction.atomic():
        writer = _Writer(rng, organizations, officials, topics)
        next_meeting = 0
        for first in range(0, size.articles, ARTICLES_PER_CHUNK):
            plans = []
            for number in range(first + 1, min(first + ARTICLES_PER_CHUNK, size.articles) + 1):
                n_meetings = meetings_per_article[number - 1]
                plans.append(
                    writer.plan_article(
                        number,
                        first_meeting=next_meeting + 1,
                        days=days[next_meeting : next_meeting + n_meetings],
                        n_statements=statements_per_article[number - 1],
                    )
                )
                next_meeting += n_meetings
            writer.save(plans)
            # With DEBUG on, Django keeps every query's SQL; bulk inserts of long texts would
            # otherwise hold the whole corpus in memory a second time.
            reset_queries()
            if progress:
                progress(f"{first + len(plans):,}/{size.articles:,} articles")
    return writer.counts


@dataclass
class _MeetingPlan:
    meeting: Meeting
    participants: list[tuple[int, str]]
    topics: list[int]


@dataclass
class _ArticlePlan:
    article: Article
    meetings: list[_MeetingPlan]
    reported_meetings: list[Meeting]
    statements: list[tuple[Statement, list[int]]] = field(default_factory=list)


class _Writer:
    """Plans articles (with their meetings and statements) and bulk-creates them chunk by chunk."""

    def __init__(
        self,
        rng: random.Random,
        organizations: list[OrganizationSpec],
        officials: list[OfficialSpec],
        topics: list[TopicSpec],
    ):
        self.rng = rng
        self.counts: Counter = Counter()
        self.officials = officials
        self.topics = topics
        self.official_zipf = Zipf(len(officials))
        self.topic_zipf = Zipf(len(topics))
        self.city_zipf = Zipf(len(CITIES))
        self.kinds, kind_weights = zip(*MEETING_KINDS, strict=True)
        self.kind_cum_weights = [sum(kind_weights[: i + 1]) for i in range(len(kind_weights))]
        self.last_meeting: Meeting | None = None

        org_rows = {}
        for spec in organizations:  # Parents come first, so each parent already has its pk.
            org_rows[spec.slug] = Organization(
                slug=spec.slug,
                name=spec.name,
                abbreviation=spec.abbreviation,
                kind=spec.kind,
                parent=org_rows.get(spec.parent),
            )
        for kind in ("intergovernmental", "government", "department"):
            self._create(Organization, [o for o in org_rows.values() if o.kind == kind])
        self.official_rows = self._create(
            Official,
            [
                Official(slug=o.slug, name=o.name, title=o.title, organization=org_rows[o.organization])
                for o in officials
            ],
        )
        topic_rows: dict[str, Topic] = {}
        depth: dict[str, int] = {}
        for spec in topics:  # Each topic is listed after its parent.
            depth[spec.slug] = 0 if spec.parent is None else depth[spec.parent] + 1
            topic_rows[spec.slug] = Topic(
                slug=spec.slug,
                name=spec.name,
                description=spec.description,
                parent=topic_rows.get(spec.parent),
            )
        for level in sorted(set(depth.values())):
            self._create(Topic, [row for slug, row in topic_rows.items() if depth[slug] == level])
        self.topic_rows = [topic_rows[spec.slug] for spec in topics]

    # -- planning ----------------------------------------------------------------------------

    def plan_article(
        self, number: int, *, first_meeting: int, days: list[datetime.date], n_statements: int
    ) -> _ArticlePlan:
        """One article with its meetings (numbered from ``first_meeting``) and statements."""
        rng = self.rng
        meetings = [self._plan_meeting(first_meeting + i, day) for i, day in enumerate(days)]
        reported = [m.meeting for m in meetings]
        if self.last_meeting is not None and rng.random() < CROSS_REPORTED:
            reported.append(self.last_meeting)  # A follow-up on the previous article's story.
        self.last_meeting = meetings[-1].meeting
        published_on = days[-1] + datetime.timedelta(days=rng.randint(0, 3))
        slug = f"article-{number:05d}"
        headline = meetings[0].meeting.title
        if len(meetings) > 1:
            headline = f"{headline}, and {len(meetings) - 1} more meetings"
        article = Article(
            slug=slug,
            title=headline[:300],
            publisher=rng.choice(PUBLISHERS),
            url=f"https://news.example.org/{published_on.year}/{slug}",
            published_on=published_on,
        )

        at_meeting: list[list[tuple]] = [[] for _ in meetings]
        elsewhere: list[tuple] = []
        for _ in range(n_statements):
            kind = Statement.Kind.QUOTE if rng.random() < QUOTE_SHARE else Statement.Kind.PARAPHRASE
            if rng.random() < STATEMENTS_AT_A_MEETING:
                i = rng.randrange(len(meetings))
                plan = meetings[i]
                speaker = rng.choice(plan.participants)[0]
                topics = rng.sample(plan.topics, rng.randint(0, 2))
                at_meeting[i].append((speaker, kind, statement_text(rng, kind), topics, plan.meeting))
            else:
                speaker = self.official_zipf.one(rng)
                topics = self.topic_zipf.distinct(rng, rng.randint(0, 1))
                elsewhere.append((speaker, kind, statement_text(rng, kind), topics, None))

        sections = [
            (self._intro(plan), [self._remark(s) for s in statements])
            for plan, statements in zip(meetings, at_meeting, strict=True)
        ]
        if elsewhere:
            intro = f"Separately, officials spoke about other matters. {sentence(rng, first_person=False)}"
            sections.append((intro, [self._remark(s) for s in elsewhere]))
        article.body, spans = compose_body(rng, headline=article.title, sections=sections)

        statement_date = published_on if rng.random() < 0.6 else None
        ordered = [s for statements in at_meeting for s in statements] + elsewhere
        result = _ArticlePlan(article, meetings, reported)
        for position, ((speaker, kind, text, topics, meeting), (start, end)) in enumerate(
            zip(ordered, spans, strict=True), start=1
        ):
            statement = Statement(
                article=article,
                speaker=self.official_rows[speaker],
                meeting=meeting,
                text=text,
                kind=kind,
                date=meeting.date if meeting else statement_date,
                position=position,
                start=start,
                end=end,
            )
            result.statements.append((statement, topics))
        return result

    def _plan_meeting(self, number: int, day: datetime.date) -> _MeetingPlan:
        rng = self.rng
        kind = rng.choices(self.kinds, cum_weights=self.kind_cum_weights)[0]
        people = self.official_zipf.distinct(rng, rng.randint(*PARTICIPANTS))
        topics = self.topic_zipf.distinct(rng, rng.randint(*TOPICS_PER_MEETING))
        city = "" if kind == Meeting.Kind.CALL else CITIES[self.city_zipf.one(rng)]
        location = "" if kind == Meeting.Kind.CALL else rng.choice(VENUES)
        names = [self.officials[i].name for i in people]
        topic = self.topics[topics[0]].name
        title = {
            Meeting.Kind.BILATERAL: f"{names[0]} meets {names[1]}",
            Meeting.Kind.MULTILATERAL: f"Meeting of {names[0]}, {names[1]} and others on {topic}",
            Meeting.Kind.PRESS_CONFERENCE: f"Joint press conference by {names[0]} and {names[1]}",
            Meeting.Kind.SUMMIT: f"{city} summit on {topic}",
            Meeting.Kind.CALL: f"Call between {names[0]} and {names[1]}",
            Meeting.Kind.OTHER: f"{names[0]} and {names[1]} on {topic}",
        }[kind]
        summary = (
            f"{names[0]} and {names[1]} discussed {lower_first(topic)}. {sentence(rng, first_person=False)}"
        )
        meeting = Meeting(
            slug=f"meeting-{number:06d}",
            title=title[:300],
            date=day,
            kind=kind,
            location=location,
            city=city,
            summary=summary,
        )
        participants = [(i, self.officials[i].role_on(day)) for i in people]
        return _MeetingPlan(meeting, participants, topics)

    def _intro(self, plan: _MeetingPlan) -> str:
        meeting = plan.meeting
        names = [self.officials[i].name for i, _ in plan.participants]
        topics = [self.topics[t].name for t in plan.topics]
        return meeting_intro(self.rng, day=meeting.date, city=meeting.city, names=names, topics=topics)

    def _remark(self, statement: tuple) -> Remark:
        speaker, kind, text, _, _ = statement
        return Remark(speaker_name=self.officials[speaker].name, kind=kind, text=text)

    # -- saving ------------------------------------------------------------------------------

    def save(self, plans: list[_ArticlePlan]) -> None:
        """Bulk-create the planned rows, parents before the rows that point at them."""
        meetings = [m for plan in plans for m in plan.meetings]
        self._create(Meeting, [m.meeting for m in meetings])
        self._create(
            Participation,
            [
                Participation(meeting=m.meeting, official=self.official_rows[i], role=role, position=position)
                for m in meetings
                for position, (i, role) in enumerate(m.participants)
            ],
        )
        self._create(
            Meeting.topics.through,
            [
                Meeting.topics.through(meeting_id=m.meeting.pk, topic_id=self.topic_rows[t].pk)
                for m in meetings
                for t in m.topics
            ],
        )
        self._create(Article, [plan.article for plan in plans])
        self._create(
            Meeting.articles.through,
            [
                Meeting.articles.through(meeting_id=meeting.pk, article_id=plan.article.pk)
                for plan in plans
                for meeting in plan.reported_meetings
            ],
        )
        statements = [s for plan in plans for s in plan.statements]
        self._create(Statement, [statement for statement, _ in statements])
        self._create(
            Statement.topics.through,
            [
                Statement.topics.through(statement_id=statement.pk, topic_id=self.topic_rows[t].pk)
                for statement, topics in statements
                for t in topics
            ],
        )

    def _create(self, model, rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts[model._meta.label] += len(created)
        return created
