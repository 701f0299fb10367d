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
import json
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import F, Lookup, Window
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
        """``queryset`` narrowed to what ``build`` needs of each row, plus ``keep``, as named rows.

        Rows that need joins (a statement's speaker, article, meeting) are found by their keys
        alone, and loaded by key once the page is known: PostgreSQL would otherwise join every
        row it sorts before keeping a page of them (all thousand ranked matches of a search).
        """
        query = self.query(self.field_names if names is None else names)
        if query.by_key is not None:
            key = query.by_key.query.columns[0]
            return queryset.values_list(
                key, *[name for name in dict.fromkeys(keep) if name != key], named=True
            )
        return narrowed(queryset, query, keep)

    def build(self, rows, request, names=None) -> list[dict]:
        """The representations of ``rows`` (from ``rows()`` with the same ``names``)."""
        query = self.query(self.field_names if names is None else names)
        rows, urls = list(rows), self.urls(request)
        if query.by_key is not None and rows:
            keys = [row[0] for row in rows]
            found = {row[0]: row for row in related_rows(query.by_key, set(keys))}
            return materialize(query.by_key.query, [found[key] for key in keys if key in found], urls)
        return materialize(query, rows, urls)

    def one(self, queryset, request, names=None) -> dict | None:
        """The representation of the single object ``queryset`` selects, or ``None``."""
        query = self.query(self.field_names if names is None else names)
        found = list(narrowed(queryset, query)[:1])
        return materialize(query, found, self.urls(request))[0] if found else None

    def urls(self, request) -> tuple[str, ...]:
        """The prefix and suffix of every URL pattern the representation links to, for ``request``."""
        return tuple(part for view_name, kwarg in self._compiler.links.patterns
                     for part in link_template(request, view_name, kwarg))  # fmt: skip


def narrowed(queryset, query: Query, keep=()):
    """``queryset`` selecting ``query``'s columns (and ``keep``), as named rows."""
    if query.annotations:
        queryset = queryset.annotate(**query.annotations)
    columns = list(query.columns)
    columns += [name for name in dict.fromkeys(keep) if name not in columns]
    return queryset.values_list(*columns, named=True)


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
    found = related_rows(nested, keys)
    items = materialize(nested.query, found, urls)
    grouped: dict = {}
    for row, item in zip(found, items, strict=True):
        grouped.setdefault(row[0], []).append(item)
    return grouped


def related_queryset(nested: NestedLoad, keys, *, many: bool):
    """The rows of a nested list for the owners ``keys`` (``many``: more than one owner)."""
    query = nested.query
    parent = query.columns[0]
    queryset = query.model._default_manager.filter(KeysIn(F(parent), keys))
    if query.annotations:
        queryset = queryset.annotate(**query.annotations)
    queryset = queryset.order_by(*nested.ordering)
    if nested.limit is not None:
        if not many:
            queryset = queryset[: nested.limit]
        else:
            # The first `limit` of each owner's list: numbered within each owner, in list order.
            # Only the primary keys go through the window (Django's subquery for filtering on
            # a window keeps one of several identical columns).
            number = Window(RowNumber(), partition_by=[F(parent)], order_by=list(nested.ordering) or ["pk"])
            first = queryset.annotate(repr_number=number).filter(repr_number__lte=nested.limit)
            queryset = queryset.filter(pk__in=first.values("pk"))
    return queryset.values_list(*query.columns)


def related_rows(nested: NestedLoad, keys: set) -> list:
    """The nested list's rows, from SQL compiled once per list and connection (the keys are one
    parameter, so the statement is the same for every page). They are read from the database the
    router chooses for reading, as a queryset would be (a replica while one is healthy)."""
    connection = connections[router.db_for_read(nested.query.model)]
    vendor = connection.vendor
    many = len(keys) > 1
    if vendor not in KEYS_PARAMETER:
        return list(related_queryset(nested, keys, many=many).using(connection.alias))
    key = (connection.alias, vendor, many)
    statement = nested.statements.get(key)
    if statement is None:
        queryset = related_queryset(nested, KEYS, many=many)
        statement = nested.statements[key] = Statement.compile(queryset, connection=connection)
    return statement.run(KEYS_PARAMETER[vendor](keys), connection=connection)


class KeysIn(Lookup):
    """``column IN (keys)`` with all the keys as one parameter (an array or a JSON list)."""

    lookup_name = "repr_keys_in"
    prepare_rhs = False

    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, self.rhs]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, self.rhs]
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]


# Stands for the keys in compiled statements; how each database takes them as one parameter.
KEYS = object()
KEYS_PARAMETER = {
    "postgresql": lambda keys: list(keys),
    "sqlite": lambda keys: json.dumps(list(keys)),
}


@dataclass
class Statement:
    """A compiled SELECT: its SQL, parameters (``KEYS`` where the keys go) and row conversions."""

    sql: str
    params: tuple
    keys_at: tuple[int, ...]
    converters: list
    expressions: list
    order: tuple[int, ...] | None

    @classmethod
    def compile(cls, queryset, *, connection) -> "Statement":
        """The statement Django would run for ``queryset`` (a ``values_list``) on ``connection``."""
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(selected)
        # The columns as the SQL selects them (Django 5.2 keeps the order `values_list` asked for,
        # annotations among fields; earlier versions put annotations last).
        names = [column[2] for column in compiler.select[: compiler.col_count]]
        wanted = list(queryset._fields)
        return cls(
            sql=sql,
            params=tuple(params),
            keys_at=tuple(i for i, param in enumerate(params) if param is KEYS),
            converters=[(position, convs) for position, (convs, _) in converters.items()],
            expressions=[expression for _, expression in converters.values()],
            order=None if names == wanted else tuple(names.index(name) for name in wanted),
        )

    def run(self, keys_parameter, *, connection) -> list:
        """The rows, converted as Django converts them, in the ``values_list`` order."""
        params = list(self.params)
        for position in self.keys_at:
            params[position] = keys_parameter
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [list(row) for row in rows]
            for (position, convs), expression in zip(self.converters, self.expressions, strict=True):
                for row in rows:
                    value = row[position]
                    for convert in convs:
                        value = convert(value, expression, connection)
                    row[position] = value
        if self.order is not None:
            rows = [tuple(row[i] for i in self.order) for row in rows]
        return rows


@functools.cache
def represent(serializer_class) -> Representation:
    """The representation compiled from ``serializer_class`` (once per process)."""
    return Representation(serializer_class)
