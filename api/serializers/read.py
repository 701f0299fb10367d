"""Representations of the briefing domain: brief (for nesting), list item and detail.

Each serializer declares its ``query_shape``: for each of its fields that needs more than the
row itself, the queryset change (select, prefetch, annotation) that field needs. Views apply
exactly the shapes of the fields they return, so a trimmed representation (``?fields=``) runs
leaner queries, and no field ever queries per row.
"""

import datetime
from collections.abc import Callable

from django.db.models import F, Prefetch, QuerySet
from rest_framework import serializers

from api.serializers.fields import OptionalURLField
from api.serializers.links import LinkField, link, url_for
from briefing.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Participation,
    Statement,
    Topic,
    related_count,
)

QueryShape = dict[str, Callable[[QuerySet], QuerySet]]


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


def _statement_summaries(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("speaker", "article").only(
        "text", "kind", "date", "start", "end", "position", "meeting_id",
        "speaker__slug", "speaker__name", "article__slug", "article__title",
    )  # fmt: skip


def _brief(model, *extra: str) -> QuerySet:
    """Rows with just what a brief representation shows (plus ``extra``, e.g. a prefetch's key)."""
    label = "title" if model is Article else "name"
    return model.objects.only("slug", label, *extra)


# -- meetings -------------------------------------------------------------------------------------


def _brief_rows(request, view_name: str, label: str, rows) -> dict[int, list[dict]]:
    """``(owner id, slug, label)`` rows as brief representations, grouped by owner id."""
    grouped: dict[int, list[dict]] = {}
    for owner, slug, text in rows:
        grouped.setdefault(owner, []).append(
            {"slug": slug, label: text, "url": url_for(request, view_name, "slug", slug)}
        )
    return grouped


def _meeting_participants(ids: list[int], request) -> dict[int, list[dict]]:
    rows = (
        Participation.objects.filter(meeting_id__in=ids)
        .order_by("meeting_id", "position", "id")
        .values_list("meeting_id", "role", "official__slug", "official__name")
    )
    grouped: dict[int, list[dict]] = {}
    for meeting, role, slug, name in rows:
        official = {"slug": slug, "name": name, "url": url_for(request, "official-detail", "slug", slug)}
        grouped.setdefault(meeting, []).append({"official": official, "role": role})
    return grouped


def _meeting_topics(ids: list[int], request) -> dict[int, list[dict]]:
    rows = (
        Meeting.topics.through.objects.filter(meeting_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values_list("meeting_id", "topic__slug", "topic__name")
    )
    return _brief_rows(request, "topic-detail", "name", rows)


def _meeting_articles(ids: list[int], request) -> dict[int, list[dict]]:
    rows = (
        Meeting.articles.through.objects.filter(meeting_id__in=ids)
        .order_by(F("article__published_on").desc(nulls_last=True), "article__title", "article_id")
        .values_list("meeting_id", "article__slug", "article__title")
    )
    return _brief_rows(request, "article-detail", "title", rows)


def _statement_topics(ids: list[int], request) -> dict[int, list[dict]]:
    rows = (
        Statement.topics.through.objects.filter(statement_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values_list("statement_id", "topic__slug", "topic__name")
    )
    return _brief_rows(request, "topic-detail", "name", rows)


class PageSerializer(serializers.ListSerializer):
    """A page of objects whose nested lists are fetched as plain rows, one query per list.

    The child declares ``page_loaders``: for a nested field, a function of the page's ids that
    returns each object's representations of that field. No model instance is built for the
    nested rows (the most of a page's cost with prefetching); the result is the same
    representation as the child serializer's, which the detail endpoint still uses.
    """

    def to_representation(self, data):
        objects = list(data)
        child = self.child
        request = self.context.get("request")
        ids = [obj.pk for obj in objects]
        loaded = {
            name: loader(ids, request) for name, loader in child.page_loaders.items() if name in child.fields
        }
        items = []
        for obj in objects:
            item = {}
            for name, field in child.fields.items():
                if name in loaded:
                    item[name] = loaded[name].get(obj.pk, [])
                else:
                    value = field.get_attribute(obj)
                    item[name] = None if value is None else field.to_representation(value)
            items.append(item)
        return items


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting: when and where, who took part in what role, the topics and the sources."""

    url = link("meeting-detail")
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    topics = BriefTopicSerializer(many=True, read_only=True)
    articles = BriefArticleSerializer(many=True, read_only=True)
    statement_count = serializers.IntegerField(read_only=True, help_text="Statements made at the meeting.")

    query_shape: QueryShape = {
        "participants": lambda qs: qs.prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("official"))
        ),
        "topics": lambda qs: qs.prefetch_related(Prefetch("topics", queryset=_brief(Topic))),
        "articles": lambda qs: qs.prefetch_related(Prefetch("articles", queryset=_brief(Article))),
        "statement_count": lambda qs: qs.annotate(statement_count=related_count(Statement, "meeting")),
    }
    # In a list, these nested fields are loaded as rows by PageSerializer instead of prefetched.
    page_loaders = {
        "participants": _meeting_participants,
        "topics": _meeting_topics,
        "articles": _meeting_articles,
    }

    class Meta:
        model = Meeting
        fields = [
            "slug", "url", "title", "date", "kind", "location", "city", "summary",
            "participants", "topics", "articles", "statement_count",
        ]  # fmt: skip
        list_serializer_class = PageSerializer


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with the statements made at it, in article order."""

    statements = StatementSummarySerializer(many=True, read_only=True)

    query_shape: QueryShape = MeetingSerializer.query_shape | {
        "statements": lambda qs: qs.prefetch_related(
            Prefetch(
                "statements", queryset=_statement_summaries(Statement.objects.order_by("article", "position"))
            )
        ),
    }

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "statements"]


# -- statements -----------------------------------------------------------------------------------


class StatementSerializer(serializers.ModelSerializer):
    """A statement: its verbatim text, who said it, where, and its span in the source article."""

    url = link("statement-detail", "pk")
    speaker = BriefOfficialSerializer(read_only=True)
    meeting = BriefMeetingSerializer(read_only=True, allow_null=True)
    article = BriefArticleSerializer(read_only=True)
    topics = BriefTopicSerializer(many=True, read_only=True)

    query_shape: QueryShape = {
        "speaker": lambda qs: qs.select_related("speaker"),
        "meeting": lambda qs: qs.select_related("meeting"),
        "article": lambda qs: qs.select_related("article"),
        "topics": lambda qs: qs.prefetch_related(Prefetch("topics", queryset=_brief(Topic))),
    }
    page_loaders = {"topics": _statement_topics}

    class Meta:
        model = Statement
        fields = [
            "id", "url", "text", "kind", "speaker", "meeting", "article", "topics",
            "date", "position", "start", "end",
        ]  # fmt: skip
        read_only_fields = ["position", "start", "end"]
        list_serializer_class = PageSerializer


# -- officials ------------------------------------------------------------------------------------


class OfficialSerializer(serializers.ModelSerializer):
    """An official: name, current title and organization, and how active they are."""

    url = link("official-detail")
    organization = BriefOrganizationSerializer(read_only=True, allow_null=True)
    meeting_count = serializers.IntegerField(read_only=True, help_text="Meetings attended.")
    statement_count = serializers.IntegerField(read_only=True, help_text="Statements made.")

    query_shape: QueryShape = {
        "organization": lambda qs: qs.select_related("organization"),
        "meeting_count": lambda qs: qs.annotate(meeting_count=related_count(Participation, "official")),
        "statement_count": lambda qs: qs.annotate(statement_count=related_count(Statement, "speaker")),
    }

    class Meta:
        model = Official
        fields = ["slug", "url", "name", "title", "organization", "meeting_count", "statement_count"]


class OfficialDetailSerializer(OfficialSerializer):
    """An official with the meetings attended (and the role held at each) and recent statements."""

    RECENT_STATEMENTS = 10
    RECENT_MEETINGS = 20

    meetings = MeetingRoleSerializer(
        source="recent_participations",
        many=True,
        read_only=True,
        help_text="The latest meetings attended (at most 20), newest first, with the role held; "
        "all of them: `/meetings/?official=<slug>` (`meeting_count` says how many).",
    )
    recent_statements = StatementSummarySerializer(
        many=True, read_only=True, help_text="The official's latest statements, newest first (at most 10)."
    )

    query_shape: QueryShape = OfficialSerializer.query_shape
    # The latest few of possibly thousands: one LIMIT query each for the one official shown
    # (a sliced prefetch would number every row of the official with a window function).
    detail_loaders = {
        "meetings": (
            "recent_participations",
            lambda official: (
                Participation.objects.filter(official=official)
                .select_related("meeting")
                .order_by("-meeting__date", "-meeting_id")[: OfficialDetailSerializer.RECENT_MEETINGS]
            ),
        ),
        "recent_statements": (
            "recent_statements",
            lambda official: _statement_summaries(
                Statement.objects.filter(speaker=official).order_by(F("date").desc(nulls_last=True), "-id")
            )[: OfficialDetailSerializer.RECENT_STATEMENTS],
        ),
    }

    class Meta(OfficialSerializer.Meta):
        fields = [*OfficialSerializer.Meta.fields, "meetings", "recent_statements"]


# -- topics ---------------------------------------------------------------------------------------


class TopicSerializer(serializers.ModelSerializer):
    """A topic in the hierarchy, with how often it came up."""

    url = link("topic-detail")
    parent = BriefTopicSerializer(read_only=True, allow_null=True)
    children = BriefTopicSerializer(many=True, read_only=True, help_text="Direct sub-topics.")
    meeting_count = serializers.IntegerField(
        read_only=True, help_text="Meetings tagged with this very topic."
    )
    statement_count = serializers.IntegerField(
        read_only=True, help_text="Statements tagged with this very topic."
    )

    query_shape: QueryShape = {
        "parent": lambda qs: qs.select_related("parent"),
        "children": lambda qs: qs.prefetch_related(Prefetch("children", queryset=_brief(Topic, "parent"))),
        "meeting_count": lambda qs: qs.annotate(meeting_count=related_count(Meeting.topics.through, "topic")),
        "statement_count": lambda qs: qs.annotate(
            statement_count=related_count(Statement.topics.through, "topic")
        ),
    }

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
    meeting_count = serializers.IntegerField(read_only=True, help_text="Meetings the article reports.")
    statement_count = serializers.IntegerField(read_only=True, help_text="Statements taken from it.")

    query_shape: QueryShape = {
        "meeting_count": lambda qs: qs.annotate(
            meeting_count=related_count(Meeting.articles.through, "article")
        ),
        "statement_count": lambda qs: qs.annotate(statement_count=related_count(Statement, "article")),
    }

    class Meta:
        model = Article
        fields = [
            "slug", "url", "title", "publisher", "source_url", "published_on", "meeting_count", "statement_count",
        ]  # fmt: skip


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its full body, the meetings it reports and the statements taken from it."""

    meetings = BriefMeetingSerializer(many=True, read_only=True)
    statements = StatementSummarySerializer(many=True, read_only=True, help_text="In article order.")

    query_shape: QueryShape = ArticleSerializer.query_shape | {
        "meetings": lambda qs: qs.prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.only("slug", "title", "date"))
        ),
        "statements": lambda qs: qs.prefetch_related(
            Prefetch(
                "statements", queryset=_statement_summaries(Statement.objects.order_by("position", "id"))
            )
        ),
    }

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "meetings", "statements"]


# -- organizations --------------------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    """An organization officials belong to."""

    url = link("organization-detail")
    parent = BriefOrganizationSerializer(read_only=True, allow_null=True)
    official_count = serializers.IntegerField(read_only=True, help_text="Officials who belong to it.")

    query_shape: QueryShape = {
        "parent": lambda qs: qs.select_related("parent"),
        "official_count": lambda qs: qs.annotate(official_count=related_count(Official, "organization")),
    }

    class Meta:
        model = Organization
        fields = ["slug", "url", "name", "abbreviation", "kind", "parent", "official_count"]


class OrganizationDetailSerializer(OrganizationSerializer):
    """An organization with its officials and its sub-organizations."""

    FIRST_OFFICIALS = 100

    officials = BriefOfficialSerializer(
        source="first_officials",
        many=True,
        read_only=True,
        help_text="Its officials by name (at most 100); all of them: `/officials/?organization=<slug>`.",
    )
    children = BriefOrganizationSerializer(many=True, read_only=True, help_text="Direct sub-organizations.")

    query_shape: QueryShape = OrganizationSerializer.query_shape | {
        "officials": lambda qs: qs.prefetch_related(
            Prefetch(
                "officials",
                queryset=_brief(Official, "organization")[: OrganizationDetailSerializer.FIRST_OFFICIALS],
                to_attr="first_officials",
            )
        ),
        "children": lambda qs: qs.prefetch_related(
            Prefetch("children", queryset=_brief(Organization, "parent"))
        ),
    }

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "officials", "children"]
