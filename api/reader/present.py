"""The reader's presentation layer: model rows and dossiers as what a page shows of them.

Templates read only these objects, never model attributes: a new field (a partial date, an
attribution method, a mention) is added here once and shown by one line of one template. Every
absent value has a wording of its own; a statement's speaker may be unknown (``None``).
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse

from briefing import dossiers, reading
from briefing.dates import Precision

UNKNOWN_SPEAKER = "Speaker unknown"
NO_DATE = "Date not reported"

ORDERING_LABELS = {
    "date": "Date, oldest first",
    "-date": "Date, newest first",
    "title": "Title, A to Z",
    "-title": "Title, Z to A",
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "position": "Order in the article",
    "-position": "Order in the article, reversed",
    "published_on": "Publication date, oldest first",
    "-published_on": "Publication date, newest first",
}


@dataclass(frozen=True)
class Link:
    """A label and where it leads; no ``url`` when there is nothing to link to."""

    label: str
    url: str | None = None


def date_label(value: datetime.date | None) -> str:
    """A day as people write it (``2 June 2022``), or that none was reported."""
    return f"{value.day} {value:%B %Y}" if value else NO_DATE


def reported_date_label(row) -> str:
    """A meeting's or statement's date at the precision the article gives it, with its own words.

    ``2 June 2022``, ``June 2022``, ``2022`` or ``Date not reported``; the article's wording
    follows in parentheses when it was kept (``June 2022 (“early in June”)``).
    """
    reported = row.reported_date
    if reported.start is None:
        label = NO_DATE
    elif reported.precision == Precision.MONTH:
        label = f"{reported.start:%B %Y}"
    elif reported.precision == Precision.YEAR:
        label = f"{reported.start.year}"
    else:
        label = date_label(reported.start)
    wording = getattr(row, "date_as_reported", "")
    return f"{label} (“{wording}”)" if wording and wording != label else label


def speaker_of(statement):
    """The statement's speaker, or None when it is not known (no speaker row)."""
    return statement.speaker if statement.speaker_id is not None else None


def official_link(official) -> Link:
    """The official's name linking to their page; the unknown speaker has no page."""
    if official is None:
        return Link(UNKNOWN_SPEAKER)
    return Link(official.name, reverse("reader:official-detail", args=[official.slug]))


def meeting_link(meeting) -> Link | None:
    """The meeting's title linking to its page; None when there is no meeting."""
    if meeting is None:
        return None
    return Link(meeting.title, reverse("reader:meeting-detail", args=[meeting.slug]))


def topic_link(topic) -> Link:
    """The topic's name linking to its briefing."""
    return Link(topic.name, reverse("reader:topic-detail", args=[topic.slug]))


def article_link(article) -> Link:
    """The article's title linking to its page with every statement highlighted."""
    return Link(article.title, reverse("reader:article-detail", args=[article.slug]))


def ordering_choices(choices: list[str]) -> list[Link]:
    """The orderings a list offers, as ``Link(label, value)``."""
    return [Link(ORDERING_LABELS.get(value, value), value) for value in choices]


# -- statements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementView:
    """A statement with its provenance: who, where, when, and the exact span of which article."""

    id: int
    number: int
    text: str
    is_quote: bool
    kind: str
    speaker: Link
    meeting: Link | None
    date: str
    attribution: str
    article: Link
    in_article_url: str
    span: str
    topics: tuple[Link, ...]
    api_url: str


def statement_view(statement) -> StatementView:
    """What a page shows of a statement (speaker, meeting and article selected, topics prefetched)."""
    article_page = reverse("reader:article-detail", args=[statement.article.slug])
    return StatementView(
        id=statement.pk,
        number=statement.position,
        text=statement.text,
        is_quote=statement.kind == statement.Kind.QUOTE,
        kind=statement.get_kind_display(),
        speaker=official_link(speaker_of(statement)),
        meeting=meeting_link(statement.meeting),
        date=reported_date_label(statement),
        attribution=statement.get_attribution_display() if statement.attribution else "",
        article=article_link(statement.article),
        in_article_url=f"{article_page}#statement-{statement.pk}",
        span=f"characters {statement.start}–{statement.end}",
        topics=tuple(topic_link(t) for t in statement.topics.all()),
        api_url=reverse("statement-detail", args=[statement.pk]),
    )


# -- meetings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """An official at a meeting and the role they held there."""

    official: Link
    role: str


@dataclass(frozen=True)
class MeetingView:
    """A meeting: what, when, where, who (in what role), on which topics."""

    title: str
    url: str
    date: str
    kind: str
    place: str
    summary: str
    participants: tuple[Participant, ...]
    topics: tuple[Link, ...] = ()
    statement_count: int | None = None
    api_url: str = ""


