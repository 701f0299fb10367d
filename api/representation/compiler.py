"""Compile a serializer's declared fields into queries of plain rows and row-to-dict functions.

A representation is declared once, as DRF fields (they also make the OpenAPI schema). This
module reads that declaration and derives, for each SQL query the representation needs, the
columns to select (``values_list`` paths and annotations) and a Python function, generated
from the fields, that turns one row into the field's JSON-ready value:

- a model field (dotted sources too) becomes a column, converted as the DRF field would;
- a self link (``HyperlinkedIdentityField``) becomes its lookup column and a URL template;
- a nested serializer over a foreign key is inlined: its columns join the same query, and
  it is ``None`` when the key is;
- a nested list (``many=True``, ``nested(...)``, a many related field) over a reverse foreign
  key or a many-to-many relation becomes one more query, for the keys of a whole page at once,
  in the declared order (default: the related model's ``Meta.ordering``), optionally bounded;
- a ``CountField`` becomes a correlated count subquery.

Anything else (a ``SerializerMethodField``, a property) cannot be loaded in bulk and is refused
when the representation is compiled, naming the field, rather than silently queried per row.
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import F
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import BaseExpression
from rest_framework import relations, serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from api.representation.declare import CountField, NestedList

TEXT_TYPES = {"CharField", "TextField", "SlugField", "URLField", "EmailField"}
INTEGER_TYPES = {
    "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
    "PositiveBigIntegerField", "PositiveSmallIntegerField", "AutoField", "BigAutoField", "SmallAutoField",
}  # fmt: skip


class RepresentationError(ImproperlyConfigured):
    """A declared field that cannot be loaded in bulk (the message says which and why)."""


@dataclass
class Links:
    """The URL patterns a representation links to: (view name, URL keyword) pairs, numbered."""

    patterns: list[tuple[str, str]] = field(default_factory=list)

    def index(self, view_name: str, kwarg: str) -> int:
        """The number of this pattern (its URL's prefix and suffix sit at 2n and 2n + 1)."""
        if (view_name, kwarg) not in self.patterns:
            self.patterns.append((view_name, kwarg))
        return self.patterns.index((view_name, kwarg))


@dataclass
class NestedLoad:
    """A nested list: one query over the related rows of every key found in the owner's rows."""

    name: str
    query: "Query"
    #: Where the owner's key is in the owner's rows (the related query has it at 0).
    key: int
    ordering: tuple
    limit: int | None
    #: Its SQL, compiled once per database (see loader.related_rows).
    statements: dict = field(default_factory=dict)


class Query:
    """One SQL query of a representation: its model, columns, annotations and nested lists."""

    def __init__(self, model: type[models.Model], links: Links):
        self.model = model
        self.links = links
        self.columns: list[str] = []
        self.annotations: dict = {}
        self.nested: list[NestedLoad] = []
        self.constants: dict[str, object] = {}
        self.build = None  # the row-to-value function, set by Compiler.finish
        self.source = ""
        self.by_key: NestedLoad | None = None

    def column(self, path: str) -> int:
        """The index of ``path`` in this query's rows (added once)."""
        if path not in self.columns:
            self.columns.append(path)
        return self.columns.index(path)

    def annotate(self, expression) -> int:
        """The index of a new annotated column holding ``expression``."""
        # Not starting with "_": rows may be named tuples.
        alias = f"repr_{len(self.annotations)}"
        self.annotations[alias] = expression
        return self.column(alias)

    def constant(self, value) -> str:
        """A name under which generated code can use ``value``."""
        name = f"c{len(self.constants)}"
        self.constants[name] = value
        return name


def describe(serializer, name: str) -> str:
    """``SerializerName.field`` for error messages."""
    return f"{type(serializer).__name__}.{name}"


class Compiler:
    """Turns a serializer class into a root ``Query`` (and the queries of its nested lists)."""

    def __init__(self):
        self.links = Links()

    def root(self, serializer: serializers.BaseSerializer, names) -> Query:
        """The query of ``serializer``'s model for the top-level fields ``names``.

        When its rows need joins, it also gets ``by_key``: the same columns loaded by primary
        key, for pages found by their keys alone (see loader.Representation.rows).
        """
        model = serializer.Meta.model
        query = Query(model, self.links)
        query = self.finish(query, self.object_source(serializer, model, "", query, names))
        if any(LOOKUP_SEP in column for column in query.columns):
            keyed = Query(model, self.links)
            keyed.column(model._meta.pk.name)
            item = self.object_source(serializer, model, "", keyed, names)
            query.by_key = NestedLoad(name="", query=self.finish(keyed, item), key=0, ordering=(), limit=None)
        return query

    def finish(self, query: Query, source: str) -> Query:
        """Generate the query's row function from the expression ``source``."""
        query.source = f"def build(r, u, L):\n    return {source}\n"
        namespace = dict(query.constants)
        exec(compile(query.source, f"<representation of {query.model.__name__}>", "exec"), namespace)
        query.build = namespace["build"]
        return query

    # -- objects and fields ----------------------------------------------------------------------

    def object_source(self, serializer, model, prefix: str, query: Query, names=None) -> str:
        """A dict display of the serializer's readable fields (those in ``names``, if given)."""
        items = []
        for name, declared in serializer.fields.items():
            if declared.write_only or (names is not None and name not in names):
                continue
            try:
                value = self.field_source(declared, model, prefix, query)
            except RepresentationError as error:
                raise RepresentationError(f"{describe(serializer, name)}: {error}") from None
            items.append(f"{name!r}: {value}")
        return "{" + ", ".join(items) + "}"

    def field_source(self, declared, model, prefix: str, query: Query) -> str:
        """An expression of row ``r`` for one field."""
        if isinstance(declared, relations.HyperlinkedIdentityField):
            return self.link_source(declared, model, prefix, query, [])
        if isinstance(declared, CountField):
            outer = prefix + model._meta.pk.name
            return f"r[{query.annotate(declared.expression(outer))}]"
        if isinstance(declared, serializers.ListSerializer | relations.ManyRelatedField):
            return self.nested_source(declared, model, prefix, query)
        if isinstance(declared, serializers.BaseSerializer):
            return self.single_source(declared, model, prefix, query)
        if isinstance(declared, serializers.SerializerMethodField):
            raise RepresentationError("a method field cannot be loaded in bulk; declare a model field")
        if isinstance(declared, relations.RelatedField):
            return self.related_source(declared, model, prefix, query)
        path, model_field, _ = resolve(model, declared.source_attrs, prefix)
        return self.value_source(declared, model_field, query.column(path), query)

    def link_source(self, declared, model, prefix, query, attrs) -> str:
        """A self link (or a link to a related object): the URL from its lookup value."""
        path, _, _ = resolve(model, [*attrs, declared.lookup_field], prefix)
        index = query.column(path)
        n = self.links.index(declared.view_name, declared.lookup_url_kwarg)
        return f"(None if (v := r[{index}]) is None or v == '' else u[{2 * n}] + str(v) + u[{2 * n + 1}])"

    def related_source(self, declared, model, prefix, query) -> str:
        """A related object as its primary key, its slug or a link to it."""
        attrs = declared.source_attrs
        if isinstance(declared, relations.HyperlinkedRelatedField):
            return self.link_source(declared, model, prefix, query, attrs)
        if isinstance(declared, relations.SlugRelatedField):
            path, _, _ = resolve(model, [*attrs, declared.slug_field], prefix)
            return f"r[{query.column(path)}]"
        if isinstance(declared, relations.PrimaryKeyRelatedField) and declared.pk_field is None:
            path, _, _ = resolve(model, attrs, prefix)
            return f"r[{query.column(path)}]"
        raise RepresentationError(f"{type(declared).__name__} cannot be loaded in bulk")

    def value_source(self, declared, model_field, index: int, query: Query) -> str:
        """A column's value, converted as the DRF field converts it (``None`` stays ``None``)."""
        convert = converter(declared, model_field)
        if convert is None:
            return f"r[{index}]"
        if convert == "isoformat":
            return f"(None if (v := r[{index}]) is None else v.isoformat())"
        return f"(None if (v := r[{index}]) is None else {query.constant(convert)}(v))"

    def single_source(self, declared, model, prefix, query) -> str:
        """A nested object over a foreign key (or ``source="*"``): inlined into this query."""
        if declared.source == "*":
            return self.object_source(declared, model, prefix, query)
        path, model_field, target = resolve(model, declared.source_attrs, prefix)
        if target is None:
            raise RepresentationError("a nested object must be reached through a foreign key")
        # Its columns through the relation's name (`speaker__name`), its presence by the key.
        join = path.removesuffix(model_field.attname) + model_field.name
        inner = self.object_source(declared, target, join + LOOKUP_SEP, query)
        return f"(None if r[{query.column(path)}] is None else {inner})"

    def nested_source(self, declared, model, prefix, query) -> str:
        """A nested list: loaded by a query of its own, for every owner key at once."""
        *through_attrs, last = declared.source_attrs
        if through_attrs:  # a list of a related object: keyed by that object's foreign key
            key_path, _, owner = resolve(model, through_attrs, prefix)
            if owner is None:
                raise RepresentationError("a nested list must hang off this object or a foreign key")
        else:
            key_path, owner = f"{prefix}{model._meta.pk.name}", model
        base, parent, item_prefix, target, default_ordering = relation(owner, last)
        nested_query = Query(base, self.links)
        nested_query.column(parent)
        child = (
            declared.child if isinstance(declared, serializers.ListSerializer) else declared.child_relation
        )
        if isinstance(child, serializers.BaseSerializer):
            item = self.object_source(child, target, item_prefix, nested_query)
        elif isinstance(child, relations.RelatedField):
            item = self.related_source(child, target, item_prefix.removesuffix(LOOKUP_SEP), nested_query)
        else:
            raise RepresentationError("a nested list holds serializers or related fields")
        order = getattr(declared, "order_by", ()) if isinstance(declared, NestedList) else ()
        ordering = tuple(
            prefixed(term, item_prefix)
            for term in (order or default_ordering)
            if item_prefix or not sorts_by(term, parent)
        )
        position = len(query.nested)
        query.nested.append(
            NestedLoad(
                name=declared.field_name,
                query=self.finish(nested_query, item),
                key=query.column(key_path),
                ordering=ordering,
                limit=getattr(declared, "limit", None),
            )
        )
        return f"(L[{position}].get(r[{query.nested[position].key}]) or [])"


# -- models ---------------------------------------------------------------------------------------


def resolve(model, attrs, prefix: str):
    """The ``values()`` path of ``attrs`` from ``model``, its last model field, and the model that
    field points at (``None`` for a plain column). Every step but the last is a foreign key."""
    path, model_field, target = prefix.removesuffix(LOOKUP_SEP), None, model
    for attr in attrs:
        if target is None:
            raise RepresentationError(f"`{'.'.join(attrs)}` goes through a plain column")
        if attr == "pk":  # by its name: a query selecting both would lose one of them in Django's
            attr = target._meta.pk.name  # subquery for window filters
        try:
            model_field = target._meta.get_field(attr)
        except FieldDoesNotExist:
            raise RepresentationError(f"`{attr}` is not a field of {target.__name__}") from None
        if model_field.many_to_many or model_field.one_to_many or not model_field.concrete:
            raise RepresentationError(f"`{attr}` of {target.__name__} is a list, not a value")
        target = model_field.related_model if model_field.is_relation else None
        path = f"{path}{LOOKUP_SEP}{attr}" if path else attr
    if target is not None:  # a foreign key's own column, under one name (`speaker_id`, not `speaker`)
        path = path.removesuffix(attr) + model_field.attname
    return path, model_field, target


def relation(owner, name: str):
    """How to load ``owner``'s related list ``name``: the model to query, the path of the owner's
    key on it, the path prefix of the related object, its model, and its default ordering."""
    try:
        rel = owner._meta.get_field(name)
    except FieldDoesNotExist:
        raise RepresentationError(f"`{name}` is not a relation of {owner.__name__}") from None
    if rel.one_to_many:  # a reverse foreign key: query the related model itself
        if not rel.field.target_field.primary_key:
            raise RepresentationError(f"`{name}` does not point at the primary key")
        related = rel.related_model
        return related, rel.field.attname, "", related, tuple(related._meta.ordering)
    if rel.many_to_many:  # either side of a many-to-many: query the link table
        if isinstance(rel, models.ManyToManyField):
            through = rel.remote_field.through
            own, other = rel.m2m_field_name(), rel.m2m_reverse_field_name()
        else:
            through = rel.field.remote_field.through
            own, other = rel.field.m2m_reverse_field_name(), rel.field.m2m_field_name()
        target = through._meta.get_field(other).related_model
        parent = through._meta.get_field(own).attname
        return through, parent, other + LOOKUP_SEP, target, tuple(target._meta.ordering)
    raise RepresentationError(f"`{name}` of {owner.__name__} is not a list")


def sorts_by(term, key: str) -> bool:
    """Whether an ordering term sorts by the foreign key ``key`` (constant within one owner's list:
    ``Participation`` orders by meeting first, which would only join the meeting table)."""
    return isinstance(term, str) and term.lstrip("-") in {key, key.removesuffix("_id")}


def prefixed(term, prefix: str):
    """An ordering term of the related model, as a term of the queried model."""
    if not prefix:
        return term
    if isinstance(term, str):
        sign, name = ("-", term[1:]) if term.startswith("-") else ("", term)
        return f"{sign}{prefix}{name}"
    if isinstance(term, F):
        return F(prefix + term.name)
    if isinstance(term, BaseExpression):
        copy = term.copy()
        copy.set_source_expressions([prefixed(e, prefix) for e in copy.get_source_expressions()])
        return copy
    return term


def converter(declared, model_field):
    """How the DRF field turns a column value into JSON: ``None`` (as is), ``"isoformat"`` or a
    callable (the field's own ``to_representation``)."""
    kind = model_field.get_internal_type() if model_field is not None else None
    represent = type(declared).to_representation
    if represent is serializers.CharField.to_representation and kind in TEXT_TYPES:
        return None
    if represent is serializers.IntegerField.to_representation and kind in INTEGER_TYPES:
        return None
    big = serializers.BigIntegerField.to_representation
    coerce = getattr(declared, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    if represent is big and kind in INTEGER_TYPES and not coerce:
        return None
    identical_choices = all(
        str(key) == key for key in getattr(declared, "choice_strings_to_values", {}).values()
    )
    if represent is serializers.ChoiceField.to_representation and kind in TEXT_TYPES and identical_choices:
        return None
    if represent is serializers.ReadOnlyField.to_representation:
        return None
    if represent is serializers.DateField.to_representation and kind == "DateField":
        output = getattr(declared, "format", empty)
        output = api_settings.DATE_FORMAT if output is empty else output
        if isinstance(output, str) and output.lower() == "iso-8601":
            return "isoformat"
    return declared.to_representation
