"""Writes to the briefing domain: the article-fixture import.

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
        article = self._upsert(Article, "article", article_row)
        meetings = [
            self._import_meeting(article, i, row) for i, row in enumerate(self.data.get("meetings", []))
        ]
        for meeting in article.meetings.exclude(pk__in=[m.pk for m in meetings]):
            meeting.articles.remove(article)
            self.report.add(Meeting, "updated")
        self._import_statements(article)

    # -- records -----------------------------------------------------------------------------

    def _import_meeting(self, article: Article, i: int, row: dict) -> Meeting:
        record = f"meetings[{i}]"
        values = {k: v for k, v in row.items() if k not in ("topics", "participants")}
        values["date"] = self._date(values["date"], record, "date")
        meeting, outcome = self._upsert_row(Meeting, record, values)
        changed = self._set_m2m(meeting.topics, self._topics(row, record))
        if not meeting.articles.filter(pk=article.pk).exists():
            meeting.articles.add(article)
            changed = True
        changed |= self._set_participants(meeting, record, row["participants"])
        self.report.add(Meeting, "updated" if outcome == "unchanged" and changed else outcome)
        return meeting

    def _set_participants(self, meeting: Meeting, record: str, rows: list[dict]) -> bool:
        existing = {p.official_id: p for p in meeting.participations.all()}
        wanted = []
        changed = False
        for j, row in enumerate(rows):
            where = f"{record}.participants[{j}]"
            official = self._ref(Official, row, "official", where)
            participation = existing.pop(official.pk, None) or Participation(
                meeting=meeting, official=official
            )
            if participation.official_id in wanted:
                raise FixtureError(
                    self.source, where, "official", "This official is already a participant of this meeting."
                )
            wanted.append(participation.official_id)
            if participation.pk is None or (participation.role, participation.position) != (row["role"], j):
                participation.role, participation.position = row["role"], j
                self._save(participation, where)
                changed = True
        for participation in existing.values():
            participation.delete()
            changed = True
        return changed

    def _import_statements(self, article: Article) -> None:
        existing = {s.position: s for s in article.statements.all()}
        previous_start = 0
        for i, row in enumerate(self.data["statements"]):
            record = f"statements[{i}]"
            position = i + 1
            statement = existing.pop(position, None) or Statement(article=article, position=position)
            before = _field_values(statement) if statement.pk else None
            statement.speaker = self._ref(Official, row, "speaker", record)
            statement.meeting = self._ref(Meeting, row, "meeting", record)
            statement.kind = row["kind"]
            statement.text = row["text"]
            statement.date = self._date(row.get("date"), record, "date")
            # Where a text occurs more than once, the occurrence after the previous statement
            # is meant: statements are listed in article order.
            found = article.body.find(row["text"], previous_start)
            statement.start = found if found >= 0 else None
            self._save(statement, record)
            if statement.start < previous_start:
                raise FixtureError(
                    self.source,
                    record,
                    "text",
                    "Statements must be listed in the order they appear in the article body.",
                )
            previous_start = statement.start
            topics_changed = self._set_m2m(statement.topics, self._topics(row, record))
            if before is None:
                self.report.add(Statement, "created")
            elif before != _field_values(statement) or topics_changed:
                self.report.add(Statement, "updated")
            else:
                self.report.add(Statement, "unchanged")
        for statement in existing.values():
            statement.delete()
            self.report.add(Statement, "deleted")

    # -- helpers -----------------------------------------------------------------------------

    def _upsert(self, model: type[models.Model], record: str, row: dict, **resolved: Any) -> models.Model:
        """Create or update the ``model`` row with ``row["slug"]``, and report the outcome."""
        obj, outcome = self._upsert_row(model, record, row, **resolved)
        self.report.add(model, outcome)
        return obj

    def _upsert_row(
        self, model: type[models.Model], record: str, row: dict, **resolved: Any
    ) -> tuple[models.Model, str]:
        """Create or update the ``model`` row with ``row["slug"]``; save only when it differs."""
        values = {k: v for k, v in row.items() if k != "slug"} | resolved
        obj = model.objects.filter(slug=row["slug"]).first()
        outcome = "unchanged"
        if obj is None:
            obj, outcome = model(slug=row["slug"]), "created"
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                outcome = "created" if outcome == "created" else "updated"
        if outcome != "unchanged":
            self._save(obj, record)
        return obj, outcome

    def _topics(self, row: dict, record: str) -> list[Topic]:
        return [
            self._ref(Topic, {"topic": slug}, "topic", f"{record}.topics[{j}]")
            for j, slug in enumerate(row.get("topics", []))
        ]

    def _save(self, obj: models.Model, record: str) -> None:
        # The change history names the fixture as the reason for the change.
        obj._change_reason = f"import {Path(self.source).name}"
        try:
            obj.full_clean()
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            field_name = None if field_name == "__all__" else field_name
            raise FixtureError(self.source, record, field_name, " ".join(messages)) from exc
        obj.save()

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

    def _set_m2m(self, manager: Any, objs: list[models.Model]) -> bool:
        wanted = {o.pk for o in objs}
        if set(manager.values_list("pk", flat=True)) == wanted:
            return False
        manager.set(objs)
        return True


def _field_values(obj: models.Model) -> tuple:
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)