def participant(participation) -> Participant:
    """A participation (official selected) as official and role."""
    return Participant(official_link(participation.official), participation.role)


def meeting_view(meeting, *, topics=None) -> MeetingView:
    """What a page shows of a meeting (participations with officials prefetched).

    ``topics`` are the meeting's topics when the page shows them; ``statement_count`` is read
    when the rows were annotated with it.
    """
    return MeetingView(
        title=meeting.title,
        url=reverse("reader:meeting-detail", args=[meeting.slug]),
        date=reported_date_label(meeting),
        kind=meeting.get_kind_display(),
        place=", ".join(filter(None, [meeting.location, meeting.city])) or "Place not reported",
        summary=meeting.summary,
        participants=tuple(participant(p) for p in meeting.participations.all()),
        topics=tuple(topic_link(t) for t in (topics or ())),
        statement_count=getattr(meeting, "statement_count", None),
        api_url=reverse("meeting-detail", args=[meeting.slug]),
    )


def meeting_row(meeting) -> MeetingView:
    """A meeting of a list (shaped by ``reading.meeting_rows``)."""
    return meeting_view(meeting, topics=meeting.topics.all())


@dataclass(frozen=True)
class SpeakerStatements:
    """Someone's statements within a briefing: the speaker, a role when known, the statements."""

    speaker: Link
    role: str
    statements: tuple[StatementView, ...]


@dataclass(frozen=True)
class MeetingPageView:
    """A meeting's page: the meeting, its sources, and who said what there."""

    meeting: MeetingView
    sources: tuple[Link, ...]
    touched: tuple[Link, ...]
    speakers: tuple[SpeakerStatements, ...]
    briefing_url: str


def meeting_page(page: reading.MeetingPage) -> MeetingPageView:
    """A meeting page from its dossier; statements whose speaker is not known come last."""
    dossier = page.dossier
    speakers = [
        SpeakerStatements(
            official_link(p.participation.official),
            p.participation.role,
            tuple(statement_view(s) for s in p.statements),
        )
        for p in dossier.participants
    ]
    speakers += unattributed_group(dossier.unattributed)
    slug = dossier.meeting.slug
    return MeetingPageView(
        meeting=meeting_view(dossier.meeting, topics=page.topics),
        sources=tuple(article_link(a) for a in dossier.meeting.articles.all()),
        touched=tuple(topic_link(t) for t in dossier.topics),
        speakers=tuple(speakers),
        briefing_url=reverse("meeting-briefing", args=[slug]),
    )


# -- officials ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficialView:
    """An official: name, current title and organization, and how active they are."""

    name: str
    url: str
    title: str
    organization: str
    meeting_count: int | None = None
    statement_count: int | None = None
    api_url: str = ""


def official_view(official) -> OfficialView:
    """What a page shows of an official (organization selected; counts when annotated)."""
    return OfficialView(
        name=official.name,
        url=reverse("reader:official-detail", args=[official.slug]),
        title=official.title,
        organization=official.organization.name if official.organization else "",
        meeting_count=getattr(official, "meeting_count", None),
        statement_count=getattr(official, "statement_count", None),
        api_url=reverse("official-detail", args=[official.slug]),
    )


@dataclass(frozen=True)
class RoleView:
    """A role held, and the meetings where it was held."""

    role: str
    meetings: tuple[Link, ...]


@dataclass(frozen=True)
class AttendedMeeting:
    """A meeting the official attended, in which role, with whom."""

    meeting: MeetingView
    role: str
    counterparts: tuple[Participant, ...]


@dataclass(frozen=True)
class TopicGroup:
    """Statements on one topic (``topic`` None: statements with no topic)."""

    topic: Link | None
    statements: tuple[StatementView, ...]


@dataclass(frozen=True)
class OfficialPageView:
    """An official's dossier: roles held, meetings with counterparts, statements by topic."""

    official: OfficialView
    roles: tuple[RoleView, ...]
    meetings: tuple[AttendedMeeting, ...]
    statements_by_topic: tuple[TopicGroup, ...]
    briefing_url: str


def official_page(dossier: dossiers.OfficialDossier) -> OfficialPageView:
    """An official's page from their dossier."""
    official = dossier.official
    return OfficialPageView(
        official=official_view(official),
        roles=tuple(
            RoleView(
                r.role,
                tuple(Link(f"{m.title} ({reported_date_label(m)})", meeting_link(m).url) for m in r.meetings),
            )
            for r in dossier.roles
        ),
        meetings=tuple(
            AttendedMeeting(meeting_view(m.meeting), m.role, tuple(map(participant, m.counterparts)))
            for m in dossier.meetings
        ),
        statements_by_topic=tuple(
            TopicGroup(topic_link(g.topic) if g.topic else None, tuple(map(statement_view, g.statements)))
            for g in dossier.statements_by_topic
        ),
        briefing_url=reverse("official-briefing", args=[official.slug]),
    )


