"""FilterSets (one per resource) and the filter backends that apply them strictly.

Relations are filtered by slug; an unknown slug is a 400 that names the value and suggests the
closest slugs, a malformed date a 400 that shows the expected format, an unknown query
parameter a 400 too (a typo must not silently return everything).
"""

import unicodedata

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_filters import fields
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from briefing.models import Article, Meeting, Official, Organization, Statement, Topic
from briefing.suggestions import closest_slugs

# Query parameters every list accepts besides its filters.
LIST_PARAMS = {"cursor", "page_size", "ordering", "fields", "omit", "format", "count"}
# Query parameters a single object accepts.
DETAIL_PARAMS = {"fields", "omit", "format"}
# Actions that answer a filtered collection.
LIST_ACTIONS = {"list", "calendar"}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing query parameters the endpoint does not know."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) in LIST_ACTIONS:
            filterset_class = self.get_filterset_class(view, queryset)
            allowed = LIST_PARAMS | set(filterset_class.base_filters if filterset_class else ())
            if getattr(view, "facets", None):
                allowed.add("facet")
        else:
            allowed = DETAIL_PARAMS
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise exceptions.ValidationError(
                {
                    name: [f"Unknown query parameter. Known: {', '.join(sorted(allowed))}."]
                    for name in unknown
                },
                code="unknown_parameter",
            )
        if getattr(view, "action", None) not in LIST_ACTIONS:
            return queryset
        # Building a FilterSet (deep copies of its filters, a form) costs more than a page's
        # queries; with no filter asked for, it would change nothing.
        if filterset_class is None or not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StableOrderingFilter(OrderingFilter):
    """`ordering` among the view's `ordering_fields`, ties broken by id; unknown values are a 400.

    A full-text search orders by relevance unless the client asks for another order; relevance
    ranks the newest `RANKED_MATCHES` matches (in the view's default order), which are then the
    results. Ranking is the cost of a search: PostgreSQL computes `ts_rank` for every row it
    ranks, and a common word matches tens of thousands (“security”: 33,524 of 200,000; ranking
    them all took 60 ms of a 74 ms request); the newest thousand come from the date index in
    about 2 ms. A view's `ordering_aliases` maps a public field to the annotation it sorts by
    (keyset pagination needs a non-null sort key).
    """

    RANKED_MATCHES = 1000

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering and ordering[0] == "-search_rank":
            newest = self.aliased(view, list(self.get_default_ordering(view) or []))
            queryset = queryset.filter(pk__in=queryset.order_by(*newest).values("pk")[: self.RANKED_MATCHES])
        return queryset.order_by(*ordering) if ordering else queryset

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [p.strip() for p in params.split(",") if p.strip()]
            valid = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
            invalid = [f for f in fields if f.lstrip("-") not in valid]
            if invalid or not fields:
                choices = ", ".join(sorted(f"{p}{v}" for v in valid for p in ("", "-")))
                raise exceptions.ValidationError(
                    {self.ordering_param: [f"Unknown ordering “{params}”. Choose from: {choices}."]},
                    code="invalid_choice",
                )
            ordering = fields
        elif "search_rank" in queryset.query.annotations:
            ordering = ["-search_rank"]
        else:
            ordering = list(self.get_default_ordering(view) or [])
        return self.aliased(view, ordering)

    @staticmethod
    def aliased(view, ordering: list[str]) -> list[str]:
        """``ordering`` with the view's aliases applied and ties broken by id."""
        aliases = getattr(view, "ordering_aliases", {})
        ordering = [
            ("-" if f.startswith("-") else "") + aliases.get(f.lstrip("-"), f.lstrip("-")) for f in ordering
        ]
        tie_breaker = "-id" if ordering and ordering[0].startswith("-") else "id"
        return [*ordering, tie_breaker] if "id" not in {f.lstrip("-") for f in ordering} else ordering

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", [])
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "enum": [f"{p}{f}" for f in fields for p in ("", "-")]}
            parameter["description"] = (
                f"Order of the results (prefix `-` for descending); default `{','.join(view.ordering)}`. "
                "Ties are broken by id."
            )
        return parameters


