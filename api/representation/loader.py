"""Run a compiled representation: rows of a queryset (a page, one object) into JSON-ready dicts.

``Representation(SerializerClass)`` compiles the serializer once (per set of top-level fields:
``?fields=`` trims the queries too) and then, per request:

- ``rows(queryset)`` narrows a filtered, ordered queryset to the columns the representation
  reads (named rows, so pagination can read its cursor position from them);
- ``build(rows, request)`` runs one query per nested list for all the rows at once (the keys
  of the whole page), groups the results, and turns every row into its dict.

No model instance is built and no DRF field runs per row; the output is what the serializer's
own ``to_representation`` gives (tests/api/test_representations.py compares the two).
"""

import functools

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from api.representation.compiler import Compiler, NestedLoad, Query
from api.serializers.links import link_template

# Top-level field sets compiled per representation (sparse fields are few in practice).
MAX_VIEWS = 64


class Representation:
    """A serializer's declaration compiled to bulk queries and row functions."""

    def __init__(self, serializer_class):
        self.serializer_class = serializer_class
        self.field_names: tuple[str, ...] = tuple(
            name for name, f in serializer_class().fields.items() if not f.write_only
        )
        self._views: dict[tuple[str, ...], Query] = {}
        self._compiler = Compiler()
        # Compile the full representation now: a field that cannot be compiled fails at import.
        self.query(self.field_names)

    def query(self, names) -> Query:
        """The compiled root query of the top-level fields ``names`` (declaration order kept)."""
        key = tuple(name for name in self.field_names if name in set(names))
        compiled = self._views.get(key)
        if compiled is None:
            compiled = self._compiler.root(self.serializer_class(), key)
            if len(self._views) < MAX_VIEWS:
                self._views[key] = compiled
        return compiled

    def rows(self, queryset, names=None, keep=()):
        """``queryset`` narrowed to the columns of ``names`` (default all), plus ``keep``, as named rows."""
        query = self.query(self.field_names if names is None else names)
        if query.annotations:
            queryset = queryset.annotate(**query.annotations)
        columns = list(query.columns)
        columns += [name for name in dict.fromkeys(keep) if name not in columns]
        return queryset.values_list(*columns, named=True)

    def build(self, rows, request, names=None) -> list[dict]:
        """The representations of ``rows`` (from ``rows()`` with the same ``names``)."""
        query = self.query(self.field_names if names is None else names)
        urls = tuple(part for view_name, kwarg in self._compiler.links.patterns
                     for part in link_template(request, view_name, kwarg))  # fmt: skip
        return materialize(query, rows if isinstance(rows, list) else list(rows), urls)

    def one(self, queryset, request, names=None) -> dict | None:
        """The representation of the single object ``queryset`` selects, or ``None``."""
        found = list(self.rows(queryset, names)[:1])
        return self.build(found, request, names)[0] if found else None


def materialize(query: Query, rows: list, urls: tuple) -> list:
    """Every row of ``query`` as its value, nested lists loaded for all the rows at once."""
    loaded = tuple(load(nested, rows, urls) for nested in query.nested)
    build = query.build
    return [build(row, urls, loaded) for row in rows]


def load(nested: NestedLoad, rows: list, urls: tuple) -> dict:
    """The nested list's items for every owner key in ``rows``, grouped by key, in order."""
    keys = {row[nested.key] for row in rows}
    keys.discard(None)
    if not keys:
        return {}
    query = nested.query
    parent = query.columns[0]
    queryset = query.model._default_manager.filter(**{f"{parent}__in": keys})
    if query.annotations:
        queryset = queryset.annotate(**query.annotations)
    queryset = queryset.order_by(*nested.ordering)
    if nested.limit is not None:
        if len(keys) == 1:
            queryset = queryset[: nested.limit]
        else:
            # The first `limit` of each owner's list: numbered within each owner, in list order.
            # Only the primary keys go through the window (Django's subquery for filtering on
            # a window keeps one of several identical columns).
            number = Window(RowNumber(), partition_by=[F(parent)], order_by=list(nested.ordering) or ["pk"])
            first = queryset.annotate(repr_number=number).filter(repr_number__lte=nested.limit)
            queryset = queryset.filter(pk__in=first.values("pk"))
    found = list(queryset.values_list(*query.columns))
    items = materialize(query, found, urls)
    grouped: dict = {}
    for row, item in zip(found, items, strict=True):
        grouped.setdefault(row[0], []).append(item)
    return grouped


@functools.cache
def represent(serializer_class) -> Representation:
    """The representation compiled from ``serializer_class`` (once per process)."""
    return Representation(serializer_class)
