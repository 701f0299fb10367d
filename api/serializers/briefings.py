"""Briefings (dossiers) as JSON: see briefing.dossiers for how they are gathered."""

from rest_framework import serializers

from api.serializers.fields import CurrentTitleField, ReportedDateField
from api.serializers.links import link
from api.serializers.read import (
    BriefArticleSerializer,
    BriefMeetingSerializer,
    BriefOfficialSerializer,
    BriefOrganizationSerializer,
    BriefTopicSerializer,
    ParticipantSerializer,
)
from briefing.models import Meeting, Official, Statement, Topic


class BriefingStatementSerializer(serializers.ModelSerializer):
    """A statement in a briefing, with its meeting, date, topics and provenance."""

    url = link("statement-detail", "pk")
    speaker = BriefOfficialSerializer(
        allow_null=True, help_text="Who said it; null when the article does not say."
    )
    meeting = BriefMeetingSerializer(allow_null=True)
    article = BriefArticleSerializer()
    topics = BriefTopicSerializer(many=True)
    date = ReportedDateField()

    class Meta:
        model = Statement
        fields = [
            "id",
            "url",
            "text",
            "kind",
            "speaker",
            "attribution",
            "date",
            "meeting",
            "article",
            "start",
            "end",
            "topics",
        ]


class BriefingMeetingSerializer(serializers.ModelSerializer):
    """A meeting in a briefing: when, where, and who took part in what role."""

    url = link("meeting-detail")
    date = ReportedDateField()
    participants = ParticipantSerializer(source="participations", many=True)

    class Meta:
        model = Meeting
        fields = [
            "slug", "url", "title", "date", "date_as_reported", "kind", "location", "city", "summary",
            "participants", "participants_complete",
        ]  # fmt: skip


class BriefingTopicSerializer(serializers.ModelSerializer):
    url = link("topic-detail")

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "description"]


class SpeakerStatementsSerializer(serializers.Serializer):
    """One official's statements on the topic, in date and article order."""

    official = BriefOfficialSerializer()
    statement_count = serializers.IntegerField()
    statements = BriefingStatementSerializer(many=True)


class TopicBriefingSerializer(serializers.Serializer):
    """A topic's dossier: meetings where it (or a sub-topic) came up, and who said what on it."""

    topic = BriefingTopicSerializer()
    subtopics = BriefTopicSerializer(many=True, help_text="Every topic below this one; all are covered.")
    meetings = BriefingMeetingSerializer(many=True, help_text="In date order, undated last.")
    speakers = SpeakerStatementsSerializer(many=True, help_text="Most statements first.")
    unattributed = BriefingStatementSerializer(
        many=True, help_text="Statements on the topic whose speaker the article does not name."
    )


class BriefingOfficialSerializer(serializers.ModelSerializer):
    url = link("official-detail")
    title = CurrentTitleField(help_text="Current title: as an editor set it, else the post still held.")
    organization = BriefOrganizationSerializer(allow_null=True)

    class Meta:
        model = Official
        fields = ["slug", "url", "name", "title", "organization"]


class RoleHeldSerializer(serializers.Serializer):
    """A role the official held, and the meetings where they held it."""

    role = serializers.CharField()
    meetings = BriefMeetingSerializer(many=True)


class MeetingWithCounterpartsSerializer(serializers.Serializer):
    """A meeting the official attended, in what role, and with whom."""

    meeting = BriefingMeetingSerializer()
    role = serializers.CharField()
    counterparts = ParticipantSerializer(many=True)


class TopicStatementsSerializer(serializers.Serializer):
    """The official's statements on one topic (null: statements with no topic)."""

    topic = BriefTopicSerializer(allow_null=True)
    statements = BriefingStatementSerializer(many=True)


class OfficialBriefingSerializer(serializers.Serializer):
    """An official's dossier: roles held, meetings with counterparts, statements by topic."""

    official = BriefingOfficialSerializer()
    roles = RoleHeldSerializer(many=True)
    meetings = MeetingWithCounterpartsSerializer(many=True, help_text="In date order.")
    statements_by_topic = TopicStatementsSerializer(many=True, help_text="Topics with most statements first.")


class ParticipantStatementsSerializer(serializers.Serializer):
    """A participant, the role held, and what they said at the meeting (article order)."""

    official = BriefOfficialSerializer(source="participation.official")
    role = serializers.CharField(source="participation.role")
    statements = BriefingStatementSerializer(many=True)


class MeetingBriefingSerializer(serializers.Serializer):
    """A meeting's dossier: its participants' statements in article order and the topics touched."""

    meeting = BriefingMeetingSerializer()
    articles = BriefArticleSerializer(source="meeting.articles", many=True)
    participants = ParticipantStatementsSerializer(many=True)
    unattributed = BriefingStatementSerializer(
        many=True, help_text="Statements at the meeting whose speaker the article does not name."
    )
    topics = BriefTopicSerializer(many=True, help_text="Topics the statements touched.")
