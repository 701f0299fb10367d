"""The article-fixture import: all or nothing per file, idempotent, and never over an editor's work.

A file is first checked on its own (schema; every statement a verbatim, unambiguous span of the
fixture's body, listed in body order; each meeting's participants once each; every slug named
before use or stored). It is then written in one transaction through the entity services, the
same ones the admin and the API call, under the ownership rules of ``briefing.services.ownership``:
a field changes only while the database holds what this fixture last wrote there. Rows an editor
added, changed or deleted are kept as they are, and the report lists them.
"""

import contextlib
import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from briefing import spans
from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic
from briefing.services import articles, meetings, statements
from briefing.services.fixtures import FixtureError, ImportReport, fixture_read, fixture_validate
from briefing.services.ownership import Ledger, current_values, merge, plain
from briefing.services.records import record_delete, relations, save_in_transaction

# The shared records a fixture names, in the order they can refer to each other.
_DIRECTORY = (
    (Organization, "organizations", {"parent": Organization}),
    (Official, "officials", {"organization": Organization}),
    (Topic, "topics", {"parent": Topic}),
)
_ARTICLE_FIELDS = ("title", "publisher", "url", "published_on", "body")
_MEETING_FIELDS = ("title", "date", "kind", "location", "city", "summary")

# A row the fixture once wrote and an editor has since deleted: it stays deleted.
DELETED = object()


