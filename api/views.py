"""Thin viewsets over the briefing domain; the query shape follows the serializer in use.

Reads are open to everyone; writes need a user with the matching Django model permission
(token or session authentication). Writes validate through ``briefing.services``, answer with
the object's full representation and its ``ETag``, and honour ``If-Match`` (412 when stale).
"""

import datetime
import hashlib
from itertools import islice

from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from drf_orjson_renderer.renderers import ORJSONRenderer as JSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api import filters, idempotency, markdown, renderers, serializers
from api.pagination import FacetedKeysetPagination, HistoryPagination
from api.representation import Representation, represent
from api.serializers import briefings as briefing_serializers
from briefing import dossiers, history, services
from briefing.facets import MEETING_FACETS, STATEMENT_FACETS
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
from briefing.responses import mark_cacheable

# Rows of a CSV export serialized at a time (each batch costs the list's fixed queries).
CSV_BATCH = 500
WRITE_ACTIONS = {"create", "update", "partial_update"}


class PreconditionFailed(exceptions.APIException):
    """The client's `If-Match` names a representation that is no longer current."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it; fetch it again and reapply your change."
    default_code = "precondition_failed"


def sort_keys(queryset) -> list[str]:
    """The names a filtered queryset is ordered by: rows must hold them for the cursor position."""
    return [term.lstrip("-") for term in queryset.query.order_by if isinstance(term, str)]


class BriefingViewSet(viewsets.ModelViewSet):
    """Shared behaviour: list/detail/write serializers, sparse fields, compiled reads, ETags.

    Reads never run a serializer per object: lists and details are built by the compiled
    representation of the serializer in use (api.representation), whose queries select exactly
    the returned fields.
    """

    # Slugs as the models allow them: anything else is a 404 from the router, never a query.
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    detail_serializer_class: type | None = None
    write_serializer_class: type | None = None

    # -- serializers and representations -----------------------------------------------------------

    def read_serializer_class(self, *, detail: bool = True):
        """The representation: the detail serializer for one object, the list one for lists."""
        if detail and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_serializer_class(self):
        if self.action in WRITE_ACTIONS:
            return self.write_serializer_class
        if self.action == "history":
            return serializers.HistoryEntrySerializer
        return self.read_serializer_class(detail=self.action != "list")

    def wanted_fields(self) -> list[str]:
        """The fields to return: all, or those `?fields=` names, less those `?omit=` names."""
        if getattr(self, "_wanted_fields", None) is None:
            self._wanted_fields = self._parse_wanted_fields()
        return self._wanted_fields

    def _parse_wanted_fields(self) -> list[str]:
        # Every representation lists its fields in Meta.fields; no need to build a serializer.
        available = list(self.read_serializer_class(detail=self.action != "list").Meta.fields)
        wanted = available
        params = self.request.query_params if self.request else {}
        for param in ("fields", "omit"):
            if param not in params:
                continue
            # Comma-separated, repeated, or both (`fields=slug,title` = `fields=slug&fields=title`).
            names = [n.strip() for value in params.getlist(param) for n in value.split(",") if n.strip()]
            unknown = [n for n in names if n not in available]
            if unknown or not names:
                listed = ", ".join(unknown) or "(none given)"
                raise exceptions.ValidationError(
                    {param: [f"Unknown field(s) {listed}. Available: {', '.join(available)}."]},
                    code="invalid_choice",
                )
            wanted = [n for n in wanted if (n in names) == (param == "fields")]
        return wanted

    def represented(self, *, detail: bool) -> Representation:
        """The compiled representation of the detail, or of a list item (api.representation)."""
        return represent(self.read_serializer_class(detail=detail))

    def get_renderers(self):
        if self.action == "list":
            return [JSONRenderer(), renderers.CSVRenderer()]
        return super().get_renderers()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            # Reads are the same for everyone: the shared response cache may keep them.
            mark_cacheable(response)
        return response

    # -- representations and ETags ---------------------------------------------------------------

    def representation(self, instance) -> dict:
        """The object's full detail representation, as GET returns it."""
        return self.represented(detail=True).one(super().get_queryset().filter(pk=instance.pk), self.request)

    @staticmethod
    def etag(data: dict) -> str:
        """The entity tag of a representation: a hash of its JSON, as ConditionalGetMiddleware makes."""
        return f'"{hashlib.md5(JSONRenderer().render(data), usedforsecurity=False).hexdigest()}"'

    def check_if_match(self, instance) -> None:
        """Refuse a write whose `If-Match` does not name the current representation (412)."""
        if_match = self.request.headers.get("If-Match")
        if not if_match or if_match.strip() == "*":
            return
        current = self.etag(self.representation(instance))
        offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        if current not in offered:
            raise PreconditionFailed()

    def locked_object(self):
        """The object of this request, locked for the rest of the transaction."""
        queryset = self.filter_queryset(self.get_queryset()).select_for_update(of=("self",))
        obj = queryset.filter(
            **{self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        ).first()
        if obj is None:
            raise exceptions.NotFound()
        self.check_object_permissions(self.request, obj)
        return obj

    def written(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        data = self.representation(instance)
        headers = {"ETag": self.etag(data)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = data["url"]
        return Response(data, status=status_code, headers=headers)

    # -- actions ---------------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == renderers.CSVRenderer.format:
            return self.csv_export()
        representation, names = self.represented(detail=False), self.wanted_fields()
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(representation.rows(queryset, names, keep=sort_keys(queryset)))
        return self.get_paginated_response(representation.build(page, request, names))

    def csv_export(self) -> StreamingHttpResponse:
        """Every filtered row (not a page) as CSV, streamed in batches."""
        representation, names = self.represented(detail=False), self.wanted_fields()
        queryset = self.filter_queryset(self.get_queryset())
        rows = representation.rows(queryset, names).iterator(chunk_size=CSV_BATCH)

        def items():
            while batch := list(islice(rows, CSV_BATCH)):
                yield from representation.build(batch, self.request, names)

        response = StreamingHttpResponse(
            renderers.csv_lines(names, items()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.basename}s.csv"'
        return response

    def retrieve(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        data = self.represented(detail=True).one(queryset.filter(**lookup), request, self.wanted_fields())
        if data is None:
            raise exceptions.NotFound()
        response = Response(data)
        if not {"fields", "omit"} & set(request.query_params):
            response["ETag"] = self.etag(data)
        return response

    # Each write and its answer commit together (api.idempotency.run): a committed write is never
    # answered with an error, and a retry with the same Idempotency-Key gets the first answer.

    def create(self, request, *args, **kwargs):
        def write():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            return self.written(serializer.save(), status.HTTP_201_CREATED)

        return idempotency.run(request, write)

    def update(self, request, *args, partial: bool = False, **kwargs):
        def write():
            instance = self.locked_object()
            self.check_if_match(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            return self.written(serializer.save())

        return idempotency.run(request, write)

    def destroy(self, request, *args, **kwargs):
        def write():
            instance = self.locked_object()
            self.check_if_match(instance)
            self.perform_destroy(instance)
            return Response(status=status.HTTP_204_NO_CONTENT)

        return idempotency.run(request, write)

    def perform_destroy(self, instance) -> None:
        """Delete through the entity's service (default: one row, with its history record)."""
        services.record_delete(instance=instance)

    @extend_schema(responses=serializers.HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=HistoryPagination, filter_backends=[])
    def history(self, request, *args, **kwargs):
        """The object's change history, newest first: who changed what, when, and why."""
        instance = self.get_object()
        page = self.paginate_queryset(history.history_of(instance))
        records = list(page)
        # The record before the oldest on this page, to diff that one too.
        older = (
            history.history_of(instance).filter(history_id__lt=records[-1].history_id).first()
            if records
            else None
        )
        for record, previous in zip(records, [*records[1:], older][: len(records)], strict=True):
            record.changes = history.changes(record, previous)
            record.history_kind = history.HISTORY_TYPES[record.history_type]
        context = {
            **self.get_serializer_context(),
            "show_users": history.shows_editors(request.user, type(instance)),
        }
        response = self.get_paginated_response(self.get_serializer(records, many=True, context=context).data)
        # Editors see names that others do not: a shared cache must keep the answers apart.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response


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

    queryset = Meeting.objects.all()
    write_serializer_class = serializers.MeetingWriteSerializer
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filterset_class = filters.MeetingFilterSet
    pagination_class = FacetedKeysetPagination
    facets = MEETING_FACETS
    lookup_field = "slug"
    ordering_fields = ["date", "title"]
    ordering = ["-date"]
    markdown = staticmethod(markdown.meeting_markdown)

    def get_renderers(self):
        if self.action == "calendar":
            return [renderers.ICalendarRenderer()]
        return super().get_renderers()

    @extend_schema(
        operation_id="meetings_calendar",
        summary="Meetings as an iCalendar feed",
        description="The meetings the filters select (all of them, not a page), one all-day event each "
        "with place, participants, topics and a link back. Subscribe to it from a calendar app.",
        filters=True,
        responses={(200, "text/calendar"): OpenApiTypes.STR},
    )
    def calendar(self, request, *args, **kwargs):
        meetings = self.filter_queryset(self.get_queryset()).prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("official")), "topics"
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

    queryset = Statement.objects.annotate(sort_date=statement_sort_date())
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
