"""Dates as articles give them: to the day, the month or the year, or not at all.

A partial date is stored as the period it names — its first and last day — with its precision,
so that filters and ordering can use real dates while nothing shows a made-up exact day: a
meeting "in May 2018" is ``2018-05`` (from 2018-05-01 to 2018-05-31), one "on Wednesday" with no
anchor is unknown. ISO 8601 reduced precision (``2018``, ``2018-05``) is what the API, the
fixtures and Popolo write.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db import models


class Precision(models.TextChoices):
    """How much of a date the article gives."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date at a precision: the period ``start``–``end`` (both None when unknown)."""

    start: datetime.date | None
    end: datetime.date | None
    precision: str

    @classmethod
    def unknown(cls) -> "PartialDate":
        return cls(None, None, Precision.UNKNOWN)

    @classmethod
    def of(cls, day: datetime.date | None, precision: str) -> "PartialDate":
        """The period of ``precision`` that contains ``day`` (None or ``unknown``: unknown)."""
        if day is None or precision == Precision.UNKNOWN:
            return cls.unknown()
        if precision == Precision.DAY:
            return cls(day, day, Precision.DAY)
        if precision == Precision.MONTH:
            last = calendar.monthrange(day.year, day.month)[1]
            return cls(day.replace(day=1), day.replace(day=last), Precision.MONTH)
        if precision == Precision.YEAR:
            return cls(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), Precision.YEAR)
        raise ValueError(f"unknown date precision {precision!r}")

    @classmethod
    def parse(cls, value: str | None) -> "PartialDate":
        """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or None; a ``ValueError`` saying why otherwise."""
        if value is None or value == "":
            return cls.unknown()
        match = _ISO.match(value) if isinstance(value, str) else None
        if match is None:
            raise ValueError(f"“{value}” is not a date: write YYYY-MM-DD, YYYY-MM or YYYY.")
        year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
        try:
            if day is not None:
                return cls.of(datetime.date(year, month, day), Precision.DAY)
            if month is not None:
                return cls.of(datetime.date(year, month, 1), Precision.MONTH)
            return cls.of(datetime.date(year, 1, 1), Precision.YEAR)
        except ValueError as exc:
            raise ValueError(f"“{value}” is not a date: {exc}.") from exc

    def iso(self) -> str | None:
        """ISO 8601 at this precision: ``2018-05-17``, ``2018-05``, ``2018``; None when unknown."""
        if self.start is None:
            return None
        if self.precision == Precision.YEAR:
            return f"{self.start.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


def iso(day: datetime.date | None, precision: str) -> str | None:
    """A stored (first day, precision) pair as ISO 8601 at its precision."""
    return PartialDate.of(day, precision).iso()