def unknown_slug(queryset, value: str) -> ValidationError:
    """The error for a slug no row of ``queryset`` has: the value, and the closest slugs if any."""
    model = queryset.model
    suggestions = closest_slugs(queryset, value)
    if suggestions:
        hint = f"Did you mean {' or '.join(suggestions)}?"
    else:
        hint = f"The {model._meta.verbose_name_plural} are listed at {reverse(f'{model._meta.model_name}-list')}."
    # The value goes in as a parameter: django-filter %-formats every message with its params,
    # and a value of the client's may hold a `%`.
    return ValidationError(
        f"No {model._meta.verbose_name} has the slug “%(value)s”. {hint}",
        code="invalid_choice",
        params={"value": value},
    )


class SlugChoiceField(fields.ModelChoiceField):
    """One slug; an unknown one is an error that suggests the closest."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise unknown_slug(self.queryset, value) from None


class SlugsChoiceField(fields.ModelMultipleChoiceField):
    """Several slugs; an unknown one is an error that suggests the closest."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise unknown_slug(self.queryset, exc.params["value"]) from None


class DateField(forms.DateField):
    """A date; a malformed one is an error that shows the value and the format."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(
                "“%(value)s” is not a date: use YYYY-MM-DD, e.g. 2022-06-01.",
                code="invalid",
                params={"value": value},
            ) from exc


class DateFilter(filters.DateFilter):
    """A date filter whose error shows the expected format."""

    field_class = DateField


def _choice(choices, help_text: str, what: str) -> filters.ChoiceFilter:
    """A choice filter whose error names the value and lists the choices."""
    listed = ", ".join(value for value, _ in choices)
    return filters.ChoiceFilter(
        choices=choices,
        help_text=help_text,
        error_messages={"invalid_choice": f"“%(value)s” is not a {what}. Choose from: {listed}."},
    )


def _typed_as_slug(filter_: filters.Filter) -> filters.Filter:
    """Document a filter the schema generator cannot type (method or slug path) as a string."""
    return extend_schema_field({"type": "string", "description": filter_.extra["help_text"]})(filter_)


class AllOfSlugsFilter(filters.ModelMultipleChoiceFilter):
    """Repeatable slug filter: rows related to every one of the slugs given."""

    field_class = SlugsChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("conjoined", True)
        # One join per value matches each row at most once (a participant appears once per
        # meeting), so the costly SELECT DISTINCT django-filter adds by default is not needed.
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)
        _typed_as_slug(self)

    def get_filter_predicate(self, v):
        # By id, not by slug through a join: PostgreSQL then plans with the statistics of that
        # very id (a prolific official has thousands of rows, a typical one a dozen).
        return {self.field_name: v.pk}


class SlugFilter(filters.ModelChoiceFilter):
    """A filter by one related row's slug."""

    field_class = SlugChoiceField


def _slug_choice(model, label: str, **kwargs):
    return SlugFilter(queryset=model.objects.all(), to_field_name="slug", help_text=label, **kwargs)


def _word_search(model) -> filters.CharFilter:
    """`search` over the model queryset's own `search_fields`, described from them (no drift)."""
    names = [name.replace("_", " ") for name in model.objects.all().search_fields]
    where = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return filters.CharFilter(method="filter_search", help_text=f"Words that must all occur in the {where}.")


class SearchFilterSet(filters.FilterSet):
    """A FilterSet with `search`, delegated to the model's queryset `search()`."""

    search = filters.CharFilter(method="filter_search", help_text="Words that must all occur.")

    def filter_search(self, queryset, name, value):
        # Text is stored as given (as published: NFC almost always); a query typed in decomposed
        # form (NFD: "e" + combining diaeresis) must still find "ë".
        value = unicodedata.normalize("NFC", value)
        return queryset.search(value) if value.strip() else queryset


