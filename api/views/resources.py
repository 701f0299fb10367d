"""The collections: thin viewsets over the briefing domain (the shared behaviour is in ``base``)."""

import datetime

from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from drf_orjson_renderer.renderers import ORJSONRenderer as JSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from api import filters, markdown, renderers, serializers
from api.pagination import FacetedKeysetPagination
from api.serializers import briefings as briefing_serializers
from api.views.base import CSV_BATCH, BriefingViewSet
from briefing import dossiers, services
from briefing.dates import Precision
from briefing.facets import MEETING_FACETS, STATEMENT_FACETS
from briefing.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Participation,
    Post,
    Statement,
    Topic,
    sort_date,
)

BRIEFING_ACTION = {
    "detail": True,
    "methods": ["get"],
    "renderer_classes": [JSONRenderer, markdown.MarkdownRenderer],
    "pagination_class": None,
}


def briefing_schema(serializer_class, description: str):
    """Document a briefing: JSON (`serializer_class`) or Markdown text."""
    return extend_schema(
        description=description,
        responses={(200, "application/json"): serializer_class, (200, "text/markdown"): OpenApiTypes.STR},
    )


def _briefing(view, build, serializer_class) -> Response:
    """The dossier ``build`` makes of the view's object, serialized."""
    return Response(serializer_class(build(view.get_object()), context=view.get_serializer_context()).data)


class MeetingViewSet(BriefingViewSet):
    """Meetings between officials: who met whom, when and where, and about what."""

    # Meetings whose date the article does not give sort as the oldest.
    queryset = Meeting.objects.annotate(sort_date=sort_date())
    write_serializer_class = serializers.MeetingWriteSerializer
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filterset_class = filters.MeetingFilterSet
    pagination_class = FacetedKeysetPagination
    facets = MEETING_FACETS
    lookup_field = "slug"
    ordering_fields = ["date", "title"]
    ordering_aliases = {"date": "sort_date"}
    ordering = ["-date"]
    markdown = staticmethod(markdown.meeting_markdown)

    def get_renderers(self):
        if self.action == "calendar":
            return [renderers.ICalendarRenderer()]
        return super().get_renderers()

    @extend_schema(
        operation_id="meetings_calendar",
        summary="Meetings as an iCalendar feed",
        description="The meetings the filters select (all of them, not a page) whose day the article "
        "gives, one all-day event each with place, participants, topics and a link back. A meeting dated "
        "only to a month or a year, or not at all, has no day to put in a calendar and is left out "
        "(`/meetings/?date_precision=month` lists them). Subscribe to it from a calendar app.",
        filters=True,
        responses={(200, "text/calendar"): OpenApiTypes.STR},
    )
    def calendar(self, request, *args, **kwargs):
        meetings = (
            self.filter_queryset(self.get_queryset())
            .filter(date_precision=Precision.DAY)
            .prefetch_related(
                Prefetch("participations", queryset=Participation.objects.select_related("official")),
                "topics",
            )
        )
        ics = renderers.meetings_calendar(
            meetings.iterator(chunk_size=CSV_BATCH),
            link=lambda slug: request.build_absolute_uri(reverse("meeting-detail", args=[slug])),
            host=request.get_host(),
        )
        return Response(ics, headers={"Content-Disposition": 'inline; filename="meetings.ics"'})

    @briefing_schema(
        briefing_serializers.MeetingBriefingSerializer,
        "The meeting with each participant's statements in article order, and the topics they "
        "touched. `?format=md` (or `Accept: text/markdown`) gives it as Markdown.",
    )
    @action(**BRIEFING_ACTION)
    def briefing(self, request, *args, **kwargs):
        return _briefing(self, dossiers.meeting_dossier, briefing_serializers.MeetingBriefingSerializer)


