"""Single-row domain rules and their wording, shared by the models and the services.

Models call these from ``clean()`` and their constraints; rules that span rows (spans in a
body, statement order, a meeting's participants) are the services' (``briefing.services``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models

# More statements than this in one article is a mistake, and the number must fit any database.
MAX_POSITION = 100_000

# Meetings before this date are taken for typos (e.g. `0022-06-02`), not history.
EARLIEST_DATE = datetime.date(1900, 1, 1)
EARLIEST_DATE_MESSAGE = "Dates before 1900-01-01 are not accepted; check the year."

# The one wording of "an official takes part in a meeting once" (constraint, admin, API, importer).
ONCE_PER_MEETING = "This official is already a participant of this meeting."


def snippet(text: str, length: int = 60) -> str:
    """The start of ``text`` on one line, cut at ``length`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def check_no_cycle(instance: models.Model, field: str) -> None:
    """Refuse a ``parent``-style link that would make ``instance`` its own ancestor."""
    seen = set()
    node = getattr(instance, field)
    while node is not None:
        if (node.pk is not None and node.pk == instance.pk) or node.pk in seen:
            raise ValidationError({field: "This would make the object its own ancestor."}, code="cycle")
        seen.add(node.pk)
        node = getattr(node, field)
