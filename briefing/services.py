"""Writes to the briefing domain: saves under the domain rules, meeting participants, article import.

Each write validates through the models' ``full_clean()`` (and so through ``briefing.rules``),
the same path the admin and the API take, and runs inside one transaction.
"""

import contextlib
import datetime
import functools
import json
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, transaction
from django.db.models.signals import post_save

from briefing import fixture_input
from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic


class FixtureError(Exception):
    """A fixture that cannot be imported; names the file, the record and the field."""

    def __init__(self, path: Path | str, record: str, field_name: str | None, message: str):
        self.path, self.record, self.field, self.message = str(path), record, field_name, message
        where = f"{record}.{field_name}" if field_name else record
        super().__init__(f"{self.path}: {where}: {message}")


@dataclass
class ImportReport:
    """What an import did, counted per model and outcome (created, updated, unchanged, deleted)."""

    path: str
    counts: Counter = field(default_factory=Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.counts.items() if o == outcome)

    def __str__(self) -> str:
        outcomes = ("created", "updated", "unchanged", "deleted")
        summary = ", ".join(f"{self.total(o)} {o}" for o in outcomes)
        return f"{self.path}: {summary}"


# -- writes with the domain rules -----------------------------------------------------------------


@transaction.atomic
def record_save(
    *, instance: models.Model, m2m: dict[str, list] | None = None, reason: str | None = None
) -> models.Model:
    """Validate ``instance`` with every domain rule (``full_clean``), save it and set its links.

    The one write path of the API and, inside its own transaction, of the importer (the admin's
    forms run the same ``full_clean``). ``reason`` goes into the change history.
    """
    return _record_save(instance=instance, m2m=m2m, reason=reason)


@transaction.atomic
def record_delete(*, instance: models.Model, reason: str | None = None) -> None:
    """Delete ``instance``, recording ``reason`` in the change history."""
    _record_delete(instance=instance, reason=reason)


@transaction.atomic
def meeting_participants_set(
    *, meeting: Meeting, participants: list[tuple[Official, str]], reason: str | None = None
) -> bool:
    """Make ``participants`` (official, role at the time) the meeting's, in that order.

    Rows are updated in place, so an official's participation keeps its identity and history.
    Returns whether anything changed. An official listed twice is refused (``params["index"]``
    names the second listing).
    """
    return _meeting_participants_set(meeting=meeting, participants=participants, reason=reason)


# The bodies of the writes above, without a transaction of their own. The importer calls them
# inside its transaction per file: there, a savepoint per save would cost two round trips and
# buy nothing, since any error aborts the whole file.


def _record_save(
    *,
    instance: models.Model,
    m2m: dict[str, list] | None = None,
    reason: str | None = None,
    fetched: Collection[str] = (),
) -> models.Model:
    """``record_save`` inside the caller's transaction (``fetched``: see ``_full_clean``)."""
    instance._change_reason = reason
    _full_clean(instance, fetched=fetched)
    if not m2m:
        instance.save()
        return instance
    # One history record for the whole write, taken once the links are set: otherwise the
    # save and each step of `set()` (remove, then add) would each record a half-done state.
    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, objs in m2m.items():
            getattr(instance, name).set(objs)
    finally:
        del instance.skip_history_when_saving
    post_save.send(
        sender=type(instance), instance=instance, created=created, raw=False, using=instance._state.db
    )
    return instance


def _record_delete(*, instance: models.Model, reason: str | None = None) -> None:
    """``record_delete`` inside the caller's transaction."""
    instance._change_reason = reason
    instance.delete()


