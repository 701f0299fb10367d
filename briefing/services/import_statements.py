"""What an imported fixture quotes from its article — statements and mentions — matched with the
article's rows, then created, merged or kept.

A fixture's statement is known by its speaker, its text and which repeat of the pair it is
(``quoted_key``); a mention likewise by its official and text. So a body edit, or a statement
added before it, does not change which row it is. Rows the fixture no longer lists are deleted
only while this fixture owns them untouched; a body the fixture owns moves with them.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from briefing import spans
from briefing.dates import PartialDate
from briefing.models import Article, Meeting, Mention, Official, Statement, Topic
from briefing.services import articles, mentions, provenance, statements
from briefing.services.fixtures import FixtureError
from briefing.services.import_records import DELETED, RecordImport, plain_values
from briefing.services.ownership import current_values, default_values, merge

_MENTION_FIELDS = ("text", "name_as_printed", "title_as_given", "honorifics")


@dataclass
class _Quoted:
    """A statement or mention of the fixture: its record, its spans in the fixture's body, its identity."""

    records: str  # "statements" or "mentions"
    index: int
    row: dict
    span: spans.Span
    key: str
    attribution: spans.Span | None = None
    matched: Any = None  # the stored row, DELETED, or None (new)
    wanted: dict = field(default_factory=dict)

    @property
    def record(self) -> str:
        return f"{self.records}[{self.index}]"


def quoted_key(who: str | None, text: str, ordinal: int) -> str:
    """A fixture statement's or mention's identity: who, the text (hashed), which repeat it is."""
    digest = hashlib.sha256(f"{who or ''}\x00{text}".encode()).hexdigest()[:24]
    return f"{who or '(unknown)'}/{digest}/{ordinal}"