class StatementViewSet(BriefingViewSet):
    """Statements: who said what, verbatim, with its span in the source article."""

    queryset = Statement.objects.annotate(sort_date=sort_date())
    lookup_value_regex = r"[0-9]+"
    write_serializer_class = serializers.StatementWriteSerializer
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilterSet
    pagination_class = FacetedKeysetPagination
    facets = STATEMENT_FACETS
    ordering_fields = ["date", "position"]
    # Statements whose date the article does not give sort as the oldest.
    ordering_aliases = {"date": "sort_date"}
    ordering = ["-date"]

    def perform_destroy(self, instance) -> None:
        services.statement_delete(statement=instance)


class OfficialViewSet(BriefingViewSet):
    """Officials: who they are, where they belong, what they attended and said."""

    queryset = Official.objects.all()
    write_serializer_class = serializers.OfficialWriteSerializer
    serializer_class = serializers.OfficialSerializer
    detail_serializer_class = serializers.OfficialDetailSerializer
    filterset_class = filters.OfficialFilterSet
    lookup_field = "slug"
    ordering_fields = ["name"]
    ordering = ["name"]
    markdown = staticmethod(markdown.official_markdown)

    @briefing_schema(
        briefing_serializers.OfficialBriefingSerializer,
        "The official's dossier: roles held (with the meetings where each was held), meetings with "
        "counterparts, and statements grouped by topic. `?format=md` gives it as Markdown.",
    )
    @action(**BRIEFING_ACTION)
    def briefing(self, request, *args, **kwargs):
        return _briefing(self, dossiers.official_dossier, briefing_serializers.OfficialBriefingSerializer)


class TopicViewSet(BriefingViewSet):
    """Topics of discussion, in a hierarchy."""

    queryset = Topic.objects.all()
    write_serializer_class = serializers.TopicWriteSerializer
    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilterSet
    lookup_field = "slug"
    ordering_fields = ["name"]
    ordering = ["name"]
    markdown = staticmethod(markdown.topic_markdown)

    @briefing_schema(
        briefing_serializers.TopicBriefingSerializer,
        "Who said what on the topic and its sub-topics: the meetings where it was discussed, in "
        "date order, and each official's statements on it with meeting, date, article and span. "
        "`?format=md` gives it as Markdown.",
    )
    @action(**BRIEFING_ACTION)
    def briefing(self, request, *args, **kwargs):
        return _briefing(self, dossiers.topic_dossier, briefing_serializers.TopicBriefingSerializer)


class ArticleViewSet(BriefingViewSet):
    """Source articles: every meeting and statement is traceable to one."""

    # Articles whose date is unknown sort as the oldest (a keyset needs a non-null sort key).
    queryset = Article.objects.annotate(sort_published_on=Coalesce("published_on", Value(datetime.date.min)))
    write_serializer_class = serializers.ArticleWriteSerializer
    serializer_class = serializers.ArticleSerializer
    detail_serializer_class = serializers.ArticleDetailSerializer
    filterset_class = filters.ArticleFilterSet
    lookup_field = "slug"
    ordering_fields = ["published_on", "title"]
    ordering_aliases = {"published_on": "sort_published_on"}
    ordering = ["title"]


class OrganizationViewSet(BriefingViewSet):
    """Organizations officials belong to: alliances, governments and their departments."""

    queryset = Organization.objects.all()
    write_serializer_class = serializers.OrganizationWriteSerializer
    serializer_class = serializers.OrganizationSerializer
    detail_serializer_class = serializers.OrganizationDetailSerializer
    filterset_class = filters.OrganizationFilterSet
    lookup_field = "slug"
    ordering_fields = ["name"]
    ordering = ["name"]


class PostViewSet(BriefingViewSet):
    """Posts (offices) and who held each when: `US Secretary of State`, from a day to a day."""

    queryset = Post.objects.all()
    write_serializer_class = serializers.PostWriteSerializer
    serializer_class = serializers.PostSerializer
    filterset_class = filters.PostFilterSet
    lookup_field = "slug"
    ordering_fields = ["label"]
    ordering = ["label"]