def _meeting_participants_set(
    *,
    meeting: Meeting,
    participants: list[tuple[Official, str]],
    reason: str | None = None,
    fetched: Collection[str] = (),
) -> bool:
    """``meeting_participants_set`` inside the caller's transaction (``fetched``: see ``_full_clean``)."""
    existing = {p.official_id: p for p in meeting.participations.all()}
    seen: set[int] = set()
    changed = False
    for index, (official, role) in enumerate(participants):
        if official.pk in seen:
            raise ValidationError(
                "This official is already a participant of this meeting.",
                code="duplicate_participant",
                params={"index": index, "field": "official"},
            )
        seen.add(official.pk)
        participation = existing.pop(official.pk, None) or Participation(meeting=meeting, official=official)
        if participation.pk is None or (participation.role, participation.position) != (role, index):
            participation.role, participation.position = role, index
            try:
                _record_save(instance=participation, reason=reason, fetched=fetched)
            except ValidationError as exc:
                # A field's rule (e.g. the role's characters): say which listing, as for duplicates.
                field_name, messages = next(iter(exc.message_dict.items()))
                raise ValidationError(
                    " ".join(messages), code="invalid", params={"index": index, "field": field_name}
                ) from exc
            changed = True
    for participation in existing.values():
        _record_delete(instance=participation, reason=reason)
        changed = True
    return changed