class QuotedImport(RecordImport):
    """The statements and mentions half of a fixture import."""

    quoted: list[_Quoted]

    def check_quoted(self) -> None:
        """Each statement, attribution and mention a verbatim, unambiguous span of the fixture's
        own body; statements and mentions each listed in body order."""
        body = self.data["article"]["body"]
        for records, who in (("statements", "speaker"), ("mentions", "official")):
            seen: dict[tuple, int] = {}
            previous = None
            for i, row in enumerate(self.data.get(records, [])):
                record = f"{records}[{i}]"
                span = self._located(body, record, "text", row["text"], row.get("start"))
                attribution = None
                if row.get("attribution_text"):
                    attribution = self._located(
                        body,
                        record,
                        "attribution_text",
                        row["attribution_text"],
                        row.get("attribution_start"),
                    )
                if previous is not None and span.start < previous.start:
                    raise FixtureError(
                        self.source, record, "text",
                        f"{records.capitalize()} must be listed in the order they appear in the article body: "
                        f"this one starts at {span.start}, before the one above it ({previous.start}).",
                    )  # fmt: skip
                previous = span
                identity = (row[who], row["text"])
                seen[identity] = seen.get(identity, 0) + 1
                self.quoted.append(
                    _Quoted(records, i, row, span, quoted_key(*identity, seen[identity]), attribution)
                )

    def _located(
        self,
        body: str,
        record: str,
        field_name: str,
        text: str,
        start: int | None,
        near: spans.Span | None = None,
    ) -> spans.Span:
        with self._refusal(record):
            try:
                return spans.locate(body, text, start=start, near=near)
            except ValidationError as exc:
                start_field = "attribution_start" if field_name == "attribution_text" else "start"
                raise ValidationError(
                    {start_field if exc.code == "not_at_start" else field_name: exc}
                ) from exc

    def _import_quoted(self, article: Article, new_body: str | None) -> None:
        """Match, drop what the fixture no longer owns, move to the new body if the import owns
        it, then create and update — statements first, then mentions."""
        for records, model, who in (("statements", Statement, "speaker"), ("mentions", Mention, "official")):
            self._match(article, [q for q in self.quoted if q.records == records], model, who)
        if new_body is not None:
            self._move_body(article, new_body)
        for quoted in self.quoted:
            if quoted.matched is DELETED:
                self.report.keep(quoted.record, "deleted by an editor (not recreated)")
                self.report.add(Statement if quoted.records == "statements" else Mention, "kept")
        self._write_statements(article, [q for q in self.quoted if q.records == "statements"])
        self._write_mentions(article, [q for q in self.quoted if q.records == "mentions"])

    def _match(self, article: Article, quoted: list[_Quoted], model: type[models.Model], who: str) -> None:
        """Pair each fixture record with the row it wrote (or an identical unowned one); drop the rest."""
        stored = {row.pk: row for row in model.objects.filter(article=article).prefetch_related(
            *(["topics"] if model is Statement else [])
        )}  # fmt: skip
        owned = self.ledger.owned_ids(model)
        for item in quoted:
            entry = self.ledger.get(model, item.key)
            if entry is not None:
                item.matched = stored.get(entry.object_id, DELETED)
        taken = {item.matched.pk for item in quoted if item.matched not in (None, DELETED)}
        for item in quoted:
            if item.matched is not None:
                continue
            slug = item.row[who]
            person = self.rows[Official].get(slug) if slug else None
            twin = next(
                (
                    row for row in stored.values()
                    if row.pk not in taken and row.pk not in owned and row.text == item.row["text"]
                    and getattr(row, f"{who}_id") == (person.pk if person else None)
                ),
                None,
            )  # fmt: skip
            if twin is not None:
                item.matched = twin
                taken.add(twin.pk)
        label = "statement" if model is Statement else "mention"
        for row in stored.values():
            if row.pk not in taken:
                where = f"{label} #{row.position}" if model is Statement else f"mention “{row.text}”"
                self._drop(model, row, owned.get(row.pk), where)

    def _move_body(self, article: Article, body: str) -> None:
        pinned: provenance.Pinned = {}
        for item in self.quoted:
            row = item.matched
            if row in (None, DELETED) or row.text != item.row["text"]:
                continue
            kind = provenance.STATEMENT_TEXT if item.records == "statements" else provenance.MENTION
            pinned[kind, row.pk] = item.span
            if item.attribution is not None and getattr(row, "attribution_text", "") == item.row.get(
                "attribution_text"
            ):
                pinned[provenance.STATEMENT_ATTRIBUTION, row.pk] = item.attribution
        article.body = body
        try:
            with transaction.atomic():
                articles.article_save(article=article, reason=self.reason, pinned=pinned)
        except ValidationError as exc:
            article.refresh_from_db()
            reasons = "; ".join(exc.message_dict.get("body", exc.messages))
            self.report.keep(
                "article.body", f"as it is: the fixture's body would break what editors keep ({reasons})"
            )
            return
        for item in self.quoted:
            if item.matched not in (None, DELETED):
                item.matched.refresh_from_db()
        slug = self.data["article"]["slug"]
        entry = self.ledger.get(Article, slug)
        self.ledger.note(Article, slug, article, {**(entry.values if entry else {}), "body": body})
        self.report.add(Article, "updated")

    # -- statements --------------------------------------------------------------------------

    def _statement_wanted(self, article: Article, item: _Quoted) -> dict[str, Any] | None:
        row = item.row
        speaker = None
        if row["speaker"] is not None:
            speaker = self._ref(Official, row["speaker"], item.record, "speaker")
            if speaker is None:
                return None  # an editor deleted the official: nothing to write
        meeting = self._ref(Meeting, row.get("meeting"), item.record, "meeting")
        relation = row.get("meeting_relation") or (Statement.Relation.AT if meeting else "")
        wanted = {
            "speaker": speaker,
            "attribution": row.get("attribution", ""),
            "attribution_text": row.get("attribution_text", ""),
            "meeting": meeting,
            "meeting_relation": relation if meeting else "",
            "kind": row["kind"],
            "text": row["text"],
            "topics": [
                self._ref(Topic, slug, f"{item.record}.topics[{j}]")
                for j, slug in enumerate(row.get("topics", []))
            ],
        }
        if meeting is None or relation != Statement.Relation.AT:
            when = self._partial_date(row.get("date"), item.record, "date")
            wanted |= {
                "date": when.start,
                "date_precision": when.precision,
                "date_as_reported": row.get("date_as_reported", ""),
            }
        if article.body == self.body:
            wanted["start"] = item.span.start
            if item.attribution is not None:
                wanted["attribution_start"] = item.attribution.start
        return wanted

    def _write_statements(self, article: Article, quoted: list[_Quoted]) -> None:
        new = []
        for item in quoted:
            if item.matched is DELETED:
                continue
            wanted = self._statement_wanted(article, item)
            if wanted is None:
                continue
            if item.matched is None:
                created = self._new_statement(article, item, wanted)
                if created is not None:
                    new.append((item, created, plain_values(wanted)))
            else:
                self._update_quoted(item, wanted, links={"topics"})
        if not new:
            return
        with self._refusal("statements", indexes=[item.index for item, _, _ in new]):
            statements.statements_create(
                article=article, new=[created for _, created, _ in new], reason=self.reason
            )
        for item, created, values in new:
            values["start"] = created.statement.start
            if created.statement.attribution_start is not None:
                values["attribution_start"] = created.statement.attribution_start
            self.ledger.note(Statement, item.key, created.statement, values)
            self.report.add(Statement, "created")

    def _new_statement(self, article: Article, item: _Quoted, wanted: dict) -> statements.NewStatement | None:
        wanted = dict(wanted)
        start, attribution_start = wanted.pop("start", None), wanted.pop("attribution_start", None)
        if start is None:  # an editor's body: the text must be in it, once
            try:
                start = spans.locate(article.body, item.row["text"]).start
            except ValidationError as exc:
                self.report.keep(item.record, f"not added: {' '.join(exc.messages)}")
                self.report.add(Statement, "kept")
                return None
        topics = wanted.pop("topics")
        statement = Statement(article=article, **wanted)
        return statements.NewStatement(
            statement=statement, topics=topics, start=start, attribution_start=attribution_start
        )

    # -- mentions ----------------------------------------------------------------------------

    def _mention_wanted(self, article: Article, item: _Quoted) -> dict[str, Any] | None:
        official = self._ref(Official, item.row["official"], item.record, "official")
        if official is None:
            return None
        wanted = {"official": official, **{name: item.row.get(name, "") for name in _MENTION_FIELDS}}
        if article.body == self.body:
            wanted["start"] = item.span.start
        return wanted

    def _write_mentions(self, article: Article, quoted: list[_Quoted]) -> None:
        new = []
        for item in quoted:
            if item.matched is DELETED:
                continue
            wanted = self._mention_wanted(article, item)
            if wanted is None:
                continue
            if item.matched is not None:
                self._update_quoted(item, wanted, links=set())
                continue
            start = wanted.pop("start", None)
            if start is None:
                try:
                    start = spans.locate(article.body, item.row["text"]).start
                except ValidationError as exc:
                    self.report.keep(item.record, f"not added: {' '.join(exc.messages)}")
                    self.report.add(Mention, "kept")
                    continue
            new.append((item, Mention(article=article, **wanted), start, plain_values(wanted)))
        if not new:
            return
        with self._refusal("mentions", indexes=[item.index for item, *_ in new]):
            mentions.mentions_create(
                article=article, new=[(m, start) for _, m, start, _ in new], reason=self.reason
            )
        for item, mention, _, values in new:
            self.ledger.note(Mention, item.key, mention, {**values, "start": mention.start})
            self.report.add(Mention, "created")

    # -- either ------------------------------------------------------------------------------

    def _update_quoted(self, item: _Quoted, wanted: dict, *, links: set[str]) -> None:
        model = type(item.matched)
        plain_wanted = plain_values(wanted)
        entry = self.ledger.get(model, item.key)
        result = merge(
            current=current_values(item.matched, list(plain_wanted)), wanted=plain_wanted,
            base=entry.values if entry else None, links=links,
            defaults=default_values(type(item.matched), list(plain_wanted)) if entry else None,
        )  # fmt: skip
        self._note_kept(item.record, result.kept)
        if result.changed:
            start = result.changed.pop("start", None)
            attribution_start = result.changed.pop("attribution_start", None)
            changed_links = self._assign(item.matched, result.changed, wanted)
            with self._refusal(item.record):
                if model is Statement:
                    statements.statement_save(
                        statement=item.matched, topics=changed_links.get("topics"), start=start,
                        attribution_start=attribution_start, reason=self.reason,
                    )  # fmt: skip
                else:
                    mentions.mention_save(mention=item.matched, start=start, reason=self.reason)
            self.report.add(model, "updated")
        else:
            self.report.add(model, "kept" if result.kept else "unchanged")
        self.ledger.note(model, item.key, item.matched, result.baseline)

    def _partial_date(self, value: str | None, record: str, key: str) -> PartialDate:
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            raise FixtureError(self.source, record, key, str(exc)) from exc