class MeetingFilterSet(SearchFilterSet):
    official = AllOfSlugsFilter(
        queryset=Official.objects.all(),
        to_field_name="slug",
        field_name="participants",
        help_text="Official's slug; repeat it for meetings attended by all of the officials named.",
    )
    topic = _typed_as_slug(
        _slug_choice(
            Topic,
            "Topic slug; matches meetings on the topic or on any of its sub-topics.",
            method="filter_topic",
        )
    )
    date = DateFilter(help_text="Meetings on this day (YYYY-MM-DD).")
    date_after = DateFilter(
        field_name="date", lookup_expr="gte", help_text="On or after this day (YYYY-MM-DD)."
    )
    date_before = DateFilter(
        field_name="date", lookup_expr="lte", help_text="On or before this day (YYYY-MM-DD)."
    )
    kind = _choice(Meeting.Kind.choices, "Kind of meeting.", "kind of meeting")
    city = filters.CharFilter(
        lookup_expr="icontains",
        help_text="Part of the city's name, ignoring case: `Washington` finds `Washington D.C.`.",
    )
    article = _slug_choice(Article, "Slug of an article reporting the meeting.", field_name="articles")
    search = _word_search(Meeting)

    class Meta:
        model = Meeting
        fields = [
            "official",
            "topic",
            "date",
            "date_after",
            "date_before",
            "kind",
            "city",
            "article",
            "search",
        ]

    def filter_topic(self, queryset, name, topic):
        return queryset.on_topic(topic)


class StatementFilterSet(SearchFilterSet):
    speaker = _slug_choice(Official, "Speaker's slug.")
    meeting = _slug_choice(Meeting, "Slug of the meeting it was said at.")
    topic = _typed_as_slug(
        _slug_choice(
            Topic,
            "Topic slug; matches statements on the topic or any of its sub-topics.",
            method="filter_topic",
        )
    )
    article = _slug_choice(Article, "Slug of the source article.")
    kind = _choice(Statement.Kind.choices, "Direct quotation or reported speech.", "kind of statement")
    date_after = DateFilter(
        field_name="date", lookup_expr="gte", help_text="Said on or after this day (YYYY-MM-DD)."
    )
    date_before = DateFilter(
        field_name="date", lookup_expr="lte", help_text="Said on or before this day (YYYY-MM-DD)."
    )
    search = filters.CharFilter(
        method="filter_search",
        help_text="Full-text search over the text in web-search syntax: words that must all occur, "
        '`"an exact phrase"`, `or` between alternatives, `-word` to exclude; English stemming, common '
        "words ignored, the same on PostgreSQL and SQLite. Unless `ordering` is given, the results are "
        "the 1,000 newest matches, best first; with `ordering`, every match in that order.",
    )

    class Meta:
        model = Statement
        fields = ["speaker", "meeting", "topic", "article", "kind", "date_after", "date_before", "search"]

    def filter_topic(self, queryset, name, topic):
        return queryset.on_topic(topic)


class OfficialFilterSet(SearchFilterSet):
    organization = _slug_choice(Organization, "Slug of the official's organization.")
    search = _word_search(Official)

    class Meta:
        model = Official
        fields = ["organization", "search"]


class TopicFilterSet(SearchFilterSet):
    parent = _slug_choice(Topic, "Slug of the parent topic: its direct sub-topics.")
    search = _word_search(Topic)

    class Meta:
        model = Topic
        fields = ["parent", "search"]


class ArticleFilterSet(SearchFilterSet):
    search = _word_search(Article)

    class Meta:
        model = Article
        fields = ["search"]


class OrganizationFilterSet(SearchFilterSet):
    parent = _slug_choice(Organization, "Slug of the parent organization.")
    kind = _choice(Organization.Kind.choices, "Kind of organization.", "kind of organization")
    search = _word_search(Organization)

    class Meta:
        model = Organization
        fields = ["parent", "kind", "search"]
