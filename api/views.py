"""Thin viewsets over the briefing domain; the query shape follows the serializer in use.

Reads are open to everyone; writes need a user with the matching Django model permission
(token or session authentication). Writes validate through ``briefing.services``, answer with
the object's full representation and its ``ETag``, and honour ``If-Match`` (412 when stale).
"""

import datetime
import hashlib

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import ListSerializer

from api import filters, serializers
from api.pagination import HistoryPagination
from api.problems import problem_response
from briefing import history, services
from briefing.models import Article, Meeting, Official, Organization, Statement, Topic

READ_ACTIONS = {"list", "retrieve"}
WRITE_ACTIONS = {"create", "update", "partial_update"}


class PreconditionFailed(exceptions.APIException):
    """The client's `If-Match` names a representation that is no longer current."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it; fetch it again and reapply your change."
    default_code = "precondition_failed"


class BriefingViewSet(viewsets.ModelViewSet):
    """Shared behaviour: list/detail/write serializers, sparse fields, query shapes, ETags."""

    detail_serializer_class: type | None = None
    write_serializer_class: type | None = None

    # -- serializers and query shape -------------------------------------------------------------

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
        available = list(self.read_serializer_class(detail=self.action != "list")().fields)
        wanted = available
        params = self.request.query_params if self.request else {}
        for param in ("fields", "omit"):
            if param not in params:
                continue
            names = [n.strip() for n in params[param].split(",") if n.strip()]
            unknown = [n for n in names if n not in available]
            if unknown or not names:
                listed = ", ".join(unknown) or "(none given)"
                raise exceptions.ValidationError(
                    {param: [f"Unknown field(s) {listed}. Available: {', '.join(available)}."]},
                    code="invalid_choice",
                )
            wanted = [n for n in wanted if (n in names) == (param == "fields")]
        return wanted

    def shaped(self, queryset, serializer_class, fields):
        """``queryset`` with what ``fields`` of ``serializer_class`` need (see query_shape)."""
        shape = serializer_class.query_shape
        for name in fields:
            if name in shape:
                queryset = shape[name](queryset)
        return queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in READ_ACTIONS:
            return self.shaped(queryset, self.get_serializer_class(), self.wanted_fields())
        return queryset

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.action in READ_ACTIONS:
            target = serializer.child if isinstance(serializer, ListSerializer) else serializer
            wanted = set(self.wanted_fields())
            for name in [n for n in target.fields if n not in wanted]:
                target.fields.pop(name)
        return serializer

    # -- representations and ETags ---------------------------------------------------------------

    def representation(self, instance) -> dict:
        """The object's full detail representation, as GET returns it."""
        serializer_class = self.read_serializer_class()
        fields = list(serializer_class().fields)
        fresh = self.shaped(super().get_queryset(), serializer_class, fields).get(pk=instance.pk)
        return serializer_class(fresh, context=self.get_serializer_context()).data

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

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if not {"fields", "omit"} & set(request.query_params):
            response["ETag"] = self.etag(response.data)
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.written(serializer.save(), status.HTTP_201_CREATED)

    @transaction.atomic
    def update(self, request, *args, partial: bool = False, **kwargs):
        instance = self.locked_object()
        self.check_if_match(instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self.written(serializer.save())

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        instance = self.locked_object()
        self.check_if_match(instance)
        services.record_delete(instance=instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

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
        for record, previous in zip(records, [*records[1:], older], strict=True):
            record.changes = history.changes(record, previous)
            record.history_kind = history.HISTORY_TYPES[record.history_type]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)


class MeetingViewSet(BriefingViewSet):
    """Meetings between officials: who met whom, when and where, and about what."""

    queryset = Meeting.objects.all()
    write_serializer_class = serializers.MeetingWriteSerializer
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filterset_class = filters.MeetingFilterSet
    lookup_field = "slug"
    ordering_fields = ["date", "title"]
    ordering = ["-date"]


class StatementViewSet(BriefingViewSet):
    """Statements: who said what, verbatim, with its span in the source article."""

    queryset = Statement.objects.annotate(sort_date=Coalesce("date", Value(datetime.date.min)))
    write_serializer_class = serializers.StatementWriteSerializer
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilterSet
    ordering_fields = ["date", "position"]
    # Statements whose date the article does not give sort as the oldest.
    ordering_aliases = {"date": "sort_date"}
    ordering = ["-date"]


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


class TopicViewSet(BriefingViewSet):
    """Topics of discussion, in a hierarchy."""

    queryset = Topic.objects.all()
    write_serializer_class = serializers.TopicWriteSerializer
    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilterSet
    lookup_field = "slug"
    ordering_fields = ["name"]
    ordering = ["name"]


class ArticleViewSet(BriefingViewSet):
    """Source articles: every meeting and statement is traceable to one."""

    queryset = Article.objects.all()
    write_serializer_class = serializers.ArticleWriteSerializer
    serializer_class = serializers.ArticleSerializer
    detail_serializer_class = serializers.ArticleDetailSerializer
    filterset_class = filters.ArticleFilterSet
    lookup_field = "slug"
    ordering_fields = ["published_on", "title"]
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


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """The site's 404 handler: a problem body, never an HTML page."""
    return problem_response(404, "not_found", f"Nothing is at {request.path}.")


def server_error(request: HttpRequest) -> JsonResponse:
    """The site's 500 handler: a problem body with no trace of the cause."""
    return problem_response(500, "server_error", "The server failed to answer; the error has been logged.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """The site's 400 handler (e.g. a disallowed Host header): a problem body."""
    return problem_response(400, "bad_request", "The request could not be understood.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """The site's 403 handler: a problem body."""
    return problem_response(403, "permission_denied", "You do not have permission to do this.")
