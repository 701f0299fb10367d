"""Statements: the owner of "a statement is a verbatim span of its article, numbered in body order".

Every writer — the API, the admin, the importer — goes through these functions. Each holds its
article's row lock for the whole write (``select_for_update`` on PostgreSQL; SQLite runs write
transactions one at a time), so no interleaving with a body change can leave a statement whose
span does not hold its text.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction

from briefing import rules, spans, validators
from briefing.models import Article, Statement, Topic
from briefing.services.records import full_clean, save_in_transaction

# Positions are moved out of the way by this much while an article is renumbered, so the
# unique (article, position) constraint holds at every step; new statements wait above twice
# that until they are numbered.
_RENUMBER_OFFSET = 10 * rules.MAX_POSITION
_UNNUMBERED = 2 * _RENUMBER_OFFSET


def locked_article(article_id: int) -> Article:
    """The article, its row locked until the end of the transaction."""
    return Article.objects.select_for_update().get(pk=article_id)


def statement_pin(
    *,
    statement: Statement,
    start: int | None = None,
    attribution_start: int | None = None,
    body: str | None = None,
) -> None:
    """Give ``statement`` its spans in ``body`` (default: its article's) and its meeting's date.

    The text, and the attributing words when there are any, must each be a verbatim span:
    ``start`` / ``attribution_start`` choose among several occurrences; without them a stored
    span is kept while it still holds its text, else the text must occur once — and attributing
    words (`he said` recurs) are the occurrence nearest the statement. A statement said at its
    meeting takes the meeting's date. Raises a ``ValidationError`` naming the field.
    """
    statement.clean()  # the relation to the meeting, the date's period
    if statement.meeting_id is not None and statement.meeting_relation == Statement.Relation.AT:
        statement.set_reported_date(statement.meeting.reported_date)
        statement.date_as_reported = statement.date_as_reported or statement.meeting.date_as_reported
    if statement.article_id is None:
        return  # full_clean reports the missing field
    body = statement.article.body if body is None else body
    errors = {}
    try:
        validators.not_only_whitespace(statement.text)  # before it is looked for everywhere
        span = spans.locate(
            body, statement.text, start=start, hint=None if statement._state.adding else statement.start
        )
        statement.start, statement.end = span.start, span.end
    except ValidationError as exc:
        errors["start" if exc.code == "not_at_start" else "text"] = exc
    if not statement.attribution_text:
        statement.attribution_start = statement.attribution_end = None
    else:
        hint = None if statement._state.adding else statement.attribution_start
        try:
            span = spans.locate(
                body, statement.attribution_text, start=attribution_start, hint=hint,
                near=None if "text" in errors else spans.Span(statement.start, statement.end),
            )  # fmt: skip
            statement.attribution_start, statement.attribution_end = span.start, span.end
        except ValidationError as exc:
            errors["attribution_start" if exc.code == "not_at_start" else "attribution_text"] = exc
    if errors:
        raise ValidationError(errors)


@transaction.atomic(savepoint=False)
def statement_save(
    *,
    statement: Statement,
    topics: Iterable[Topic] | None = None,
    start: int | None = None,
    attribution_start: int | None = None,
    reason: str | None = None,
) -> Statement:
    """Create or change one statement: lock its article, pin the spans, save, renumber the article."""
    if statement.article_id is not None:
        statement.article = locked_article(statement.article_id)
    statement_pin(statement=statement, start=start, attribution_start=attribution_start)
    if statement.position is None:
        statement.position = _UNNUMBERED  # numbered below, before the write ends
    save_in_transaction(instance=statement, m2m=None if topics is None else {"topics": topics}, reason=reason)
    renumber(article=statement.article)
    statement.refresh_from_db(fields=["position"])
    return statement


@transaction.atomic(savepoint=False)
def statement_delete(*, statement: Statement, reason: str | None = None) -> None:
    """Delete one statement and renumber the rest of its article."""
    article = locked_article(statement.article_id)
    statement._change_reason = reason
    statement.delete()
    renumber(article=article)


@dataclass
class NewStatement:
    """A statement to create with others of its article, and the writer's choice of occurrences."""

    statement: Statement
    topics: Sequence[Topic] = ()
    start: int | None = None
    attribution_start: int | None = None


def statements_create(*, article: Article, new: Sequence[NewStatement], reason: str | None = None) -> None:
    """Create many statements of one article under one lock: each pinned and validated, then
    inserted with their topics and history in a few queries, then the article renumbered.

    Runs inside the caller's transaction (the importer's, per file). Raises the first statement's
    ``ValidationError`` with ``params["index"]`` naming it.
    """
    article = locked_article(article.pk)
    for index, item in enumerate(new):
        item.statement.article = article
        item.statement.position = _UNNUMBERED + index
        try:
            statement_pin(
                statement=item.statement, start=item.start, attribution_start=item.attribution_start
            )
            full_clean(item.statement, fetched=["article", "speaker", "meeting"])
        except ValidationError as exc:
            exc.params = {**(getattr(exc, "params", None) or {}), "index": index}
            raise
    _insert(new, reason)
    renumber(article=article)


def renumber(*, article: Article) -> None:
    """Number the article's statements 1, 2, … by where they stand in the body.

    Ties (statements sharing a span, e.g. one sentence credited to two speakers) keep the
    order they were written in. Only rows whose number changes are written, in two steps so
    that no two statements share a number at any point.
    """
    rows = list(article.statements.order_by("start", "end", "id").values_list("pk", "position"))
    moved = {pk: number for number, (pk, position) in enumerate(rows, start=1) if position != number}
    if not moved:
        return
    Statement.objects.filter(pk__in=moved).update(position=models.F("position") + _RENUMBER_OFFSET)
    Statement.objects.bulk_update([Statement(pk=pk, position=n) for pk, n in moved.items()], ["position"])


def _insert(new: Sequence[NewStatement], reason: str | None) -> None:
    """Insert validated statements with their topic links and creation history, in four queries.

    Writes what ``save_in_transaction`` writes for each — the row, its topic links, one creation
    record in the history and that record's snapshot of the links. Needs a database that returns
    the ids of bulk-inserted rows (PostgreSQL; SQLite from 3.35).
    """
    rows = [item.statement for item in new]
    for statement in rows:
        statement._change_reason = reason
    Statement.objects.bulk_create(rows)
    link_model = Statement.topics.through
    links = link_model.objects.bulk_create(
        [link_model(statement=item.statement, topic=topic) for item in new for topic in item.topics]
    )
    records = Statement.history.bulk_history_create(rows)
    if not records:  # history switched off (SIMPLE_HISTORY_ENABLED)
        return
    snapshot_model = Statement.history.model.topics.model
    record_of = {record.id: record for record in records}
    link_fields = [f.name for f in link_model._meta.fields]
    snapshot_model.objects.bulk_create(
        [
            snapshot_model(history=record_of[link.statement_id], **{f: getattr(link, f) for f in link_fields})
            for link in links
        ]
    )
