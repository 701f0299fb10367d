"""Writing an article and everything structured in it back out as a fixture.

Curated work lives in the database; exporting it lets editors commit it as a fixture. The
export is what the importer reads: importing it into the same database changes nothing, and
exporting a freshly imported fixture gives its data back.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from briefing import spans
from briefing.models import (
    Article,
    ImportRecord,
    Meeting,
    Membership,
    Mention,
    Official,
    Organization,
    Participation,
    Post,
    Statement,
    Topic,
)

SCHEMA_POINTER = "../article.schema.json"


def fixture_export(*, article: Article) -> dict[str, Any]:
    """The fixture of ``article`` (format version 2): the records it names (parents first), its
    mentions, meetings and statements."""
    statements = list(
        article.statements.select_related("speaker", "meeting")
        .prefetch_related("topics")
        .order_by("position")
    )
    participations = Participation.objects.select_related("official", "post")
    meetings = list(
        article.meetings.order_by("date", "slug").prefetch_related(
            "topics", Prefetch("participations", queryset=participations)
        )
    )
    mentions = list(article.mentions.select_related("official").order_by("start", "id"))
    introduced = _introduced(article)
    officials = {s.speaker for s in statements if s.speaker_id is not None}
    officials |= {p.official for m in meetings for p in m.participations.all()} | {
        m.official for m in mentions
    }
    officials |= set(Official.objects.filter(pk__in=introduced.get("official", ())))
    memberships = list(
        Membership.objects.filter(official__in=officials)
        .select_related("official", "post")
        .order_by("official__slug", "post__slug", "start_date")
    )
    posts = {m.post for m in memberships} | {
        p.post for m in meetings for p in m.participations.all() if p.post_id
    }
    topics = {t for owner in (*statements, *meetings) for t in owner.topics.all()}
    topics |= set(Topic.objects.filter(pk__in=introduced.get("topic", ())))
    posts |= set(Post.objects.filter(pk__in=introduced.get("post", ())))
    organizations = {o.organization for o in (*officials, *posts) if o.organization_id is not None}
    organizations |= set(Organization.objects.filter(pk__in=introduced.get("organization", ())))
    return {
        "$schema": SCHEMA_POINTER,
        "format": 2,
        "article": {
            "slug": article.slug,
            "title": article.title,
            "publisher": article.publisher,
            "original_source": article.original_source,
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
                "aliases": o.aliases,
                "title": o.title,
                "organization": o.organization.slug if o.organization_id else None,
            }
            for o in sorted(officials, key=lambda o: o.slug)
        ],
        "posts": [
            {
                "slug": p.slug,
                "label": p.label,
                "organization": p.organization.slug if p.organization_id else None,
            }
            for p in sorted(posts, key=lambda p: p.slug)
        ],
        "memberships": [
            {
                "official": m.official.slug,
                "post": m.post.slug,
                "start_date": _date(m.start_date),
                "end_date": _date(m.end_date),
                "source": m.source,
            }
            for m in memberships
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
        "mentions": [_mention(m, article.body) for m in mentions],
        "meetings": [_meeting(m) for m in meetings],
        "statements": [_statement(s, article.body) for s in statements],
    }


def _meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "date": meeting.reported_date.iso(),
        "date_as_reported": meeting.date_as_reported,
        "kind": meeting.kind,
        "location": meeting.location,
        "city": meeting.city,
        "summary": meeting.summary,
        "topics": sorted(t.slug for t in meeting.topics.all()),
        "participants_complete": meeting.participants_complete,
        "inferred": meeting.inferred,
        "participants": [
            {"official": p.official.slug, "role": p.role, "post": p.post.slug if p.post_id else None}
            for p in meeting.participations.all()
        ],
    }


def _mention(mention: Mention, body: str) -> dict[str, Any]:
    row: dict[str, Any] = {"official": mention.official.slug, "text": mention.text}
    _start_if_ambiguous(row, "start", body, mention.text, mention.start)
    row |= {name: getattr(mention, name) for name in ("name_as_printed", "title_as_given", "honorifics")}
    return row


def _statement(statement: Statement, body: str) -> dict[str, Any]:
    row: dict[str, Any] = {"speaker": statement.speaker.slug if statement.speaker_id else None}
    if statement.attribution:
        row["attribution"] = statement.attribution
    if statement.attribution_text:
        row["attribution_text"] = statement.attribution_text
        near = spans.Span(statement.start, statement.end)
        try:
            found = spans.locate(body, statement.attribution_text, near=near).start
        except ValidationError:
            found = None
        if found != statement.attribution_start:  # the words nearest the statement are not these
            row["attribution_start"] = statement.attribution_start
    row |= {
        "meeting": statement.meeting.slug if statement.meeting_id else None,
        "kind": statement.kind,
        "text": statement.text,
    }
    if statement.meeting_id:
        row["meeting_relation"] = statement.meeting_relation
    _start_if_ambiguous(row, "start", body, statement.text, statement.start)
    if statement.meeting_id is None or statement.meeting_relation != Statement.Relation.AT:
        if statement.date is not None:
            row["date"] = statement.reported_date.iso()
        if statement.date_as_reported:
            row["date_as_reported"] = statement.date_as_reported
    row["topics"] = sorted(t.slug for t in statement.topics.all())
    return row


def _start_if_ambiguous(row: dict, key: str, body: str, text: str, start: int | None) -> None:
    """Give the offset only where the text alone does not say which occurrence it is."""
    if len(spans.occurrences(body, text)) > 1:
        row[key] = start


def _introduced(article: Article) -> dict[str, set[int]]:
    """Rows this article's fixture introduced that nothing in it refers to any more (kept in its export)."""
    found: dict[str, set[int]] = {}
    for model, object_id in ImportRecord.objects.filter(
        source=article.slug, model__in=["organization", "official", "topic", "post"]
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
