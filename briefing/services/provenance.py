"""Every span quoted from an article — statements, their attributing words, mentions — and how a
body change carries them.

A body change is accepted only if each span can be found again in the new body, where the edit
kept its passage or as the body's one occurrence of its text (``briefing.spans.remap``); the
refusal names every span that would be lost or ambiguous. The moves are stored with a history
record for each row that moved.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from briefing import rules, spans
from briefing.models import Article, Mention, Statement


@dataclass(frozen=True)
class SpanKind:
    """A kind of span some rows of an article hold: its model and fields, and how to name one."""

    model: type[models.Model]
    start: str
    end: str
    text: str
    label: str

    def rows(self, article: Article) -> list:
        manager = self.model.objects.filter(article=article, **{f"{self.start}__isnull": False})
        return list(
            manager.select_related(*(["official"] if self.model is Mention else [])).order_by(self.start)
        )

    def name(self, row) -> str:
        if self.model is Mention:
            return f"{self.label} “{rules.snippet(row.text)}” of {row.official.name} (id {row.pk})"
        return f"{self.label.format(position=row.position)} (id {row.pk}) “{rules.snippet(getattr(row, self.text))}”"


STATEMENT_TEXT = SpanKind(Statement, "start", "end", "text", "Statement #{position}")
STATEMENT_ATTRIBUTION = SpanKind(
    Statement,
    "attribution_start",
    "attribution_end",
    "attribution_text",
    "The attribution of statement #{position}",
)
MENTION = SpanKind(Mention, "start", "end", "text", "Mention")
KINDS = (STATEMENT_TEXT, STATEMENT_ATTRIBUTION, MENTION)

Pinned = dict[tuple[SpanKind, int], spans.Span]


@dataclass
class Move:
    """One row's span of one kind, to be stored at a new place."""

    kind: SpanKind
    row: models.Model
    span: spans.Span


def spans_moved(*, article: Article, body: str, pinned: Pinned | None = None) -> list[Move]:
    """Where every span of the stored ``article`` stands in ``body``; refuse a body that loses one.

    ``pinned`` gives spans the writer chose in the new body (the importer's fixture says where
    its statements and mentions stand); they must hold their text. The refusal, on ``body``,
    names each span that would no longer be verbatim or would become ambiguous, and why.
    """
    pinned = pinned or {}
    moves, refused = [], []
    for kind in KINDS:
        rows = kind.rows(article)
        free = [row for row in rows if (kind, row.pk) not in pinned]
        found = dict(
            zip(
                (row.pk for row in free),
                spans.remap(
                    article.body,
                    body,
                    [(getattr(r, kind.start), getattr(r, kind.end), getattr(r, kind.text)) for r in free],
                ),
                strict=True,
            )
        )
        for row in rows:
            result = (
                found.get(row.pk)
                if (kind, row.pk) not in pinned
                else _pinned(pinned[kind, row.pk], body, getattr(row, kind.text))
            )
            if isinstance(result, ValidationError):
                refused.append(
                    ValidationError(
                        "%(span)s: %(reason)s",
                        code=result.code,
                        params={"span": kind.name(row), "reason": " ".join(result.messages)},
                    )
                )
            elif (getattr(row, kind.start), getattr(row, kind.end)) != (result.start, result.end):
                moves.append(Move(kind, row, result))
    if refused:
        raise ValidationError({"body": refused})
    return moves


def spans_move(*, moves: list[Move], reason: str | None) -> None:
    """Store the new spans ``spans_moved`` found, with one history record per row that moved."""
    by_model: dict[type[models.Model], dict[int, models.Model]] = {}
    fields: dict[type[models.Model], set[str]] = {}
    for move in moves:
        row = by_model.setdefault(move.kind.model, {}).setdefault(move.row.pk, move.row)
        setattr(row, move.kind.start, move.span.start)
        setattr(row, move.kind.end, move.span.end)
        fields.setdefault(move.kind.model, set()).update({move.kind.start, move.kind.end})
    for model, rows in by_model.items():
        model.objects.bulk_update(list(rows.values()), sorted(fields[model]))
        stored = list(model.objects.filter(pk__in=rows))
        for row in stored:
            row._change_reason = reason
        model.history.bulk_history_create(stored)


def _pinned(span: spans.Span, body: str, text: str) -> spans.Span | ValidationError:
    return span if body[span.start : span.end] == text else spans.not_verbatim(body, text)
