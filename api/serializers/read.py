"""Representations of the briefing domain: brief (for nesting), list item and detail.

Each resource's JSON is declared here once. The views never run these serializers per object:
``api.representation`` compiles each declaration into bulk queries and row-to-dict functions
(lists and details alike), so what is declared here is what every path returns. Nested lists
say their order (``nested(order_by=...)``; default: the related model's ``Meta.ordering``) and
bound (``limit``); counts are ``CountField``s. The brief serializers also render model
instances directly, for the briefings.
"""

import datetime

from django.db.models import F
from rest_framework import serializers

from api.representation import CountField, nested
from api.serializers.fields import OptionalURLField
from api.serializers.links import LinkField, link
from briefing.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Participation,
    Statement,
    Topic,
    statement_sort_date,
)

# -- brief representations, for nesting ----------------------------------------------------------


class FlatSerializer(serializers.ModelSerializer):
    """A small nested representation rendered straight from attributes.

    Brief objects appear hundreds of times on a page; DRF's generic per-field machinery is
    most of a page's cost there. Fields stay declared as usual (they make the schema); only the
    rendering is direct: plain attributes, dates in ISO 8601, links, nested flat serializers.
    """

    def to_representation(self, instance):
        request = self.context.get("request")
        data = {}
        for name, field in self.fields.items():
            if isinstance(field, LinkField):
                data[name] = field.get_url(instance, field.view_name, request, None)
                continue
            value = getattr(instance, field.source)
            if isinstance(field, FlatSerializer):
                data[name] = None if value is None else field.to_representation(value)
            elif isinstance(value, datetime.date):
                data[name] = value.isoformat()
            else:
                data[name] = value
        return data


class BriefOrganizationSerializer(FlatSerializer):
    url = link("organization-detail")

    class Meta:
        model = Organization
        fields = ["slug", "name", "url"]


class BriefOfficialSerializer(FlatSerializer):
    url = link("official-detail")

    class Meta:
        model = Official
        fields = ["slug", "name", "url"]


class BriefTopicSerializer(FlatSerializer):
    url = link("topic-detail")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url"]


class BriefArticleSerializer(FlatSerializer):
    url = link("article-detail")

    class Meta:
        model = Article
        fields = ["slug", "title", "url"]


class BriefMeetingSerializer(FlatSerializer):
    url = link("meeting-detail")

    class Meta:
        model = Meeting
        fields = ["slug", "title", "date", "url"]


class ParticipantSerializer(FlatSerializer):
    """An official at a meeting, with the role held at the time."""

    official = BriefOfficialSerializer()

    class Meta:
        model = Participation
        fields = ["official", "role"]


class MeetingRoleSerializer(FlatSerializer):
    """A meeting an official took part in, with the role they held there."""

    meeting = BriefMeetingSerializer()

    class Meta:
        model = Participation
        fields = ["meeting", "role"]


class StatementSummarySerializer(serializers.ModelSerializer):
    """A statement nested in its meeting, article or speaker: text, speaker and span."""

    url = link("statement-detail", "pk")
    speaker = BriefOfficialSerializer()
    article = BriefArticleSerializer()

    class Meta:
        model = Statement
        fields = ["id", "url", "text", "kind", "speaker", "article", "date", "start", "end"]


# Newest first, undated last, on every database (PostgreSQL alone would put undated first).
ARTICLE_ORDER = (F("published_on").desc(nulls_last=True), "title", "id")