def article_import(*, path: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one article fixture file atomically and idempotently (see ``fixture_import``)."""
    return fixture_import(data=fixture_read(path), source=path, dry_run=dry_run)


class _DryRun(Exception):
    """Raised inside the transaction to roll a validated dry run back."""


def fixture_import(*, data: Any, source: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one parsed article fixture; raise ``FixtureError`` (and change nothing) if invalid.

    Records are matched on their slugs (participants on meeting and official, statements on
    speaker and text), so importing the same file twice changes nothing and a corrected file
    updates what it still owns. With ``dry_run`` everything is validated, then rolled back.
    """
    fixture_validate(data, source)
    importer = _FixtureImporter(data, source)
    importer.check()
    try:
        with transaction.atomic():
            importer.run()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return importer.report


@dataclass
class _Quoted:
    """A statement of the fixture: its record, its place in the fixture's body, its identity."""

    index: int
    row: dict
    span: spans.Span
    key: str


class _FixtureImporter:
    """One fixture's import: checks, then upserts in dependency order, reporting each outcome."""

    def __init__(self, data: dict, source: Path | str):
        self.data = data
        self.source = source
        self.report = ImportReport(path=str(source))
        # The change history names the fixture as the reason for each change.
        self.reason = f"import {Path(source).name}"
        self.body = data["article"]["body"]
        # Per model, by slug: the stored rows the file names, then the rows this import creates.
        self.rows: dict[type[models.Model], dict[str, Any]] = {}
        self.quoted: list[_Quoted] = []

    # -- the file on its own ---------------------------------------------------------------

    def check(self) -> None:
        """Refuse a file that contradicts itself, before anything is read from the database."""
        seen: dict[tuple[str, str], int] = {}
        previous = None
        for i, row in enumerate(self.data["statements"]):
            record = f"statements[{i}]"
            with self._refusal(record):
                try:
                    span = spans.locate(self.body, row["text"], start=row.get("start"))
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
        for i, meeting in enumerate(self.data.get("meetings", [])):
            try:
                meetings.participants_check([p["official"] for p in meeting["participants"]])
            except ValidationError as exc:
                index = exc.params["index"]
                raise FixtureError(
                    self.source, f"meetings[{i}].participants[{index}]", "official", " ".join(exc.messages)
                ) from exc

    # -- writing ---------------------------------------------------------------------------

    def run(self) -> None:
        self.ledger = Ledger(self.data["article"]["slug"])
        self._load_rows()
        for model, key, references in _DIRECTORY:
            for i, row in enumerate(self.data.get(key, [])):
                self._upsert_entry(model, f"{key}[{i}]", row, references)
        article, new_body = self._import_article()
        meeting_rows = [
            self._import_meeting(article, i, row) for i, row in enumerate(self.data.get("meetings", []))
        ]
        self._drop_meetings(article, meeting_rows)
        self._import_statements(article, new_body)
        self.ledger.save()

    def _load_rows(self) -> None:
        """Read the stored rows of every slug the file names: one query per model."""
        data = self.data
        meeting_rows, statement_rows = data.get("meetings", []), data["statements"]
        named = {
            Organization: [r.get(k) for r in data.get("organizations", []) for k in ("slug", "parent")]
            + [r.get("organization") for r in data.get("officials", [])],
            Official: [r["slug"] for r in data.get("officials", [])]
            + [p["official"] for m in meeting_rows for p in m["participants"]]
            + [s["speaker"] for s in statement_rows],
            Topic: [r.get(k) for r in data.get("topics", []) for k in ("slug", "parent")]
            + [t for r in (*meeting_rows, *statement_rows) for t in r.get("topics", [])],
            Meeting: [m["slug"] for m in meeting_rows] + [s.get("meeting") for s in statement_rows],
        }
        querysets = {Meeting: Meeting.objects.prefetch_related("topics", "articles", "participations")}
        self.rows = {
            model: querysets.get(model, model.objects.all()).in_bulk(
                {slug for slug in slugs if slug}, field_name="slug"
            )
            for model, slugs in named.items()
        }

    def _upsert_entry(self, model: type[models.Model], record: str, row: dict, references: dict) -> None:
        """An organization, official or topic: created, or merged with what the fixture owns."""
        wanted = {name: value for name, value in row.items() if name != "slug"}
        for name, target in references.items():
            if name in wanted:
                wanted[name] = self._ref(target, wanted[name], record, name)
        obj = self._upsert(model, record, row["slug"], self.rows[model].get(row["slug"]), wanted)
        if obj is not None:
            self.rows[model][row["slug"]] = obj

    def _import_article(self) -> tuple[Article, str | None]:
        """The article's fields; a body the import owns and changes is returned, to apply later."""
        row = dict(self.data["article"])
        slug = row.pop("slug")
        row["published_on"] = self._date(row.get("published_on"), "article", "published_on")
        existing = Article.objects.filter(slug=slug).first()
        if existing is None:
            article = self._upsert(Article, "article", slug, None, row)
            return article, None
        wanted = {name: value for name, value in row.items() if name != "body"}
        body_merge = merge(
            current={"body": existing.body},
            wanted={"body": row["body"]},
            base=entry.values if (entry := self.ledger.get(Article, slug)) else None,
            links=set(),
        )
        if "body" in body_merge.kept:
            self.report.keep("article.body", "as an editor changed it (the fixture's body is not applied)")
        # A changed body is the fixture's once it is applied (``_move_body``), not before.
        body_baseline = {k: v for k, v in body_merge.baseline.items() if "body" not in body_merge.changed}
        self._upsert(Article, "article", slug, existing, wanted, extra_baseline=body_baseline)
        return existing, row["body"] if "body" in body_merge.changed else None

    def _import_meeting(self, article: Article, i: int, row: dict) -> Meeting | None:
        record = f"meetings[{i}]"
        wanted = {name: row[name] for name in _MEETING_FIELDS if name in row}
        wanted["date"] = self._date(row["date"], record, "date")
        wanted["topics"] = [
            self._ref(Topic, slug, f"{record}.topics[{j}]") for j, slug in enumerate(row.get("topics", []))
        ]
        wanted["articles"] = [article]
        meeting = self._upsert(Meeting, record, row["slug"], self.rows[Meeting].get(row["slug"]), wanted)
        if meeting is None:
            return None
        self.rows[Meeting][row["slug"]] = meeting
        self._import_participants(meeting, record, row)
        meetings.statements_follow_date(meeting=meeting, reason=self.reason)
        return meeting

    def _import_participants(self, meeting: Meeting, record: str, row: dict) -> None:
        existing = {p.official_id: p for p in meeting.participations.all()}
        listed = set()
        for j, entry in enumerate(row["participants"]):
            where = f"{record}.participants[{j}]"
            official = self._ref(Official, entry["official"], where, "official")
            if official is None:
                continue
            listed.add(official.pk)
            key = f"{row['slug']}/{entry['official']}"
            wanted = {"role": entry["role"], "position": j}
            stored = existing.get(official.pk)
            if stored is None and self.ledger.get(Participation, key) is None:
                stored = Participation(meeting=meeting, official=official)
            self._upsert(Participation, where, key, stored, wanted, deleted_note="removed by an editor")
        owned = self.ledger.owned_ids(Participation)
        for official_id, participation in existing.items():
            if official_id not in listed:
                self._drop(
                    Participation, participation, owned.get(participation.pk), f"{record}.participants"
                )

    def _drop_meetings(self, article: Article, kept: list[Meeting | None]) -> None:
        """Unlink this article from owned meetings the fixture no longer reports."""
        owned = self.ledger.owned_ids(Meeting)
        listed = {m.pk for m in kept if m is not None}
        for meeting in article.meetings.exclude(pk__in=listed).prefetch_related("articles"):
            entry = owned.get(meeting.pk)
            if entry is None or article.pk not in entry.values.get("articles", []):
                continue  # an editor linked it: theirs
            links = [a for a in meeting.articles.all() if a.pk != article.pk]
            meetings.meeting_save(meeting=meeting, articles=links, reason=self.reason)
            self.ledger.forget(Meeting, entry.key)
            self.report.add(Meeting, "updated")

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
                    new.append((quoted, item, _plain(wanted)))
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
        plain_wanted = _plain(wanted)
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

    # -- the ownership of one record ---------------------------------------------------------

    def _upsert(
        self,
        model: type[models.Model],
        record: str,
        key: str,
        existing: models.Model | None,
        wanted: dict[str, Any],
        *,
        extra_baseline: dict | None = None,
        deleted_note: str = "deleted by an editor (not recreated)",
    ) -> models.Model | None:
        """Create the row, or merge ``wanted`` into ``existing`` under this fixture's ownership.

        Returns the row, or None when an editor deleted the row this fixture once created.
        """
        links = {name for name in wanted if model._meta.get_field(name).many_to_many}
        plain_wanted = _plain(wanted)
        entry = self.ledger.get(model, key)
        if existing is None and entry is not None:
            self.report.keep(record, deleted_note)
            self.report.add(model, "kept")
            return None
        if existing is None or existing.pk is None:
            obj = existing if existing is not None else model(slug=key)
            link_values = self._assign(obj, plain_wanted, wanted)
            self._save(model, record, obj, link_values, created=True)
            self.report.add(model, "created")
            self.ledger.note(model, key, obj, {**plain_wanted, **(extra_baseline or {})})
            return obj
        result = merge(
            current=current_values(existing, list(plain_wanted)), wanted=plain_wanted,
            base=entry.values if entry else None, links=links,
        )  # fmt: skip
        self._note_kept(record, result.kept)
        if result.changed:
            link_values = self._assign(existing, result.changed, wanted)
            self._save(model, record, existing, link_values, created=False)
        outcome = "updated" if result.changed else "kept" if result.kept else "unchanged"
        self.report.add(model, outcome)
        self.ledger.note(model, key, existing, {**result.baseline, **(extra_baseline or {})})
        return existing

    def _save(self, model, record: str, obj: models.Model, links: dict, *, created: bool) -> None:
        with self._refusal(record):
            if model is Meeting:
                meetings.meeting_save(meeting=obj, reason=self.reason, **links)
            elif model is Article:
                articles.article_save(article=obj, reason=self.reason)
            else:
                values = {
                    f.name: getattr(obj, f.name, None) for f in obj._meta.concrete_fields if f.is_relation
                }
                save_in_transaction(
                    instance=obj, m2m=links or None, reason=self.reason,
                    fetched=relations(values), force=not created,
                )  # fmt: skip

    def _drop(self, model: type[models.Model], obj: models.Model, entry, record: str) -> None:
        """A row the fixture no longer lists: deleted if the fixture owns it untouched, else kept."""
        if entry is None:
            self.report.keep(record, "added by an editor (the fixture does not list it)")
            self.report.add(model, "kept")
            return
        names = list(entry.values)
        if current_values(obj, names) != entry.values:
            self.report.keep(
                record, "changed by an editor since this fixture wrote it (the fixture no longer lists it)"
            )
            self.report.add(model, "kept")
            return
        if model is Statement:
            statements.statement_delete(statement=obj, reason=self.reason)
        else:
            record_delete(instance=obj, reason=self.reason)
        self.ledger.forget(model, entry.key)
        self.report.add(model, "deleted")

    def _note_kept(self, record: str, kept: dict[str, tuple[Any, Any]]) -> None:
        for name, (now, value) in kept.items():
            self.report.keep(
                f"{record}.{name}", f"{_shown(now)} (changed since; the fixture says {_shown(value)})"
            )

    def _assign(self, obj: models.Model, changed: dict[str, Any], wanted: dict[str, Any]) -> dict[str, list]:
        """Set the changed fields on ``obj`` from ``wanted`` (rows, dates); return the changed links."""
        links = {}
        for name in changed:
            f = obj._meta.get_field(name)
            if f.many_to_many:
                links[name] = _merged_rows(
                    changed[name], wanted[name], getattr(obj, name).all() if obj.pk else []
                )
            else:
                setattr(obj, name, wanted[name])
        return links

    # -- helpers -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _refusal(self, record: str, *, indexes: list[int] | None = None) -> Iterator[None]:
        """Turn a domain rule's ``ValidationError`` into a ``FixtureError`` naming record and field.

        With ``indexes`` (the fixture indexes of a batch of statements), the error's
        ``params["index"]`` names the statement of the batch at fault.
        """
        try:
            yield
        except ValidationError as exc:
            index = (getattr(exc, "params", None) or {}).get("index")
            where = f"statements[{indexes[index]}]" if indexes is not None and index is not None else record
            if hasattr(exc, "error_dict"):
                field_name, errors = next(iter(exc.message_dict.items()))
                field_name = None if field_name == NON_FIELD_ERRORS else field_name
            else:
                field_name, errors = None, exc.messages
            raise FixtureError(self.source, where, field_name, " ".join(errors)) from exc

    def _ref(self, model: type[models.Model], slug: str | None, record: str, key: str = "") -> Any:
        """The ``model`` row of ``slug`` (in this file or already stored); None if an editor deleted it."""
        if slug is None:
            return None
        obj = self.rows[model].get(slug)
        if obj is not None:
            return obj
        if self.ledger.get(model, slug) is not None:
            self.report.keep(
                f"{record}.{key}".rstrip("."),
                f"the {model._meta.verbose_name} “{slug}” was deleted by an editor",
            )
            return None
        raise FixtureError(
            self.source, record, key or None,
            f"unknown {model._meta.verbose_name} slug “{slug}”: not in this file (above this record) nor in the database.",
        )  # fmt: skip

    def _date(self, value: str | None, record: str, key: str) -> datetime.date | None:
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise FixtureError(self.source, record, key, f"“{value}” is not a valid date: {exc}.") from exc


def statement_key(speaker: str, text: str, ordinal: int) -> str:
    """A fixture statement's identity: its speaker, its text (hashed) and which repeat it is."""
    digest = hashlib.sha256(f"{speaker}\x00{text}".encode()).hexdigest()[:24]
    return f"{speaker}/{digest}/{ordinal}"


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in values.items()}


def _merged_rows(ids: list[int], wanted: list, current) -> list:
    """The rows of ``ids``, taken from the fixture's rows and the currently linked ones."""
    known = {obj.pk: obj for obj in [*current, *(w for w in wanted if w is not None)]}
    return [known[pk] for pk in ids if pk in known]


def _shown(value: Any) -> str:
    text = str(value)
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"
