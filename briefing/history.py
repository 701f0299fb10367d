"""Reading the change history (django-simple-history) as who changed what, when.

Many-to-many changes are compared from prefetched rows rather than with
``diff_against``'s per-record queries, so a page of history costs a constant number of queries.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    """One field's value before and after a change (``old`` is None for a creation)."""

    field: str
    old: Any
    new: Any


def shows_editors(user, model: type[models.Model]) -> bool:
    """Whether ``user`` may see who made the changes to ``model`` rows: those who may change them.

    Anyone else (anonymous readers, read-only accounts) sees the changes but not the account
    names, which would otherwise be a public list of logins to guess passwords for.
    """
    if not (user and user.is_authenticated):
        return False
    return user.is_staff or user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


def history_of(instance: models.Model) -> models.QuerySet:
    """The instance's history records, newest first, with what reading them needs prefetched."""
    records = instance.history.select_related("history_user")
    return records.prefetch_related(*_m2m_accessors(records.model).values()).order_by("-history_id")


def _m2m_accessors(history_model: type[models.Model]) -> dict[str, str]:
    """For each tracked many-to-many field, the reverse accessor of its history rows."""
    accessors = {}
    for field in getattr(history_model, "_history_m2m_fields", []):
        rows_model = getattr(history_model, field.name).model
        accessors[field.name] = rows_model._meta.get_field("history").remote_field.get_accessor_name()
    return accessors


def changes(record: models.Model, previous: models.Model | None) -> list[Change]:
    """What ``record`` changed relative to ``previous`` (every tracked value for a creation)."""
    m2m = {f.name: f for f in getattr(record, "_history_m2m_fields", [])}
    accessors = _m2m_accessors(type(record))
    tracked = [f for f in record.tracked_fields if f.editable and f.name not in m2m]
    found = []
    for field in tracked:
        new = _plain(getattr(record, field.attname))
        old = _plain(getattr(previous, field.attname)) if previous is not None else None
        if previous is None or old != new:
            found.append(Change(field.name, old, new))
    for name, field in m2m.items():
        new = _linked_ids(record, field, accessors[name])
        old = _linked_ids(previous, field, accessors[name]) if previous is not None else None
        if old != new:
            found.append(Change(name, old, new))
    return sorted(found, key=lambda change: change.field)


def _linked_ids(record: models.Model, field: models.ManyToManyField, accessor: str) -> list[int]:
    target = field.m2m_reverse_field_name()
    return sorted(getattr(row, f"{target}_id") for row in getattr(record, accessor).all())


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