def _full_clean(instance: models.Model, *, fetched: Collection[str] = ()) -> None:
    """``instance.full_clean()``, without proving again that the foreign keys in ``fetched`` exist.

    ``fetched`` may only name relations set from rows read or written in the current
    transaction: for those, the query ``clean_fields`` makes per foreign key cannot fail (and the
    database's foreign-key constraint still guards the write). ``clean()``, the unique checks and
    the constraints run with every field, as in ``full_clean``.
    """
    if not fetched:
        instance.full_clean()
        return
    errors: dict = {}
    try:
        instance.full_clean(exclude=fetched, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    # As in full_clean: each later check skips the fields that have already failed.
    for check in (instance.validate_unique, instance.validate_constraints):
        try:
            check(exclude={name for name in errors if name != NON_FIELD_ERRORS})
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _statements_insert(*, statements: list[tuple[Statement, list[Topic]]], reason: str | None) -> None:
    """Insert new statements, already through ``_full_clean``, with their topics and history.

    Writes what ``_record_save`` writes for each — the row, its topic links, one creation record
    in the history and that record's snapshot of the links — in four queries in all. Needs a
    database that returns the ids of bulk-inserted rows (PostgreSQL; SQLite from 3.35).
    """
    rows = [statement for statement, _ in statements]
    for statement in rows:
        statement._change_reason = reason
    Statement.objects.bulk_create(rows)
    link_model = Statement.topics.through
    links = link_model.objects.bulk_create(
        [link_model(statement=statement, topic=topic) for statement, topics in statements for topic in topics]
    )
    records = Statement.history.bulk_history_create(rows)
    if not records:  # history switched off (SIMPLE_HISTORY_ENABLED)
        return
    # The snapshot rows simple_history takes on a save: each link's fields, per history record.
    snapshot_model = Statement.history.model.topics.model
    record_of = {record.id: record for record in records}
    link_fields = [f.name for f in link_model._meta.fields]
    snapshot_model.objects.bulk_create(
        [
            snapshot_model(history=record_of[link.statement_id], **{f: getattr(link, f) for f in link_fields})
            for link in links
        ]
    )


# -- the article-fixture import --------------------------------------------------------------------


def fixture_schema(path: Path | str | None = None) -> dict:
    """The JSON Schema every article fixture must match (default: ``settings.FIXTURE_SCHEMA_PATH``)."""
    with open(path or settings.FIXTURE_SCHEMA_PATH, encoding="utf-8") as fh:
        return json.load(fh)


@functools.cache
def _fixture_validator(path: Path | str) -> jsonschema.Draft202012Validator:
    """The validator of the schema at ``path``, built once per process: building costs ms per file."""
    return jsonschema.Draft202012Validator(
        fixture_schema(path), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def fixture_paths(directory: Path | str | None = None) -> list[Path]:
    """The article fixtures under ``directory`` (default: the configured folder), by name."""
    return sorted(Path(directory or settings.FIXTURE_ARTICLES_DIR).glob("*.json"))


def article_import(*, path: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one article fixture atomically and idempotently; raise ``FixtureError`` if invalid.

    Records are matched on their slugs (statements on their article and position), so importing
    the same file twice changes nothing and a corrected file updates rows in place. With
    ``dry_run`` everything is validated and then rolled back.
    """
    # The file's name, shown safely wherever it appears: messages, the report, the history reason.
    source = fixture_input.display(str(path))
    try:
        data = fixture_input.read_fixture(path)
    except fixture_input.FixtureInputError as exc:
        raise FixtureError(source, "file", None, str(exc)) from exc
    return fixture_import(data=data, source=source, dry_run=dry_run)


class _DryRun(Exception):
    """Raised inside the transaction to roll a validated dry run back."""


def fixture_import(*, data: Any, source: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one parsed article fixture (see ``article_import``)."""
    _validate_schema(data, source)
    importer = _FixtureImporter(data, source)
    try:
        with transaction.atomic():
            importer.run()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return importer.report


def _validate_schema(data: Any, source: Path | str) -> None:
    validator = _fixture_validator(settings.FIXTURE_SCHEMA_PATH)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    parts = list(error.absolute_path)
    field_name = parts.pop() if parts and isinstance(parts[-1], str) else None
    record = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    raise FixtureError(
        source, record or "(top level)", field_name, f"does not match the schema: {error.message}"
    )


class _FixtureImporter:
    """One fixture's import: upserts in dependency order, reporting each record's outcome.

    It runs inside the file's transaction, so a row it has read or written stays valid to the
    end: each slug is resolved once (``rows``), and the relations it sets are not proved to exist
    again on each save (``_full_clean``'s ``fetched``).
    """

    def __init__(self, data: dict, source: Path | str):
        self.data = data
        self.source = source
        self.report = ImportReport(path=str(source))
        # The change history names the fixture as the reason for each change.
        self.reason = f"import {Path(source).name}"
        # Per model, by slug: the stored rows the file names, then the rows this import creates.
        self.rows: dict[type[models.Model], dict[str, models.Model]] = {}

    def run(self) -> None:
        self._load_rows()
        for model, key, ref_model, ref_key in (
            (Organization, "organizations", Organization, "parent"),
            (Official, "officials", Organization, "organization"),
            (Topic, "topics", Topic, "parent"),
        ):
            for i, row in enumerate(self.data.get(key, [])):
                record = f"{key}[{i}]"
                resolved = {ref_key: self._ref(ref_model, row, ref_key, record)} if ref_key in row else {}
                self._upsert(model, record, row, **resolved)
        article_row = dict(self.data["article"])
        article_row["published_on"] = self._date(article_row.get("published_on"), "article", "published_on")
        slug = article_row.pop("slug")
        article, outcome = self._upsert_row(
            Article,
            "article",
            {"slug": slug},
            article_row,
            existing=Article.objects.filter(slug=slug).first(),
        )
        self.report.add(Article, outcome)
        created = outcome == "created"
        meetings = [
            self._import_meeting(article, i, row) for i, row in enumerate(self.data.get("meetings", []))
        ]
        # A new article is reported by no meeting but those just linked to it.
        dropped = [] if created else article.meetings.exclude(pk__in=[m.pk for m in meetings])
        for meeting in dropped:
            _record_save(
                instance=meeting,
                m2m={"articles": list(meeting.articles.exclude(pk=article.pk))},
                reason=self.reason,
            )
            self.report.add(Meeting, "updated")
        # A changed body moves the spans: every statement's offsets are computed again.
        self._import_statements(article, created=created, recompute=outcome == "updated")

    def _load_rows(self) -> None:
        """Read the stored rows of every slug the file names: one query per model."""
        data = self.data
        meetings, statements = data.get("meetings", []), data["statements"]
        named = {
            Organization: [r.get(k) for r in data.get("organizations", []) for k in ("slug", "parent")]
            + [r.get("organization") for r in data.get("officials", [])],
            Official: [r["slug"] for r in data.get("officials", [])]
            + [p["official"] for m in meetings for p in m["participants"]]
            + [s["speaker"] for s in statements],
            Topic: [r.get(k) for r in data.get("topics", []) for k in ("slug", "parent")]
            + [t for r in (*meetings, *statements) for t in r.get("topics", [])],
            Meeting: [m["slug"] for m in meetings] + [s.get("meeting") for s in statements],
        }
        # A stored meeting's links are compared with the file's, and its articles kept.
        querysets = {Meeting: Meeting.objects.prefetch_related("topics", "articles")}
        self.rows = {
            model: querysets.get(model, model.objects.all()).in_bulk(
                {slug for slug in slugs if slug}, field_name="slug"
            )
            for model, slugs in named.items()
        }

    # -- records -----------------------------------------------------------------------------

    def _import_meeting(self, article: Article, i: int, row: dict) -> Meeting:
        record = f"meetings[{i}]"
        values = {k: v for k, v in row.items() if k not in ("slug", "topics", "participants")}
        values["date"] = self._date(values["date"], record, "date")
        existing = self.rows[Meeting].get(row["slug"])
        # The meeting keeps the other articles that report it.
        articles = {a.pk: a for a in (existing.articles.all() if existing else [])} | {article.pk: article}
        m2m = {"topics": self._topics(row, record), "articles": list(articles.values())}
        meeting, outcome = self._upsert_row(
            Meeting, record, {"slug": row["slug"]}, values, m2m, existing=existing
        )
        self.rows[Meeting][row["slug"]] = meeting
        participants_changed = self._set_participants(meeting, record, row["participants"])
        self.report.add(Meeting, "updated" if outcome == "unchanged" and participants_changed else outcome)
        return meeting

    def _set_participants(self, meeting: Meeting, record: str, rows: list[dict]) -> bool:
        participants = [
            (self._ref(Official, row, "official", f"{record}.participants[{j}]"), row["role"])
            for j, row in enumerate(rows)
        ]
        try:
            return _meeting_participants_set(
                meeting=meeting,
                participants=participants,
                reason=self.reason,
                fetched=("meeting", "official"),
            )
        except ValidationError as exc:
            index = (exc.params or {}).get("index")
            where = f"{record}.participants[{index}]" if index is not None else record
            raise FixtureError(
                self.source, where, (exc.params or {}).get("field"), " ".join(exc.messages)
            ) from exc

    def _import_statements(self, article: Article, *, created: bool, recompute: bool) -> None:
        """Upsert the statements by position and delete those the file no longer lists.

        A new article's statements are validated one by one, then inserted together.
        """
        existing = {} if created else {s.position: s for s in article.statements.prefetch_related("topics")}
        bulk = created and connection.features.can_return_rows_from_bulk_insert
        new: list[tuple[Statement, list[Topic]]] = []
        previous = None
        for i, row in enumerate(self.data["statements"]):
            record = f"statements[{i}]"
            meeting = self._ref(Meeting, row, "meeting", record)
            values = {
                "speaker": self._ref(Official, row, "speaker", record),
                "meeting": meeting,
                "kind": row["kind"],
                "text": row["text"],
                "date": meeting.date if meeting else self._date(row.get("date"), record, "date"),
            }
            topics = self._topics(row, record)
            statement = existing.pop(i + 1, None)
            if statement is None or recompute or statement.text != row["text"]:
                values["start"] = _span_start(article.body, row["text"], previous)
            if bulk:
                statement, outcome = Statement(article=article, position=i + 1, **values), "created"
                with self._refusal(record):
                    _full_clean(statement, fetched=_relations({"article": article, **values}))
                new.append((statement, topics))
            else:
                statement, outcome = self._upsert_row(
                    Statement,
                    record,
                    {"article": article, "position": i + 1},
                    values,
                    {"topics": topics},
                    existing=statement,
                    force=recompute,
                )
            self.report.add(Statement, outcome)
            if previous is not None and statement.start < previous.start:
                raise FixtureError(
                    self.source,
                    record,
                    "text",
                    "Statements must be listed in the order they appear in the article body.",
                )
            previous = statement
        if new:
            _statements_insert(statements=new, reason=self.reason)
        for statement in existing.values():
            _record_delete(instance=statement, reason=self.reason)
            self.report.add(Statement, "deleted")

    # -- helpers -----------------------------------------------------------------------------

    def _upsert(self, model: type[models.Model], record: str, row: dict, **resolved: Any) -> models.Model:
        """Create or update the ``model`` row with ``row["slug"]``, and report the outcome."""
        values = {k: v for k, v in row.items() if k != "slug"} | resolved
        obj, outcome = self._upsert_row(
            model, record, {"slug": row["slug"]}, values, existing=self.rows[model].get(row["slug"])
        )
        self.rows[model][row["slug"]] = obj
        self.report.add(model, outcome)
        return obj

    def _upsert_row(
        self,
        model: type[models.Model],
        record: str,
        lookup: dict,
        values: dict,
        m2m: dict[str, list] | None = None,
        *,
        existing: models.Model | None,
        force: bool = False,
    ) -> tuple[models.Model, str]:
        """Create the row (``existing`` None) or update ``existing``; save only when something differs.

        Returns the row and the outcome: ``created``, ``updated`` or ``unchanged``.
        """
        if existing is None:
            obj, outcome = model(**lookup), "created"
        else:
            obj = existing
            differs = any(_differs(obj, name, value) for name, value in (values | (m2m or {})).items())
            outcome = "updated" if differs or force else "unchanged"
        if outcome != "unchanged":
            for name, value in values.items():
                setattr(obj, name, value)
            with self._refusal(record):
                _record_save(instance=obj, m2m=m2m, reason=self.reason, fetched=_relations(lookup | values))
        return obj, outcome

    def _topics(self, row: dict, record: str) -> list[Topic]:
        return [
            self._ref(Topic, {"topic": slug}, "topic", f"{record}.topics[{j}]")
            for j, slug in enumerate(row.get("topics", []))
        ]

    @contextlib.contextmanager
    def _refusal(self, record: str) -> Iterator[None]:
        """Turn a domain rule's ``ValidationError`` into a ``FixtureError`` naming record and field."""
        try:
            yield
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            field_name = None if field_name == NON_FIELD_ERRORS else field_name
            raise FixtureError(self.source, record, field_name, " ".join(messages)) from exc

    def _ref(self, model: type[models.Model], row: dict, key: str, record: str) -> models.Model | None:
        """Resolve the slug in ``row[key]`` to a ``model`` row (in this file or already stored)."""
        slug = row.get(key)
        if slug is None:
            return None
        obj = self.rows[model].get(slug)
        if obj is None:
            raise FixtureError(
                self.source,
                record,
                key,
                f"unknown {model._meta.verbose_name} slug “{slug}”: "
                "not in this file (above this record) nor in the database.",
            )
        return obj

    def _date(self, value: str | None, record: str, key: str) -> datetime.date | None:
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise FixtureError(self.source, record, key, f"“{value}” is not a valid date: {exc}.") from exc


def _span_start(body: str, text: str, previous: Statement | None) -> int | None:
    """Where ``text`` stands in ``body``, given the statement listed before it (article order).

    The first occurrence after the previous statement's end (a repeated phrase is quoted again);
    else one from the previous statement's start (two speakers credited with one reported
    sentence share its span); else the first in the body, which the order check then refuses.
    None when the text is not in the body: the model's ``clean()`` reports it.
    """
    offsets = (previous.end, previous.start, 0) if previous is not None else (0,)
    for offset in offsets:
        found = body.find(text, offset)
        if found >= 0:
            return found
    return None


def _relations(values: dict[str, Any]) -> list[str]:
    """The names in ``values`` set to a row (for the importer: one read or written in its transaction)."""
    return [name for name, value in values.items() if isinstance(value, models.Model)]


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    """Whether the file's ``value`` differs from what ``obj`` has in ``name``."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        # `.all()`: the links prefetched with the row, when they were.
        return {o.pk for o in getattr(obj, name).all()} != {o.pk for o in value}
    if field.many_to_one:
        # By id: reading the related row would cost a query.
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value
