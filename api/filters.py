"""FilterSets (one per resource) and the filter backends that apply them strictly
(the fields and filters they are built of are in ``api.filtering``).

Relations are filtered by slug; an unknown slug is a 400 that names the value and suggests the
closest slugs, a malformed date a 400 that shows the expected format, an unknown query
parameter a 400 too (a typo must not silently return everything).
"""

import unicodedata

import django_filters as filters
from django.db.models import Exists, OuterRef, Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from api.filtering import (
    AllOfSlugsFilter,
    DateFilter,
    KnownAfterFilter,
    KnownBeforeFilter,
    PeriodFilter,
    choice,
    slug_choice,
    typed_as_slug,
    word_search,
)
from briefing.dates import Precision
from briefing.models import Article, Meeting, Membership, Official, Organization, Post, Statement, Topic

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
    topic = typed_as_slug(
        slug_choice(
            Topic,
            "Topic slug; matches meetings on the topic or on any of its sub-topics.",
            method="filter_topic",
        )
    )
    date = typed_as_slug(
        PeriodFilter(
            help_text="Meetings known to fall within this day, month or year (`2022-06-02`, `2022-06`, "
            "`2022`). A meeting dated only to a month is found by its month or year, not by a day; "
            "one whose date is unknown by no date."
        )
    )
    date_after = KnownAfterFilter(
        help_text="Meetings known to be on or after this day (YYYY-MM-DD): a month-dated meeting only if "
        "its whole month is."
    )
    date_before = KnownBeforeFilter(
        help_text="Meetings known to be on or before this day (YYYY-MM-DD): a month-dated meeting only if "
        "its whole month is."
    )
    date_precision = choice(
        Precision.choices, "How much of the date the article gives (`unknown` for no date).", "date precision"
    )
    kind = choice(Meeting.Kind.choices, "Kind of meeting.", "kind of meeting")
    city = filters.CharFilter(
        lookup_expr="icontains",
        help_text="Part of the city's name, ignoring case: `Washington` finds `Washington D.C.`.",
    )
    article = slug_choice(Article, "Slug of an article reporting the meeting.", field_name="articles")
    search = word_search(Meeting)

    class Meta:
        model = Meeting
        fields = [
            "official",
            "topic",
            "date",
            "date_after",
            "date_before",
            "date_precision",
            "kind",
            "city",
            "article",
            "search",
        ]

    def filter_topic(self, queryset, name, topic):
        return queryset.on_topic(topic)


class StatementFilterSet(SearchFilterSet):
    speaker = slug_choice(Official, "Speaker's slug.")
    meeting = slug_choice(Meeting, "Slug of the meeting it was said at.")
    topic = typed_as_slug(
        slug_choice(
            Topic,
            "Topic slug; matches statements on the topic or any of its sub-topics.",
            method="filter_topic",
        )
    )
    article = slug_choice(Article, "Slug of the source article.")
    kind = choice(Statement.Kind.choices, "Direct quotation or reported speech.", "kind of statement")
    attribution = choice(
        Statement.Attribution.choices,
        "How the article attributes it; `none` for statements whose speaker is unknown.",
        "way of attribution",
    )
    date_after = KnownAfterFilter(
        help_text="Said, as far as the article tells, on or after this day (YYYY-MM-DD)."
    )
    date_before = KnownBeforeFilter(
        help_text="Said, as far as the article tells, on or before this day (YYYY-MM-DD)."
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
        fields = [
            "speaker", "meeting", "topic", "article", "kind", "attribution", "date_after", "date_before", "search",
        ]  # fmt: skip

    def filter_topic(self, queryset, name, topic):
        return queryset.on_topic(topic)


class OfficialFilterSet(SearchFilterSet):
    organization = slug_choice(Organization, "Slug of the official's organization.")
    post = slug_choice(
        Post,
        "Slug of a post: the officials who held it (with `on`, who held it that day).",
        field_name="memberships__post",
        distinct=True,
    )
    on = DateFilter(
        method="filter_on",
        help_text="With `post`: who held the post on this day (YYYY-MM-DD), by the memberships whose first "
        "day is known; without it, who held any post that day.",
    )
    search = word_search(Official)

    class Meta:
        model = Official
        fields = ["organization", "post", "on", "search"]

    def filter_on(self, queryset, name, day):
        held = Membership.objects.filter(official=OuterRef("pk"), start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )
        post = self.form.cleaned_data.get("post")
        if post is not None:
            held = held.filter(post=post)
        return queryset.filter(Exists(held))


class PostFilterSet(SearchFilterSet):
    organization = slug_choice(Organization, "Slug of the organization the post is in.")
    search = filters.CharFilter(
        field_name="label", lookup_expr="icontains", help_text="Part of the post's name."
    )

    class Meta:
        model = Post
        fields = ["organization", "search"]


class TopicFilterSet(SearchFilterSet):
    parent = slug_choice(Topic, "Slug of the parent topic: its direct sub-topics.")
    search = word_search(Topic)

    class Meta:
        model = Topic
        fields = ["parent", "search"]


class ArticleFilterSet(SearchFilterSet):
    search = word_search(Article)

    class Meta:
        model = Article
        fields = ["search"]


class OrganizationFilterSet(SearchFilterSet):
    parent = slug_choice(Organization, "Slug of the parent organization.")
    kind = choice(Organization.Kind.choices, "Kind of organization.", "kind of organization")
    search = word_search(Organization)

    class Meta:
        model = Organization
        fields = ["parent", "kind", "search"]
