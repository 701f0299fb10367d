"""Briefings: a topic's, an official's or a meeting's dossier, gathered in a fixed number of queries.

Each function returns plain dataclasses holding model rows; the API renders them as JSON or
Markdown. Statements keep their provenance (article, span) throughout.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet

from briefing.models import Meeting, Official, Participation, Statement, Topic


def _statements() -> QuerySet:
    """Statements with what a briefing shows of each, in date and article order."""
    return (
        Statement.objects.select_related("speaker", "meeting", "article")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("slug", "name")))
        .order_by(F("date").asc(nulls_last=True), "article_id", "position")
    )


def _meetings() -> QuerySet:
    """Meetings with their participants, in date order."""
    participations = Participation.objects.select_related("official")
    # Meetings whose date the article does not give come last.
    return Meeting.objects.prefetch_related(Prefetch("participations", queryset=participations)).order_by(
        F("date").asc(nulls_last=True), "id"
    )


@dataclass
class SpeakerStatements:
    """One official's statements within a briefing."""

    official: Official
    statements: list[Statement]

    @property
    def statement_count(self) -> int:
        return len(self.statements)


@dataclass
class TopicDossier:
    """What was discussed and said on a topic and its sub-topics."""

    topic: Topic
    subtopics: list[Topic]
    meetings: list[Meeting]
    speakers: list[SpeakerStatements]
    unattributed: list[Statement] = field(default_factory=list)


def topic_dossier(topic: Topic) -> TopicDossier:
    """The meetings on ``topic`` (or a sub-topic) by date, and each official's statements on it."""
    ids = Topic.subtree_ids({topic.pk})
    subtopics = list(Topic.objects.filter(pk__in=ids).exclude(pk=topic.pk).order_by("name"))
    meetings = list(_meetings().on_topic_ids(ids))
    by_speaker: dict[int | None, list[Statement]] = defaultdict(list)
    for statement in _statements().on_topic_ids(ids):
        by_speaker[statement.speaker_id].append(statement)
    unattributed = by_speaker.pop(None, [])
    speakers = [SpeakerStatements(s[0].speaker, s) for s in by_speaker.values()]
    speakers.sort(key=lambda s: (-s.statement_count, s.official.name))
    return TopicDossier(topic, subtopics, meetings, speakers, unattributed)


@dataclass
class RoleHeld:
    """A role an official held, and the meetings where they held it."""

    role: str
    meetings: list[Meeting]


@dataclass
class MeetingWithCounterparts:
    """A meeting the official attended, the role they held, and who else took part."""

    meeting: Meeting
    role: str
    counterparts: list[Participation]


@dataclass
class TopicStatements:
    """The official's statements on one topic (``topic`` is None for untagged statements)."""

    topic: Topic | None
    statements: list[Statement] = field(default_factory=list)


@dataclass
class OfficialDossier:
    """What an official did and said: roles, meetings with counterparts, statements by topic."""

    official: Official
    roles: list[RoleHeld]
    meetings: list[MeetingWithCounterparts]
    statements_by_topic: list[TopicStatements]


def official_dossier(official: Official) -> OfficialDossier:
    """The official's roles (with where each was held), meetings and statements grouped by topic."""
    meetings = list(_meetings().filter(participations__official=official))
    roles: dict[str, RoleHeld] = {}
    attended = []
    for meeting in meetings:
        own = next(p for p in meeting.participations.all() if p.official_id == official.pk)
        roles.setdefault(own.role, RoleHeld(own.role, [])).meetings.append(meeting)
        others = [p for p in meeting.participations.all() if p.official_id != official.pk]
        attended.append(MeetingWithCounterparts(meeting, own.role, others))
    groups: dict[int | None, TopicStatements] = {}
    for statement in _statements().filter(speaker=official):
        for topic in statement.topics.all() or [None]:
            key = topic.pk if topic else None
            groups.setdefault(key, TopicStatements(topic)).statements.append(statement)
    by_topic = sorted(
        groups.values(), key=lambda g: (g.topic is None, -len(g.statements), g.topic and g.topic.name)
    )
    return OfficialDossier(official, list(roles.values()), attended, by_topic)


@dataclass
class ParticipantStatements:
    """A participant of a meeting, the role held, and what they said there."""

    participation: Participation
    statements: list[Statement]


@dataclass
class MeetingDossier:
    """A meeting with each participant's statements in article order, and the topics touched."""

    meeting: Meeting
    participants: list[ParticipantStatements]
    topics: list[Topic]
    unattributed: list[Statement] = field(default_factory=list)


def meeting_dossier(meeting: Meeting) -> MeetingDossier:
    """The meeting, its participants' statements in article order, and the topics they touched."""
    meeting = _meetings().prefetch_related("articles").get(pk=meeting.pk)
    statements = list(_statements().filter(meeting=meeting).order_by("article_id", "position"))
    participants = [
        ParticipantStatements(p, [s for s in statements if s.speaker_id == p.official_id])
        for p in meeting.participations.all()
    ]
    touched = {t.pk: t for s in statements for t in s.topics.all()}
    topics = sorted(touched.values(), key=lambda t: t.name)
    unattributed = [s for s in statements if s.speaker_id is None]
    return MeetingDossier(meeting, participants, topics, unattributed)
