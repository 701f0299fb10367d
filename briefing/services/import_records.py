"""The import of one record under this fixture's ownership: create, merge, keep, or drop.

The per-record half of the importer (``briefing.services.importer``): given what the fixture
says and what this fixture last wrote (its ``Ledger``), write through the entity services only
what the fixture still owns, and report the rest as kept.
"""

import contextlib
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from briefing.models import Article, Meeting, Statement
from briefing.services import articles, meetings, statements
from briefing.services.fixtures import FixtureError, ImportReport
from briefing.services.ownership import Ledger, current_values, default_values, fields_of, merge, plain
from briefing.services.records import record_delete, relations, save_in_transaction

# A row the fixture once wrote and an editor has since deleted: it stays deleted.
DELETED = object()


class RecordImport:
    """One fixture's import, record by record (the importer adds the order and the checks)."""

    ledger: Ledger

    def __init__(self, data: dict, source: Path | str):
        self.data = data
        self.source = source
        self.report = ImportReport(path=str(source))
        # The change history names the fixture as the reason for each change.
        self.reason = f"import {Path(source).name}"
        # Per model, by slug: the stored rows the file names, then the rows this import creates.
        self.rows: dict[type[models.Model], dict[str, Any]] = {}

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
        plain_wanted = plain_values(wanted)
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
            defaults=default_values(type(existing), list(plain_wanted)) if entry else None,
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
        names = fields_of(entry.values)
        if current_values(obj, names) != {name: entry.values[name] for name in names}:
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


def plain_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in values.items()}


def _merged_rows(ids: list[int], wanted: list, current) -> list:
    """The rows of ``ids``, taken from the fixture's rows and the currently linked ones."""
    known = {obj.pk: obj for obj in [*current, *(w for w in wanted if w is not None)]}
    return [known[pk] for pk in ids if pk in known]


def _shown(value: Any) -> str:
    text = str(value)
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"
