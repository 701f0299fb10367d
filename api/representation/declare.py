"""What a representation may declare beyond DRF's fields: ordered, bounded lists and counts.

Both work in DRF's own rendering (an object at a time, querying lazily) and tell the compiler
(api.representation.compiler) what to load in bulk, so the two can never disagree on order,
bound or count.
"""

from django.db import models
from django.db.models import Expression, F
from rest_framework import serializers


class NestedList(serializers.ListSerializer):
    """A nested list in a declared order (default: the related model's), optionally bounded."""

    def __init__(self, *args, order_by=(), limit: int | None = None, **kwargs):
        # Kept in the constructor's arguments, so DRF's per-request deep copies keep them too.
        self.order_by = tuple(order_by)
        self.limit = limit
        super().__init__(*args, **kwargs)

    def to_representation(self, data):
        if isinstance(data, models.manager.BaseManager):
            data = data.all()
            if self.order_by:
                data = data.order_by(*self.order_by)
            if self.limit is not None:
                data = data[: self.limit]
        return super().to_representation(data)


def nested(child: type[serializers.BaseSerializer], *, order_by=(), limit: int | None = None, **kwargs):
    """A read-only list of ``child`` representations, in ``order_by`` order, at most ``limit``.

    ``order_by`` is relative to the child's model, as in ``QuerySet.order_by``; left empty, it
    is that model's ``Meta.ordering``, as Django's related managers use.
    """
    kwargs.setdefault("read_only", True)
    return NestedList(child=child(), order_by=order_by, limit=limit, **kwargs)


class RelatedCount(Expression):
    """How many ``model`` rows have ``field`` pointing at the outer row's ``outer`` (a subquery).

    ``(SELECT COUNT(*) FROM related WHERE related.fk = outer.pk)``: PostgreSQL answers it from
    the foreign key's index for just the rows of a page, where ``annotate(Count(...))`` would
    aggregate the whole related table before the page's LIMIT. Written as one expression rather
    than Django's ``Subquery(...)`` idiom because resolving that costs more per request than the
    count itself.
    """

    def __init__(self, model: type[models.Model], field: str, outer: str = "pk"):
        super().__init__(output_field=models.IntegerField())
        self.counted_model, self.counted_field = model, field
        self.outer = F(outer)

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        (self.outer,) = exprs

    def as_sql(self, compiler, connection):
        outer, params = compiler.compile(self.outer)
        table = connection.ops.quote_name(self.counted_model._meta.db_table)
        column = connection.ops.quote_name(self.counted_model._meta.get_field(self.counted_field).column)
        # Its own alias: the related table may be the outer one (a topic's children).
        return f"(SELECT COUNT(*) FROM {table} repr_counted WHERE repr_counted.{column} = {outer})", params


class CountField(serializers.IntegerField):
    """How many ``model`` rows point at this object through ``field`` (read-only)."""

    def __init__(self, model: type[models.Model], field: str, **kwargs):
        self.count_model, self.count_field = model, field
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def expression(self, outer: str = "pk") -> RelatedCount:
        """The count for the row whose primary key is at ``outer`` in the outer query."""
        return RelatedCount(self.count_model, self.count_field, outer)

    def get_attribute(self, instance):
        # DRF's own rendering of a plain instance counts with one query; compiled loading
        # annotates the count instead and never comes here.
        return self.count_model._default_manager.filter(**{self.count_field: instance.pk}).count()
