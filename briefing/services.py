"""Writes to the briefing domain: saves under the domain rules, meeting participants, article import.

Each write validates through the models' ``full_clean()`` (and so through ``briefing.rules``),
the same path the admin and the API take, and runs inside one transaction.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save

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

    The one write path of the importer and the API (the admin's forms run the same
    ``full_clean``). ``reason`` goes into the change history.
    """
    instance._change_reason = reason
    instance.full_clean()
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


@transaction.atomic
def record_delete(*, instance: models.Model, reason: str | None = None) -> None:
    """Delete ``instance``, recording ``reason`` in the change history."""
    instance._change_reason = reason
    instance.delete()


@transaction.atomic
def meeting_participants_set(
    *, meeting: Meeting, participants: list[tuple[Official, str]], reason: str | None = None
) -> bool:
    """Make ``participants`` (official, role at the time) the meeting's, in that order.

    Rows are updated in place, so an official's participation keeps its identity and history.
    Returns whether anything changed. An official listed twice is refused (``params["index"]``
    names the second listing).
    """
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
            record_save(instance=participation, reason=reason)
            changed = True
    for participation in existing.values():
        record_delete(instance=participation, reason=reason)
        changed = True
    return changed


# -- the article-fixture import --------------------------------------------------------------------


def fixture_schema() -> dict:
    """The JSON Schema every article fixture must match (``fixtures/article.schema.json``)."""
    with open(settings.FIXTURE_SCHEMA_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def fixture_paths(directory: Path | str | None = None) -> list[Path]:
    """The article fixtures under ``directory`` (default: the configured folder), by name."""
    return sorted(Path(directory or settings.FIXTURE_ARTICLES_DIR).glob("*.json"))


def article_import(*, path: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one article fixture atomically and idempotently; raise ``FixtureError`` if invalid.

    Records are matched on their slugs (statements on their article and position), so importing
    the same file twice changes nothing and a corrected file updates rows in place. With
    ``dry_run`` everything is validated and then rolled back.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FixtureError(path, "file", None, f"cannot be read as JSON: {exc}") from exc
    return fixture_import(data=data, source=path, dry_run=dry_run)


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
    validator = jsonschema.Draft202012Validator(
        fixture_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
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
    """One fixture's import: upserts in dependency order, reporting each record's outcome."""

    def __init__(self, data: dict, source: Path | str):
        self.data = data
        self.source = source
        self.report = ImportReport(path=str(source))
        # The change history names the fixture as the reason for each change.
        self.reason = f"import {Path(source).name}"

    def run(self) -> None:
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
        article, outcome = self._upsert_row(
            Article, "article", {"slug": article_row.pop("slug")}, article_row
        )
        self.report.add(Article, outcome)
        meetings = [
            self._import_meeting(article, i, row) for i, row in enumerate(self.data.get("meetings", []))
        ]
        for meeting in article.meetings.exclude(pk__in=[m.pk for m in meetings]):
            record_save(
                instance=meeting,
                m2m={"articles": list(meeting.articles.exclude(pk=article.pk))},
                reason=self.reason,
            )
            self.report.add(Meeting, "updated")
        # A changed body moves the spans: every statement's offsets are computed again.
        self._import_statements(article, recompute=outcome == "updated")

    # -- records -----------------------------------------------------------------------------

    def _import_meeting(self, article: Article, i: int, row: dict) -> Meeting:
        record = f"meetings[{i}]"
        values = {k: v for k, v in row.items() if k not in ("slug", "topics", "participants")}
        values["date"] = self._date(values["date"], record, "date")
        existing = Meeting.objects.filter(slug=row["slug"]).first()
        # The meeting keeps the other articles that report it.
        articles = {a.pk: a for a in (existing.articles.all() if existing else [])} | {article.pk: article}
        m2m = {"topics": self._topics(row, record), "articles": list(articles.values())}
        meeting, outcome = self._upsert_row(Meeting, record, {"slug": row["slug"]}, values, m2m)
        participants_changed = self._set_participants(meeting, record, row["participants"])
        self.report.add(Meeting, "updated" if outcome == "unchanged" and participants_changed else outcome)
        return meeting

    def _set_participants(self, meeting: Meeting, record: str, rows: list[dict]) -> bool:
        participants = [
            (self._ref(Official, row, "official", f"{record}.participants[{j}]"), row["role"])
            for j, row in enumerate(rows)
        ]
        try:
            return meeting_participants_set(meeting=meeting, participants=participants, reason=self.reason)
        except ValidationError as exc:
            index = (exc.params or {}).get("index")
            where = f"{record}.participants[{index}]" if index is not None else record
            raise FixtureError(
                self.source, where, (exc.params or {}).get("field"), " ".join(exc.messages)
            ) from exc

    def _import_statements(self, article: Article, *, recompute: bool) -> None:
        existing = {s.position: s for s in article.statements.all()}
        previous_start = 0
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
            statement = existing.pop(i + 1, None)
            if statement is None or recompute or statement.text != row["text"]:
                # Where a text occurs more than once, the occurrence after the previous
                # statement is meant: statements are listed in article order.
                found = article.body.find(row["text"], previous_start)
                values["start"] = found if found >= 0 else None
            statement, outcome = self._upsert_row(
                Statement,
                record,
                {"article": article, "position": i + 1},
                values,
                {"topics": self._topics(row, record)},
                instance=statement,
                force=recompute,
            )
            self.report.add(Statement, outcome)
            if statement.start < previous_start:
                raise FixtureError(
                    self.source,
                    record,
                    "text",
                    "Statements must be listed in the order they appear in the article body.",
                )
            previous_start = statement.start
        for statement in existing.values():
            record_delete(instance=statement, reason=self.reason)
            self.report.add(Statement, "deleted")

    # -- helpers -----------------------------------------------------------------------------

    def _upsert(self, model: type[models.Model], record: str, row: dict, **resolved: Any) -> models.Model:
        """Create or update the ``model`` row with ``row["slug"]``, and report the outcome."""
        values = {k: v for k, v in row.items() if k != "slug"} | resolved
        obj, outcome = self._upsert_row(model, record, {"slug": row["slug"]}, values)
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
        instance: models.Model | None = None,
        force: bool = False,
    ) -> tuple[models.Model, str]:
        """Create or update the row found by ``lookup``; save (once) only when something differs.

        Returns the row and the outcome: ``created``, ``updated`` or ``unchanged``.
        """
        obj = instance or model.objects.filter(**lookup).first()
        if obj is None:
            obj, outcome = model(**lookup), "created"
        else:
            differs = [name for name, value in values.items() if getattr(obj, name) != value]
            differs += [
                name
                for name, objs in (m2m or {}).items()
                if set(getattr(obj, name).values_list("pk", flat=True)) != {o.pk for o in objs}
            ]
            outcome = "updated" if differs or force else "unchanged"
        if outcome != "unchanged":
            for name, value in values.items():
                setattr(obj, name, value)
            self._save(obj, record, m2m)
        return obj, outcome

    def _topics(self, row: dict, record: str) -> list[Topic]:
        return [
            self._ref(Topic, {"topic": slug}, "topic", f"{record}.topics[{j}]")
            for j, slug in enumerate(row.get("topics", []))
        ]

    def _save(self, obj: models.Model, record: str, m2m: dict[str, list] | None = None) -> None:
        try:
            record_save(instance=obj, m2m=m2m, reason=self.reason)
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            field_name = None if field_name == "__all__" else field_name
            raise FixtureError(self.source, record, field_name, " ".join(messages)) from exc

    def _ref(self, model: type[models.Model], row: dict, key: str, record: str) -> models.Model | None:
        """Resolve the slug in ``row[key]`` to a ``model`` row (in this file or already stored)."""
        slug = row.get(key)
        if slug is None:
            return None
        obj = model.objects.filter(slug=slug).first()
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