# -- topics ---------------------------------------------------------------------------------------


@dataclass
class TopicNode:
    """A topic in the hierarchy, with its sub-topics and how often it was tagged."""

    link: Link
    description: str
    meeting_count: int
    statement_count: int
    children: list["TopicNode"] = field(default_factory=list)


def topic_tree(topics: list) -> list[TopicNode]:
    """The topics (annotated with counts, by name) as a forest of roots."""
    nodes = {
        t.pk: TopicNode(topic_link(t), t.description, t.meeting_count, t.statement_count) for t in topics
    }
    roots = []
    for topic in topics:
        parent = nodes.get(topic.parent_id)
        (parent.children if parent else roots).append(nodes[topic.pk])
    return roots


@dataclass(frozen=True)
class TopicPageView:
    """A topic's dossier: sub-topics covered, meetings by date, each speaker's statements."""

    name: str
    description: str
    parent: Link | None
    subtopics: tuple[Link, ...]
    meetings: tuple[MeetingView, ...]
    speakers: tuple[SpeakerStatements, ...]
    briefing_url: str
    api_url: str


def unattributed_group(statements: list) -> tuple[SpeakerStatements, ...]:
    """The statements whose speaker the article does not name, as one group (none: no group)."""
    if not statements:
        return ()
    return (SpeakerStatements(official_link(None), "", tuple(map(statement_view, statements))),)


def topic_page(dossier: dossiers.TopicDossier) -> TopicPageView:
    """A topic's page from its dossier."""
    topic = dossier.topic
    return TopicPageView(
        name=topic.name,
        description=topic.description,
        parent=topic_link(topic.parent) if topic.parent_id else None,
        subtopics=tuple(map(topic_link, dossier.subtopics)),
        meetings=tuple(map(meeting_view, dossier.meetings)),
        speakers=tuple(
            SpeakerStatements(official_link(s.official), "", tuple(map(statement_view, s.statements)))
            for s in dossier.speakers
        )
        + unattributed_group(dossier.unattributed),
        briefing_url=reverse("topic-briefing", args=[topic.slug]),
        api_url=reverse("topic-detail", args=[topic.slug]),
    )


# -- articles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleView:
    """A source article's metadata."""

    title: str
    url: str
    publisher: str
    published_on: str
    source_url: str
    meeting_count: int | None = None
    statement_count: int | None = None
    api_url: str = ""


def article_view(article) -> ArticleView:
    """What a page shows of an article (counts when annotated)."""
    return ArticleView(
        title=article.title,
        url=reverse("reader:article-detail", args=[article.slug]),
        publisher=article.publisher,
        published_on=date_label(article.published_on),
        source_url=article.url,
        meeting_count=getattr(article, "meeting_count", None),
        statement_count=getattr(article, "statement_count", None),
        api_url=reverse("article-detail", args=[article.slug]),
    )


@dataclass(frozen=True)
class Highlight:
    """A run of the body: its text, the statements covering it, and those it opens and closes."""

    text: str
    statement_ids: str
    depth: int
    opens: tuple[StatementView, ...]
    closes: tuple[StatementView, ...]

    @property
    def css_class(self) -> str:
        """``depth-1`` for one statement, ``depth-2`` for two, ``depth-3`` for three or more."""
        return f"depth-{min(self.depth, 3)}"


@dataclass(frozen=True)
class ArticlePageView:
    """An article with its body as highlighted runs and its statements in order."""

    article: ArticleView
    meetings: tuple[Link, ...]
    paragraphs: tuple[tuple[Highlight, ...], ...]
    statements: tuple[StatementView, ...]


def article_page(page: reading.ArticlePage) -> ArticlePageView:
    """An article page: each run knows its statements by id (``data-statements``) and depth."""
    views = {s.pk: statement_view(s) for s in page.statements}
    return ArticlePageView(
        article=article_view(page.article),
        meetings=tuple(
            Link(f"{m.title} ({reported_date_label(m)})", meeting_link(m).url) for m in page.meetings
        ),
        paragraphs=tuple(
            tuple(
                Highlight(
                    text=run.text,
                    statement_ids=" ".join(str(key) for key in run.keys),
                    depth=len(run.keys),
                    opens=tuple(views[key] for key in run.opens),
                    closes=tuple(views[key] for key in run.closes),
                )
                for run in runs
            )
            for runs in page.paragraphs
        ),
        statements=tuple(views.values()),
    )
