"""Domain rules shared by the models, the importer, the admin and the API.

They are plain functions so that each rule is written once: models call them from
``clean()``, and everything that writes calls ``full_clean()``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models

# More statements than this in one article is a mistake, and the number must fit any database.
MAX_POSITION = 100_000

# Meetings before this date are taken for typos (e.g. `0022-06-02`), not history.
EARLIEST_DATE = datetime.date(1900, 1, 1)
EARLIEST_DATE_MESSAGE = "Dates before 1900-01-01 are not accepted; check the year."


def snippet(text: str, length: int = 60) -> str:
    """The start of ``text`` on one line, cut at ``length`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def locate_verbatim(body: str, text: str, *, hint: int | None = None) -> tuple[int, int]:
    """Return the ``(start, end)`` span of ``text`` in ``body``; refuse text not in it.

    The match is exact to the character: typographic quotes, dashes and double spaces must be
    as published. When the text occurs more than once, the occurrence at ``hint`` (the span
    kept from a previous save) wins, else the first one.
    """
    if hint is not None and body[hint : hint + len(text)] == text:
        return hint, hint + len(text)
    start = body.find(text)
    if start < 0:
        raise ValidationError(
            "This text does not occur verbatim in the article body: “%(snippet)s”. "
            "Quote it exactly as published (same quotes, dashes and spaces).",
            code="not_verbatim",
            params={"snippet": snippet(text)},
        )
    return start, start + len(text)


def next_position(statements: models.QuerySet) -> int:
    """The number after the highest position among ``statements`` (1 for none)."""
    highest = statements.aggregate(highest=models.Max("position"))["highest"] or 0
    if highest >= MAX_POSITION:
        raise ValidationError(
            {"position": f"The article already has a statement at position {highest}; give a position."},
            code="max_value",
        )
    return highest + 1


def check_no_cycle(instance: models.Model, field: str) -> None:
    """Refuse a ``parent``-style link that would make ``instance`` its own ancestor."""
    seen = set()
    node = getattr(instance, field)
    while node is not None:
        if (node.pk is not None and node.pk == instance.pk) or node.pk in seen:
            raise ValidationError({field: "This would make the object its own ancestor."}, code="cycle")
        seen.add(node.pk)
        node = getattr(node, field)
