"""A page of a collection for the reader, selected exactly as the API selects it.

The reader does not restate what a query means: it runs the API viewset's own filter backends
(strict parameters, the FilterSet, ordering), its cursor pagination and its facet functions on
the same query string. ``/read/statements/?speaker=x&search=y`` therefore lists what
``/statements/?speaker=x&search=y`` answers, and a cursor taken from one works in the other.
Bad parameters raise the API's ``ValidationError``; the view shows it as a 400 page.
"""

import copy
import datetime
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict
from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request

# Query parameters that only move through a result, never change it.
PAGING = ("cursor",)


@dataclass
class FacetValue:
    """One value of a facet: its label, count, whether it is selected, and the link that toggles it."""

    label: str
    count: int
    selected: bool
    url: str | None


@dataclass
class Facet:
    """A facet's values over the whole filtered set."""

    name: str
    values: list[FacetValue]


@dataclass
class ActiveFilter:
    """A filter in force: its parameter, the value as people read it, and the link that drops it."""

    name: str
    value: str
    remove_url: str


@dataclass
class Listing:
    """One page of a filtered, ordered collection, with its facets and the filters in force."""

    items: list
    next_url: str | None
    previous_url: str | None
    ordering: str
    ordering_choices: list[str]
    filters: list[ActiveFilter] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)


def query_url(query: QueryDict, **changes: list[str] | None) -> str:
    """``?query`` with each named parameter replaced by the given values (None or [] drops it).

    Any change of the selection drops the cursor, which belongs to the previous selection.
    """
    updated = query.copy()
    for name in (*PAGING, *changes):
        updated.pop(name, None)
    for name, values in changes.items():
        if values:
            updated.setlist(name, values)
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


def _with_kept_filterset(backend_class: type) -> type:
    """``backend_class``, keeping on the view the FilterSet it validated (its cleaned values)."""

    class Kept(backend_class):
        def get_filterset(self, request, queryset, view):
            view.filterset = super().get_filterset(request, queryset, view)
            return view.filterset

    return Kept


def listing(
    request: HttpRequest,
    viewset_class: type,
    shape: Callable[[QuerySet], QuerySet],
    *,
    api_path: str,
    facets: bool = False,
) -> Listing:
    """The page of ``viewset_class``'s collection that ``request``'s query string selects.

    ``shape`` adds what the page shows of each row (select, prefetch, annotate). With
    ``facets``, every facet the API offers on the collection is counted over the filtered set.
    The page is taken as the API's list at ``api_path`` takes it: cursors are signed for their
    list's path, so this makes one list's cursors valid in the other.
    """
    as_api = copy.copy(request)
    as_api.path = as_api.path_info = api_path
    drf_request = Request(as_api)
    view = viewset_class(request=drf_request, action="list", format_kwarg=None, args=(), kwargs={})
    view.filterset = None
    queryset = viewset_class.queryset.all()
    for backend_class in view.filter_backends:
        if issubclass(backend_class, DjangoFilterBackend):
            backend_class = _with_kept_filterset(backend_class)
        queryset = backend_class().filter_queryset(drf_request, queryset, view)
    if view.filterset is None:  # no filter asked for: the API skips building one, the page needs it
        view.filterset = view.filterset_class(
            drf_request.query_params, queryset=queryset, request=drf_request
        )
        view.filterset.is_valid()  # nothing to refuse: no filter was asked for
    counted = _facets(view, queryset, request.GET) if facets else []
    paginator = view.paginator
    items = list(paginator.paginate_queryset(shape(queryset), drf_request, view))
    return Listing(
        items=items,
        next_url=_relative(paginator.get_next_link()),
        previous_url=_relative(paginator.get_previous_link()),
        ordering=request.GET.get("ordering", ""),
        ordering_choices=[f"{sign}{name}" for name in view.ordering_fields for sign in ("-", "")],
        filters=_active_filters(view.filterset, request.GET),
        facets=counted,
    )


def _relative(url: str | None) -> str | None:
    """A pagination link as a query string on the current path (the page's own address)."""
    if url is None:
        return None
    _, _, query = url.partition("?")
    return f"?{query}"


def _selecting(filterset, facet: str, value: str) -> dict[str, list[str]] | None:
    """The filter parameters that select ``value`` of ``facet``, or None when no filter can.

    A facet is named after the filter it narrows by, except ``date``, counted per month and
    selected with the ``date_after``/``date_before`` range of that month.
    """
    if facet == "date":
        year, month = (int(part) for part in value.split("-"))
        last = monthrange(year, month)[1]
        return {"date_after": [f"{value}-01"], "date_before": [f"{value}-{last:02d}"]}
    return {facet: [value]} if facet in filterset.filters else None


def _facets(view, queryset: QuerySet, query: QueryDict) -> list[Facet]:
    repeatable = {
        name for name, filter_ in view.filterset.filters.items() if isinstance(filter_, MultipleChoiceFilter)
    }
    facets = []
    for name, count in view.facets.items():
        values = []
        for row in count(queryset):
            params = None if row["value"] is None else _selecting(view.filterset, name, row["value"])
            if params is None:
                values.append(FacetValue(row["label"], row["count"], False, None))
                continue
            selected = all(v in query.getlist(k) for k, vs in params.items() for v in vs)
            changes = {}
            for param, wanted in params.items():
                current = query.getlist(param)
                if selected:
                    changes[param] = [v for v in current if v not in wanted]
                elif param in repeatable:
                    changes[param] = [*current, *wanted]
                else:
                    changes[param] = wanted
            values.append(FacetValue(row["label"], row["count"], selected, query_url(query, **changes)))
        facets.append(Facet(name, values))
    return facets


def _active_filters(filterset, query: QueryDict) -> list[ActiveFilter]:
    if filterset is None:
        return []
    cleaned = filterset.form.cleaned_data
    found = []
    for name, filter_ in filterset.filters.items():
        if name not in query or cleaned.get(name) in (None, "", []):
            continue
        # The parameter's own name, as the API documents it (`date_after` reads "Date after").
        label = name.replace("_", " ").capitalize()
        found.append(ActiveFilter(label, _readable(cleaned[name], filter_), query_url(query, **{name: None})))
    return found


def _readable(value, filter_) -> str:
    """A cleaned filter value as people read it: names, not slugs; choice labels; dates."""
    if isinstance(value, QuerySet | list | tuple):
        return ", ".join(_readable(item, filter_) for item in value)
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Model):
        return getattr(value, "name", None) or getattr(value, "title", None) or str(value)
    if filter_.method == "filter_search":
        return f"“{value}”"
    choices = dict(filter_.extra.get("choices") or [])
    return str(choices.get(value, value))
