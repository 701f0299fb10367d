"""Article fixture files: where they are, their JSON Schema, and what an import reports.

A fixture is one article and everything structured in it (``fixtures/article.schema.json``).
Reading and validating one happens here; writing it is the importer's
(``briefing.services.importer``), exporting one the exporter's.
"""

import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from django.conf import settings
from django.db import models

from briefing import fixture_input


class FixtureError(Exception):
    """A fixture that cannot be imported; names the file, the record and the field."""

    def __init__(self, path: Path | str, record: str, field_name: str | None, message: str):
        self.path, self.record, self.field, self.message = str(path), record, field_name, message
        where = f"{record}.{field_name}" if field_name else record
        super().__init__(f"{self.path}: {where}: {message}")


# What an import can do to a record, in the order a report lists them.
OUTCOMES = ("created", "updated", "unchanged", "kept", "deleted")


@dataclass
class ImportReport:
    """What an import did, counted per model and outcome, with a note for everything it kept.

    ``kept`` is what the fixture would have changed but the database's owner had changed
    since (an editor, or another fixture): the import leaves it as it is and says so.
    """

    path: str
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    def keep(self, record: str, note: str) -> None:
        """Note something kept as the database has it (the record's outcome is counted apart)."""
        self.notes.append(f"{record}: {note}")

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.counts.items() if o == outcome)

    def __str__(self) -> str:
        summary = ", ".join(f"{self.total(o)} {o}" for o in OUTCOMES)
        lines = [f"{self.path}: {summary}"]
        lines += [f"  kept {note}" for note in self.notes]
        return "\n".join(lines)


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


def fixture_read(path: Path | str) -> Any:
    """The parsed contents of the fixture file at ``path``, read within the documented size and
    nesting limits (``briefing.fixture_input``); a ``FixtureError`` if unreadable or too large."""
    try:
        return fixture_input.read_fixture(path)
    except fixture_input.FixtureInputError as exc:
        raise FixtureError(fixture_input.display(str(path)), "file", None, str(exc)) from exc


def fixture_validate(data: Any, source: Path | str) -> dict:
    """``data`` as a version-2 fixture, once it matches its version's schema; a ``FixtureError``
    naming the first record at fault otherwise. A version-1 file is upgraded (``fixture_upgrade``).
    """
    version = data.get("format", 1) if isinstance(data, dict) else 2
    if version not in (1, 2):
        raise FixtureError(source, "(top level)", "format", f"unknown fixture format {version!r}: write 2.")
    path = settings.FIXTURE_SCHEMA_PATH if version == 2 else settings.FIXTURE_SCHEMA_V1_PATH
    error = jsonschema.exceptions.best_match(_fixture_validator(path).iter_errors(data))
    if error is not None:
        parts = list(error.absolute_path)
        field_name = parts.pop() if parts and isinstance(parts[-1], str) else None
        record = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
        raise FixtureError(
            source, record or "(top level)", field_name, f"does not match the schema: {error.message}"
        )
    return data if version == 2 else fixture_upgrade(data)


def fixture_upgrade(data: dict) -> dict:
    """A version-1 fixture as version 2: the same records, saying what version 1 could not.

    Version 1 knew only exact meeting dates and complete participant lists, and did not record
    how statements were attributed: the upgrade leaves ``attribution`` out (stored as not
    recorded) and keeps everything else as it was, so the import writes the same rows.
    """
    upgraded = {"format": 2, **{k: v for k, v in data.items() if k != "$schema"}}
    if "$schema" in data:
        upgraded = {"$schema": data["$schema"], **upgraded}
    upgraded["statements"] = [dict(row) for row in data["statements"]]
    return upgraded
