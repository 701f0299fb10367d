"""Thin viewsets over the briefing domain; the query shape follows the serializer in use."""

import datetime

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, viewsets
from rest_framework.serializers import ListSerializer

from api import filters, serializers
from api.problems import problem_response
from briefing.models import Article, Meeting, Official, Organization, Statement, Topic


class BriefingViewSet(viewsets.ReadOnlyModelViewSet):
    """Shared behaviour: list/detail serializers, sparse fields, and queries shaped to fit them."""

    detail_serializer_class: type[serializers.serializers.ModelSerializer] | None = None

    def get_serializer_class(self):
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def wanted_fields(self) -> list[str]:
        """The fields to return: all, or those `?fields=` names, less those `?omit=` names."""
        if getattr(self, "_wanted_fields", None) is None:
            self._wanted_fields = self._parse_wanted_fields()
        return self._wanted_fields

    def _parse_wanted_fields(self) -> list[str]:
        available = list(self.get_serializer_class()().fields)
        wanted = available
        params = self.request.query_params if self.request else {}
        for param in ("fields", "omit"):
            if param not in params:
                continue
            names = [n.strip() for n in params[param].split(",") if n.strip()]
            unknown = [n for n in names if n not in available]
            if unknown or not names:
                raise exceptions.ValidationError(
                    {
                        param: [
                            f"Unknown field(s) {', '.join(unknown) or '(none given)'}. Available: {', '.join(available)}."
                        ]
                    },
                    code="invalid_choice",
                )
            wanted = [n for n in wanted if (n in names) == (param == "fields")]
        return wanted

    def get_queryset(self):
        queryset = super().get_queryset()
        shape = self.get_serializer_class().query_shape
        for name in self.wanted_fields():
            if name in shape:
                queryset = shape[name](queryset)
        return queryset

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        target = serializer.child if isinstance(serializer, ListSerializer) else serializer
        wanted = set(self.wanted_fields())
        for name in [n for n in target.fields if n not in wanted]:
            target.fields.pop(name)
        return serializer


class MeetingViewSet(BriefingViewSet):
    """Meetings between officials: who met whom, when and where, and about what."""

    queryset = Meeting.objects.all()
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filterset_class = filters.MeetingFilterSet
    lookup_field = "slug"
    ordering_fields = ["date", "title"]
    ordering = ["-date"]


class StatementViewSet(BriefingViewSet):
    """Statements: who said what, verbatim, with its span in the source article."""

    queryset = Statement.objects.annotate(sort_date=Coalesce("date", Value(datetime.date.min)))
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilterSet
    ordering_fields = ["date", "position"]
    # Statements whose date the article does not give sort as the oldest.
    ordering_aliases = {"date": "sort_date"}
    ordering = ["-date"]


class OfficialViewSet(BriefingViewSet):
    """Officials: who they are, where they belong, what they attended and said."""

    queryset = Official.objects.all()
    serializer_class = serializers.OfficialSerializer
    detail_serializer_class = serializers.OfficialDetailSerializer
    filterset_class = filters.OfficialFilterSet
    lookup_field = "slug"
    ordering_fields = ["name"]
    ordering = ["name"]


class TopicViewSet(BriefingViewSet):
    """Topics of discussion, in a hierarchy."""

    queryset = Topic.objects.all()
    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilterSet
    lookup_field = "slug"
    ordering_fields = ["name"]
    ordering = ["name"]


class ArticleViewSet(BriefingViewSet):
    """Source articles: every meeting and statement is traceable to one."""

    queryset = Article.objects.all()
    serializer_class = serializers.ArticleSerializer
    detail_serializer_class = serializers.ArticleDetailSerializer
    filterset_class = filters.ArticleFilterSet
    lookup_field = "slug"
    ordering_fields = ["published_on", "title"]
    ordering = ["title"]


class OrganizationViewSet(BriefingViewSet):
    """Organizations officials belong to: alliances, governments and their departments."""

    queryset = Organization.objects.all()
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
