"""Writing an article and everything structured in it back out as a fixture.

Curated work lives in the database; exporting it lets editors commit it as a fixture. The
export is what the importer reads: importing it into the same database changes nothing, and
exporting a freshly imported fixture gives its data back.
"""

from typing import Any

from django.db.models import Prefetch

from briefing import spans
from briefing.models import (
    Article,
    ImportRecord,
    Meeting,
    Official,
    Organization,
    Participation,
    Statement,
    Topic,
)

SCHEMA_POINTER = "../article.schema.json"


def fixture_export(*, article: Article) -> dict[str, Any]:
    """The fixture of ``article``: the records it names (parents first), its meetings and statements."""
    statements = list(
        article.statements.select_related("speaker", "meeting")
        .prefetch_related("topics")
        .order_by("position")
    )
    meetings = list(
        article.meetings.order_by("date", "slug").prefetch_related(
            "topics", Prefetch("participations", queryset=Participation.objects.select_related("official"))
        )
    )
    introduced = _introduced(article)
    officials = {s.speaker for s in statements} | {
        p.official for m in meetings for p in m.participations.all()
    }
    officials |= set(Official.objects.filter(pk__in=introduced.get("official", ())))
    topics = {t for owner in (*statements, *meetings) for t in owner.topics.all()}
    topics |= set(Topic.objects.filter(pk__in=introduced.get("topic", ())))
    organizations = {o.organization for o in officials if o.organization_id is not None}
    organizations |= set(Organization.objects.filter(pk__in=introduced.get("organization", ())))
    return {
        "$schema": SCHEMA_POINTER,
        "article": {
            "slug": article.slug,
            "title": article.title,
            "publisher": article.publisher,
            "url": article.url,
            "published_on": _date(article.published_on),
            "body": article.body,
        },
        "organizations": [
            {
                "slug": o.slug,
                "name": o.name,
                "abbreviation": o.abbreviation,
                "kind": o.kind,
                "parent": o.parent.slug if o.parent_id else None,
            }
            for o in _parents_first(organizations)
        ],
        "officials": [
            {
                "slug": o.slug,
                "name": o.name,
                "title": o.title,
                "organization": o.organization.slug if o.organization_id else None,
            }
            for o in sorted(officials, key=lambda o: o.slug)
        ],
        "topics": [
            {
                "slug": t.slug,
                "name": t.name,
                "description": t.description,
                "parent": t.parent.slug if t.parent_id else None,
            }
            for t in _parents_first(topics)
        ],
        "meetings": [_meeting(m) for m in meetings],
        "statements": [_statement(s, article.body) for s in statements],
    }


def _meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "date": _date(meeting.date),
        "kind": meeting.kind,
        "location": meeting.location,
        "city": meeting.city,
        "summary": meeting.summary,
        "topics": sorted(t.slug for t in meeting.topics.all()),
        "participants": [{"official": p.official.slug, "role": p.role} for p in meeting.participations.all()],
    }


def _statement(statement: Statement, body: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "speaker": statement.speaker.slug,
        "meeting": statement.meeting.slug if statement.meeting_id else None,
        "kind": statement.kind,
        "text": statement.text,
    }
    # Only where the text alone does not say which occurrence it is.
    if len(spans.occurrences(body, statement.text)) > 1:
        row["start"] = statement.start
    if statement.meeting_id is None and statement.date is not None:
        row["date"] = _date(statement.date)
    row["topics"] = sorted(t.slug for t in statement.topics.all())
    return row


def _introduced(article: Article) -> dict[str, set[int]]:
    """Rows this article's fixture introduced that nothing in it refers to any more (kept in its export)."""
    found: dict[str, set[int]] = {}
    for model, object_id in ImportRecord.objects.filter(
        source=article.slug, model__in=["organization", "official", "topic"]
    ).values_list("model", "object_id"):
        found.setdefault(model, set()).add(object_id)
    return found


def _parents_first(rows: set) -> list:
    """``rows`` with their ancestors, each after its parent (a fixture refers only upwards)."""
    chain = set()
    for row in rows:
        while row is not None and row not in chain:
            chain.add(row)
            row = row.parent
    ordered, placed = [], set()

    def place(row):
        if row.pk in placed:
            return
        if row.parent_id is not None:
            place(row.parent)
        placed.add(row.pk)
        ordered.append(row)

    for row in sorted(chain, key=lambda r: r.slug):
        place(row)
    return ordered


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None
