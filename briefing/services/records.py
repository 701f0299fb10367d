"""Saving and deleting one row under its own rules, with one change-history record per write.

The single-row rules are the models' (``full_clean()``: fields, ``clean()``, constraints). The
entity services (articles, statements, meetings) add the rules that span rows and call these.
"""

from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save


@transaction.atomic(savepoint=False)
def record_save(
    *, instance: models.Model, m2m: dict[str, Iterable] | None = None, reason: str | None = None
) -> models.Model:
    """Validate ``instance`` (``full_clean``), save it and set its links; nothing when nothing changed.

    ``reason`` goes into the change history, which gets one record for the whole write.
    """
    return save_in_transaction(instance=instance, m2m=m2m, reason=reason)


@transaction.atomic(savepoint=False)
def record_delete(*, instance: models.Model, reason: str | None = None) -> None:
    """Delete ``instance``, recording ``reason`` in the change history."""
    instance._change_reason = reason
    instance.delete()


def save_in_transaction(
    *,
    instance: models.Model,
    m2m: dict[str, Iterable] | None = None,
    reason: str | None = None,
    fetched: Collection[str] = (),
    force: bool = False,
) -> models.Model:
    """``record_save`` inside the caller's transaction (``fetched``: see ``full_clean``).

    An update that changes no field and no link writes nothing (no history record either),
    unless ``force``.
    """
    m2m = {name: list(objs) for name, objs in (m2m or {}).items()}
    if not instance._state.adding and not force and not changes(instance, m2m):
        return instance
    instance._change_reason = reason
    full_clean(instance, fetched=fetched)
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


def changes(instance: models.Model, m2m: dict[str, list] | None = None) -> list[str]:
    """The names of the fields and links in which ``instance`` differs from its stored row."""
    concrete = [f for f in instance._meta.concrete_fields if not f.primary_key]
    stored = (
        type(instance)._base_manager.filter(pk=instance.pk).values(*(f.attname for f in concrete)).first()
    )
    if stored is None:
        return ["(row)"]
    changed = [f.name for f in concrete if getattr(instance, f.attname) != stored[f.attname]]
    for name, objs in (m2m or {}).items():
        current = set(getattr(instance, name).values_list("pk", flat=True))
        if current != {obj.pk for obj in objs}:
            changed.append(name)
    return changed


def full_clean(instance: models.Model, *, fetched: Collection[str] = ()) -> None:
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


def relations(values: dict[str, Any]) -> list[str]:
    """The names in ``values`` set to a row (for ``fetched``: rows read or written in this transaction)."""
    return [name for name, value in values.items() if isinstance(value, models.Model)]