# -- meetings -------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting: when and where, who took part in what role, the topics and the sources."""

    url = link("meeting-detail")
    participants = nested(ParticipantSerializer, source="participations")
    topics = nested(BriefTopicSerializer)
    articles = nested(BriefArticleSerializer, order_by=ARTICLE_ORDER, help_text="Newest first, undated last.")
    statement_count = CountField(Statement, "meeting", help_text="Statements made at the meeting.")

    class Meta:
        model = Meeting
        fields = [
            "slug", "url", "title", "date", "kind", "location", "city", "summary",
            "participants", "topics", "articles", "statement_count",
        ]  # fmt: skip


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with the statements made at it, in article order."""

    statements = nested(
        StatementSummarySerializer,
        # The articles in the order `articles` lists them, each one's statements in its order.
        order_by=(
            F("article__published_on").desc(nulls_last=True),
            "article__title",
            "article_id",
            "position",
            "id",
        ),
        help_text="By article (in the order of `articles`), then in article order.",
    )

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "statements"]


# -- statements -----------------------------------------------------------------------------------


class StatementSerializer(serializers.ModelSerializer):
    """A statement: its verbatim text, who said it, where, and its span in the source article."""

    url = link("statement-detail", "pk")
    speaker = BriefOfficialSerializer(read_only=True)
    meeting = BriefMeetingSerializer(read_only=True, allow_null=True)
    article = BriefArticleSerializer(read_only=True)
    topics = nested(BriefTopicSerializer)

    class Meta:
        model = Statement
        fields = [
            "id", "url", "text", "kind", "speaker", "meeting", "article", "topics",
            "date", "position", "start", "end",
        ]  # fmt: skip
        read_only_fields = ["position", "start", "end"]


# -- officials ------------------------------------------------------------------------------------


class OfficialSerializer(serializers.ModelSerializer):
    """An official: name, current title and organization, and how active they are."""

    url = link("official-detail")
    organization = BriefOrganizationSerializer(read_only=True, allow_null=True)
    meeting_count = CountField(Participation, "official", help_text="Meetings attended.")
    statement_count = CountField(Statement, "speaker", help_text="Statements made.")

    class Meta:
        model = Official
        fields = ["slug", "url", "name", "title", "organization", "meeting_count", "statement_count"]


class OfficialDetailSerializer(OfficialSerializer):
    """An official with the meetings attended (and the role held at each) and recent statements."""

    RECENT_STATEMENTS = 10
    RECENT_MEETINGS = 20

    # The latest few of possibly thousands: for one official, a LIMIT query each.
    meetings = nested(
        MeetingRoleSerializer,
        source="participations",
        order_by=("-meeting__date", "-meeting_id"),
        limit=RECENT_MEETINGS,
        help_text="The latest meetings attended (at most 20), newest first, with the role held; "
        "all of them: `/meetings/?official=<slug>` (`meeting_count` says how many).",
    )
    recent_statements = nested(
        StatementSummarySerializer,
        source="statements",
        order_by=(statement_sort_date().desc(), "-id"),
        limit=RECENT_STATEMENTS,
        help_text="The official's latest statements, newest first, undated last (at most 10).",
    )

    class Meta(OfficialSerializer.Meta):
        fields = [*OfficialSerializer.Meta.fields, "meetings", "recent_statements"]


# -- topics ---------------------------------------------------------------------------------------


class TopicSerializer(serializers.ModelSerializer):
    """A topic in the hierarchy, with how often it came up."""

    url = link("topic-detail")
    parent = BriefTopicSerializer(read_only=True, allow_null=True)
    children = nested(BriefTopicSerializer, help_text="Direct sub-topics.")
    meeting_count = CountField(
        Meeting.topics.through, "topic", help_text="Meetings tagged with this very topic."
    )
    statement_count = CountField(
        Statement.topics.through, "topic", help_text="Statements tagged with this very topic."
    )

    class Meta:
        model = Topic
        fields = [
            "slug",
            "url",
            "name",
            "description",
            "parent",
            "children",
            "meeting_count",
            "statement_count",
        ]


# -- articles -------------------------------------------------------------------------------------


class ArticleSerializer(serializers.ModelSerializer):
    """A source article's metadata."""

    url = link("article-detail")
    source_url = OptionalURLField(
        source="url", read_only=True, help_text="Where the article was published; null when unknown."
    )
    meeting_count = CountField(Meeting.articles.through, "article", help_text="Meetings the article reports.")
    statement_count = CountField(Statement, "article", help_text="Statements taken from it.")

    class Meta:
        model = Article
        fields = [
            "slug", "url", "title", "publisher", "source_url", "published_on", "meeting_count", "statement_count",
        ]  # fmt: skip


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its full body, the meetings it reports and the statements taken from it."""

    meetings = nested(BriefMeetingSerializer)
    statements = nested(
        StatementSummarySerializer, order_by=("position", "id"), help_text="In article order."
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "meetings", "statements"]


# -- organizations --------------------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    """An organization officials belong to."""

    url = link("organization-detail")
    parent = BriefOrganizationSerializer(read_only=True, allow_null=True)
    official_count = CountField(Official, "organization", help_text="Officials who belong to it.")

    class Meta:
        model = Organization
        fields = ["slug", "url", "name", "abbreviation", "kind", "parent", "official_count"]


class OrganizationDetailSerializer(OrganizationSerializer):
    """An organization with its officials and its sub-organizations."""

    FIRST_OFFICIALS = 100

    officials = nested(
        BriefOfficialSerializer,
        limit=FIRST_OFFICIALS,
        help_text="Its officials by name (at most 100); all of them: `/officials/?organization=<slug>`.",
    )
    children = nested(BriefOrganizationSerializer, help_text="Direct sub-organizations.")

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "officials", "children"]
