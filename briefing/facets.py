"""Facets: how many of a filtered set of meetings or statements have each value of a field.

One aggregate query per facet, over the whole filtered set (not just the page), the way an
analyst narrows a collection. Each facet answers at most ``FACET_LIMIT`` values, most
frequent first (months in calendar order).
"""

from collections.abc import Callable

from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth

from briefing.models import Meeting, Participation, Statement

FACET_LIMIT = 100

FacetRows = list[dict]


def _counted(rows: QuerySet, value: str, label: str | None = None, labels: dict | None = None) -> FacetRows:
    """Count ``rows`` per ``value``, labelled by the ``label`` field or the ``labels`` mapping."""
    fields = [value, label] if label else [value]
    counted = rows.values(*fields).annotate(count=Count("*")).order_by("-count", *fields)[:FACET_LIMIT]
    return [
        {
            "value": row[value],
            "label": row[label] if label else (labels or {}).get(row[value], row[value]),
            "count": row["count"],
        }
        for row in counted
    ]


def _by_month(rows: QuerySet, field: str) -> FacetRows:
    counted = (
        rows.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(count=Count("*"))
        .order_by(F("month").asc(nulls_last=True))[:FACET_LIMIT]
    )
    return [
        {
            "value": row["month"].strftime("%Y-%m") if row["month"] else None,
            "label": row["month"].strftime("%B %Y") if row["month"] else "Date not reported",
            "count": row["count"],
        }
        for row in counted
    ]


def _pks(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values("pk")


MEETING_FACETS: dict[str, Callable[[QuerySet], FacetRows]] = {
    "topic": lambda meetings: _counted(
        Meeting.topics.through.objects.filter(meeting__in=_pks(meetings)), "topic__slug", "topic__name"
    ),
    "official": lambda meetings: _counted(
        Participation.objects.filter(meeting__in=_pks(meetings)), "official__slug", "official__name"
    ),
    "city": lambda meetings: _counted(Meeting.objects.filter(pk__in=_pks(meetings)).exclude(city=""), "city"),
    "kind": lambda meetings: _counted(
        Meeting.objects.filter(pk__in=_pks(meetings)), "kind", labels=dict(Meeting.Kind.choices)
    ),
    "date": lambda meetings: _by_month(Meeting.objects.filter(pk__in=_pks(meetings)), "date"),
}

STATEMENT_FACETS: dict[str, Callable[[QuerySet], FacetRows]] = {
    "topic": lambda statements: _counted(
        Statement.topics.through.objects.filter(statement__in=_pks(statements)), "topic__slug", "topic__name"
    ),
    "speaker": lambda statements: _counted(
        Statement.objects.filter(pk__in=_pks(statements)), "speaker__slug", "speaker__name"
    ),
    "meeting": lambda statements: _counted(
        Statement.objects.filter(pk__in=_pks(statements), meeting__isnull=False),
        "meeting__slug",
        "meeting__title",
    ),
    "kind": lambda statements: _counted(
        Statement.objects.filter(pk__in=_pks(statements)), "kind", labels=dict(Statement.Kind.choices)
    ),
    "date": lambda statements: _by_month(Statement.objects.filter(pk__in=_pks(statements)), "date"),
}
