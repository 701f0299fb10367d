"""The statements of an imported fixture: matched with the article's, then created, merged or kept.

A fixture statement is known by its speaker, its text and which repeat it is (``statement_key``),
so a body edit or a statement added before it does not change which row it is. The article's
statements the fixture no longer lists are deleted only while this fixture owns them untouched.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from briefing import spans
from briefing.models import Article, Meeting, Official, Statement, Topic
from briefing.services import articles, statements
from briefing.services.fixtures import FixtureError
from briefing.services.import_records import DELETED, RecordImport, plain_values
from briefing.services.ownership import current_values, merge


@dataclass
class _Quoted:
    """A statement of the fixture: its record, its place in the fixture's body, its identity."""

    index: int
    row: dict
    span: spans.Span
    key: str


def statement_key(speaker: str, text: str, ordinal: int) -> str:
    """A fixture statement's identity: its speaker, its text (hashed) and which repeat it is."""
    digest = hashlib.sha256(f"{speaker}\x00{text}".encode()).hexdigest()[:24]
    return f"{speaker}/{digest}/{ordinal}"


class StatementsImport(RecordImport):
    """The statement half of a fixture import."""

    quoted: list[_Quoted]

    def check_statements(self) -> None:
        """Each statement a verbatim, unambiguous span of the fixture's own body, in body order."""
        seen: dict[tuple[str, str], int] = {}
        previous = None
        for i, row in enumerate(self.data["statements"]):
            record = f"statements[{i}]"
            with self._refusal(record):
                try:
                    span = spans.locate(self.data["article"]["body"], row["text"], start=row.get("start"))
                except ValidationError as exc:
                    raise ValidationError({"start" if exc.code == "not_at_start" else "text": exc}) from exc
            if previous is not None and span.start < previous.start:
                raise FixtureError(
                    self.source, record, "text",
                    f"Statements must be listed in the order they appear in the article body: this one "
                    f"starts at {span.start}, before the one above it ({previous.start}).",
                )  # fmt: skip
            previous = span
            identity = (row["speaker"], row["text"])
            seen[identity] = seen.get(identity, 0) + 1
            self.quoted.append(_Quoted(i, row, span, statement_key(*identity, seen[identity])))

    def _import_statements(self, article: Article, new_body: str | None) -> None:
        """Match the fixture's statements with the article's, drop what the fixture no longer
        owns, move to the new body if the import owns it, then create and update."""
        stored = {s.pk: s for s in article.statements.prefetch_related("topics")}
        owned = self.ledger.owned_ids(Statement)
        matched: dict[int, Any] = {}
        for quoted in self.quoted:
            entry = self.ledger.get(Statement, quoted.key)
            if entry is not None:
                matched[quoted.index] = stored.get(entry.object_id, DELETED)
        taken = {obj.pk for obj in matched.values() if obj is not DELETED}
        for quoted in self.quoted:
            if quoted.index in matched:
                continue
            speaker = self.rows[Official].get(quoted.row["speaker"])
            twin = next(
                (
                    s
                    for s in stored.values()
                    if s.pk not in taken and s.pk not in owned and s.text == quoted.row["text"]
                    and speaker is not None and s.speaker_id == speaker.pk
                ),
                None,
            )  # fmt: skip
            if twin is not None:
                matched[quoted.index] = twin
                taken.add(twin.pk)
        for statement in stored.values():
            if statement.pk not in taken:
                self._drop(Statement, statement, owned.get(statement.pk), f"statement #{statement.position}")
        if new_body is not None:
            self._move_body(article, new_body, matched)
        new = []
        for quoted in self.quoted:
            obj = matched.get(quoted.index)
            if obj is DELETED:
                self.report.keep(f"statements[{quoted.index}]", "deleted by an editor (not recreated)")
                self.report.add(Statement, "kept")
            elif obj is None:
                wanted = self._statement_wanted(article, quoted)
                item = self._new_statement(article, quoted, wanted) if wanted is not None else None
                if item is not None:
                    new.append((quoted, item, plain_values(wanted)))
            else:
                self._update_statement(article, quoted, obj)
        if new:
            with self._refusal("statements", indexes=[quoted.index for quoted, _, _ in new]):
                statements.statements_create(
                    article=article, new=[item for _, item, _ in new], reason=self.reason
                )
            for quoted, item, values in new:
                values["start"] = item.statement.start
                self.ledger.note(Statement, quoted.key, item.statement, values)
                self.report.add(Statement, "created")

    def _move_body(self, article: Article, body: str, matched: dict) -> None:
        pinned = {
            obj.pk: quoted.span
            for quoted in self.quoted
            if (obj := matched.get(quoted.index)) not in (None, DELETED) and obj.text == quoted.row["text"]
        }
        article.body = body
        try:
            with transaction.atomic():
                articles.article_save(article=article, reason=self.reason, pinned=pinned)
        except ValidationError as exc:
            article.refresh_from_db()
            reasons = "; ".join(exc.message_dict.get("body", exc.messages))
            self.report.keep(
                "article.body",
                f"as it is: the fixture's body would break statements editors keep ({reasons})",
            )
            return
        for quoted in self.quoted:
            obj = matched.get(quoted.index)
            if obj not in (None, DELETED):
                obj.refresh_from_db(fields=["start", "end", "position"])
        entry = self.ledger.get(Article, self.data["article"]["slug"])
        self.ledger.note(
            Article, self.data["article"]["slug"], article, {**(entry.values if entry else {}), "body": body}
        )
        self.report.add(Article, "updated")

    def _statement_wanted(self, article: Article, quoted: _Quoted) -> dict[str, Any] | None:
        record = f"statements[{quoted.index}]"
        row = quoted.row
        speaker = self._ref(Official, row["speaker"], record, "speaker")
        if speaker is None:
            return None
        meeting = self._ref(Meeting, row.get("meeting"), record, "meeting")
        wanted = {
            "speaker": speaker,
            "meeting": meeting,
            "kind": row["kind"],
            "text": row["text"],
            "topics": [
                self._ref(Topic, slug, f"{record}.topics[{j}]")
                for j, slug in enumerate(row.get("topics", []))
            ],
        }
        if meeting is None:
            wanted["date"] = self._date(row.get("date"), record, "date")
        if article.body == self.body:
            wanted["start"] = quoted.span.start
        return wanted

    def _new_statement(
        self, article: Article, quoted: _Quoted, wanted: dict
    ) -> statements.NewStatement | None:
        wanted = dict(wanted)
        start = wanted.pop("start", None)
        if start is None:  # an editor's body: the text must be in it, once
            try:
                start = spans.locate(article.body, quoted.row["text"]).start
            except ValidationError as exc:
                self.report.keep(f"statements[{quoted.index}]", f"not added: {' '.join(exc.messages)}")
                self.report.add(Statement, "kept")
                return None
        topics = wanted.pop("topics")
        statement = Statement(article=article, **{k: v for k, v in wanted.items() if k != "date"})
        statement.date = wanted.get("date")
        return statements.NewStatement(statement=statement, topics=topics, start=start)

    def _update_statement(self, article: Article, quoted: _Quoted, obj: Statement) -> None:
        record = f"statements[{quoted.index}]"
        wanted = self._statement_wanted(article, quoted)
        if wanted is None:
            return
        plain_wanted = plain_values(wanted)
        entry = self.ledger.get(Statement, quoted.key)
        result = merge(
            current=current_values(obj, list(plain_wanted)), wanted=plain_wanted,
            base=entry.values if entry else None, links={"topics"},
        )  # fmt: skip
        self._note_kept(record, result.kept)
        if result.changed:
            start = result.changed.pop("start", None)
            topics = self._assign(obj, result.changed, wanted)
            with self._refusal(record):
                statements.statement_save(
                    statement=obj, topics=topics.get("topics"), start=start, reason=self.reason
                )
            self.report.add(Statement, "updated")
        else:
            self.report.add(Statement, "kept" if result.kept else "unchanged")
        self.ledger.note(Statement, quoted.key, obj, result.baseline)
