"""Who owns which data: a fixture owns a field only while the row still holds what it wrote.

Each import leaves, per row it wrote, an ``ImportRecord``: the values as that fixture wrote them
(its baseline). The next import of the same fixture compares three things per field — what the
database holds, what the fixture last wrote, what the fixture says now — and changes the field
only when the database still holds the baseline. Anything else was changed since by an editor
(or belongs to another fixture) and is kept, and the report says so. Links (topics, articles)
merge as sets: the fixture adds what it newly lists and removes only what it once added.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from briefing.models import ImportRecord


def plain(value: Any) -> Any:
    """A field's value as a baseline stores it: rows by id, links as sorted ids, dates in ISO 8601."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def default_values(model: type[models.Model], names: list[str]) -> dict[str, Any]:
    """The defaults of the concrete fields among ``names``, in baseline form (empty for links)."""
    found = {}
    for name in names:
        f = model._meta.get_field(name)
        if not f.many_to_many:
            found[name] = plain(f.get_default())
    return found


def current_values(obj: models.Model, names: list[str]) -> dict[str, Any]:
    """``obj``'s values of ``names`` in baseline form (links read from what was prefetched)."""
    values = {}
    for name in names:
        f = obj._meta.get_field(name)
        if f.many_to_many:
            values[name] = sorted(o.pk for o in getattr(obj, name).all())
        elif f.many_to_one:
            values[name] = getattr(obj, f.attname)
        else:
            values[name] = plain(getattr(obj, name))
    return values


# In a baseline: the fields this fixture stated but found someone else's (it never filled them).
DECLINED = "__declined__"


@dataclass
class Merge:
    """The outcome of comparing a row with a fixture record and its baseline."""

    changed: dict[str, Any] = field(default_factory=dict)  # field → value to write (baseline form)
    kept: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (database, fixture)
    baseline: dict[str, Any] = field(default_factory=dict)


def merge(
    *,
    current: dict[str, Any],
    wanted: dict[str, Any],
    base: dict[str, Any] | None,
    links: set[str],
    defaults: dict[str, Any] | None = None,
) -> Merge:
    """Decide, per field of ``wanted`` (the fixture's values), what a re-import writes.

    ``current`` is the database's, ``base`` what this fixture last wrote (None: it never wrote
    this row). A field the fixture agrees with becomes its own again (so an exported, committed
    fixture adopts the curated values). A field this fixture never wrote that still holds its
    default (``defaults``; e.g. one a format-1 import could not fill) is the fixture's to fill.
    """
    base = base or {}
    defaults = defaults or {}
    declined = set(base.get(DECLINED, []))
    result = Merge()
    for name, value in wanted.items():
        now = current[name]
        if name in links:
            before = set(base.get(name, []))
            merged = (set(now) - (before - set(value))) | (set(value) - before)
            if merged != set(now):
                result.changed[name] = sorted(merged)
            result.baseline[name] = sorted(value)
        elif now == value:
            result.baseline[name] = value
        elif (name in base and now == base[name]) or (
            name not in base and name not in declined and name in defaults and now == defaults[name]
        ):
            result.changed[name] = value
            result.baseline[name] = value
        else:
            result.kept[name] = (now, value)
            if name in base:
                result.baseline[name] = base[name]
            else:
                declined.add(name)
    if declined:
        result.baseline[DECLINED] = sorted(declined)
    return result


def fields_of(values: dict[str, Any]) -> list[str]:
    """The field names a baseline holds values of (not its own bookkeeping)."""
    return [name for name in values if name != DECLINED]


class Ledger:
    """One fixture's import records: read once per import, written back together at the end."""

    def __init__(self, source: str):
        self.source = source
        self.records = {(r.model, r.key): r for r in ImportRecord.objects.filter(source=source)}
        self._dirty: dict[tuple[str, str], ImportRecord] = {}

    def get(self, model: type[models.Model], key: str) -> ImportRecord | None:
        """This fixture's record of the ``model`` row it knows as ``key``, if it wrote one."""
        return self.records.get((model._meta.model_name, key))

    def owned_ids(self, model: type[models.Model]) -> dict[int, ImportRecord]:
        """The ids of the ``model`` rows this fixture has written, with their records."""
        name = model._meta.model_name
        return {r.object_id: r for (m, _), r in self.records.items() if m == name}

    def note(self, model: type[models.Model], key: str, obj: models.Model, values: dict[str, Any]) -> None:
        """Remember that this import wrote (or confirmed) ``values`` on ``obj``."""
        name = model._meta.model_name
        record = self.records.get((name, key))
        if record is None:
            record = ImportRecord(source=self.source, model=name, key=key, object_id=obj.pk, values=values)
        elif record.object_id == obj.pk and record.values == values:
            return
        else:
            record.object_id, record.values = obj.pk, values
        self.records[(name, key)] = record
        self._dirty[(name, key)] = record

    def forget(self, model: type[models.Model], key: str) -> None:
        """Drop the record of a row this import deleted."""
        record = self.records.pop((model._meta.model_name, key), None)
        self._dirty.pop((model._meta.model_name, key), None)
        if record is not None and record.pk is not None:
            record.delete()

    def save(self) -> None:
        """Write the new and changed records (two queries at most)."""
        new = [r for r in self._dirty.values() if r.pk is None]
        old = [r for r in self._dirty.values() if r.pk is not None]
        ImportRecord.objects.bulk_create(new)
        if old:
            for record in old:
                record.imported_at = datetime.datetime.now(datetime.UTC)
            ImportRecord.objects.bulk_update(old, ["object_id", "values", "imported_at"])
        self._dirty.clear()
