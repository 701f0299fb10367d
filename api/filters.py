"""FilterSets (one per resource) and the filter backends that apply them strictly.

Relations are filtered by slug; an unknown slug is a 400 naming the valid-choice error, an
unknown query parameter is a 400 too (a typo must not silently return everything).
"""

import django_filters as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from briefing.models import Article, Meeting, Official, Organization, Statement, Topic

# Query parameters every list accepts besides its filters.
LIST_PARAMS = {"cursor", "page_size", "ordering", "fields", "omit", "format"}
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


def _typed_as_slug(filter_: filters.Filter) -> filters.Filter:
    """Document a filter the schema generator cannot type (method or slug path) as a string."""
    return extend_schema_field({"type": "string", "description": filter_.extra["help_text"]})(filter_)


class AllOfSlugsFilter(filters.ModelMultipleChoiceFilter):
    """Repeatable slug filter: rows related to every one of the slugs given."""

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


def _slug_choice(model, label: str, **kwargs):
    return filters.ModelChoiceFilter(
        queryset=model.objects.all(), to_field_name="slug", help_text=label, **kwargs
    )


def _word_search(model) -> filters.CharFilter:
    """`search` over the model queryset's own `search_fields`, described from them (no drift)."""
    names = [name.replace("_", " ") for name in model.objects.all().search_fields]
    where = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return filters.CharFilter(method="filter_search", help_text=f"Words that must all occur in the {where}.")


class SearchFilterSet(filters.FilterSet):
    """A FilterSet with `search`, delegated to the model's queryset `search()`."""

    search = filters.CharFilter(method="filter_search", help_text="Words that must all occur.")

    def filter_search(self, queryset, name, value):
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
    date = filters.DateFilter(help_text="Meetings on this day (YYYY-MM-DD).")
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte", help_text="On or after this day.")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte", help_text="On or before this day.")
    kind = filters.ChoiceFilter(choices=Meeting.Kind.choices, help_text="Kind of meeting.")
    city = filters.CharFilter(lookup_expr="iexact", help_text="City, ignoring case, e.g. `Washington D.C.`.")
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
    kind = filters.ChoiceFilter(
        choices=Statement.Kind.choices, help_text="Direct quotation or reported speech."
    )
    date_after = filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="Said on or after this day."
    )
    date_before = filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="Said on or before this day."
    )
    search = filters.CharFilter(
        method="filter_search",
        help_text="Full-text search over the text (PostgreSQL: English stemming, web-search syntax "
        'such as `"exact phrase"`, `or`, `-word`). Unless `ordering` is given, the results are the '
        "1,000 newest matches, best first; with `ordering`, every match in that order.",
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
    kind = filters.ChoiceFilter(choices=Organization.Kind.choices, help_text="Kind of organization.")
    search = _word_search(Organization)

    class Meta:
        model = Organization
        fields = ["parent", "kind", "search"]
