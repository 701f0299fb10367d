"""Dates in an article's words, resolved against its publication day, never invented.

A printed day and month win (the year from a printed year, else the publication year); a weekday
printed with them is only checked, and a mismatch is reported; a weekday alone is the latest such
day on or before publication; "the evening before", "later on Thursday" and the like take the date
of the meeting they are anchored to; "earlier this month" and "last year" keep only the month or
year. Anything else is unknown. The standard library does the calendar: no parser guesses here.
"""

import datetime
import re
from dataclasses import dataclass, field

from briefing.drafting.lexicon import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH2 = r"(?P<month2>January|February|March|April|May|June|July|August|September|October|November|December)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_DAY_MONTH = rf"(?:(?P<day>\d{{1,2}})\s+{_MONTH}|{_MONTH2}\s+(?P<day2>\d{{1,2}}))(?:,?\s+(?P<year>\d{{4}}))?"

PATTERNS = [
    ("explicit", re.compile(rf"\b(?:[Oo]n\s+)?(?:{_WEEKDAY}{_PART}\s*(?:,|\()?\s*)?{_DAY_MONTH}\)?(?![\w])")),
    ("month_year", re.compile(rf"\b(?:[Ii]n\s+){_MONTH}\s+(?P<year>\d{{4}})\b")),
    ("year", re.compile(r"\b(?:[Ii]n|[Ss]ince)\s+(?P<year>(?:19|20)\d{2})\b(?!\s*(?:-|–|to)\s*\d)")),
    (
        "relative_month",
        re.compile(r"\b(?:earlier|late|later)\s+this\s+month\b|\blast\s+month\b|\bthis\s+month\b"),
    ),
    ("relative_year", re.compile(r"\b(?:earlier\s+this|last|this)\s+year\b")),
    (
        "day_before",
        re.compile(
            r"\b(?:[Tt]he\s+(?:evening|night|day|morning|afternoon)\s+before|[Tt]he\s+previous\s+(?:evening|day|night))\b"
        ),
    ),
    (
        "same_day",
        re.compile(
            rf"\b(?:[Ll]ater\s+(?:on\s+{_WEEKDAY}|that\s+day|in\s+the\s+day)|[Aa]t\s+the\s+end\s+of\s+the\s+day|[Ee]arlier\s+(?:in\s+the|that)\s+day|[Aa]fter\s+the\s+(?:talks|meeting|signing|ceremony|audience|dinner|visit)|(?:was|were)\s+followed\s+by)\b"
        ),
    ),
    ("weekday", re.compile(rf"\b(?:[Oo]n|[Ll]ast)\s+{_WEEKDAY}{_PART}\b")),
    (
        "yesterday",
        re.compile(r"\b(?:yesterday|today|(?:earlier|later)\s+today|this\s+(?:morning|afternoon|evening))\b"),
    ),
]


@dataclass
class DateFinding:
    """A date expression found in a sentence, and what it resolves to."""

    kind: str
    text: str
    start: int
    value: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    inferred: bool = False
    notes: list[str] = field(default_factory=list)
    weekday: str | None = None


def find_date(
    text: str,
    offset: int,
    published_on: datetime.date | None,
    article_years: set[int],
    near: int | None = None,
) -> DateFinding | None:
    """The date expression in ``text`` nearest to ``near`` (an index in ``text``; default: the
    first), resolved where it can be on its own. Of overlapping expressions the fuller one counts."""
    matches = []
    for rank, (kind, pattern) in enumerate(PATTERNS):
        for m in pattern.finditer(text):
            if not any(m.start() < other.end() and other.start() < m.end() for _, _, other in matches):
                matches.append((rank, kind, m))
    if not matches:
        return None
    anchor = near if near is not None else 0
    _, kind, m = min(
        matches, key=lambda x: (abs(x[2].start() - anchor) if near is not None else x[2].start(), x[0])
    )
    found = DateFinding(kind, m.group().strip(), offset + m.start())
    groups = m.groupdict()
    found.weekday = groups.get("weekday")
    if kind == "explicit":
        month_name = groups.get("month") or groups.get("month2")
        day = int(groups.get("day") or groups.get("day2"))
        month = MONTHS.index(month_name.lower()) + 1
        year = int(groups["year"]) if groups.get("year") else None
        if year is None and published_on is not None:
            year = published_on.year
            # A day and month after the publication day belongs to the year before.
            try:
                if datetime.date(year, month, day) > published_on + datetime.timedelta(days=1):
                    year -= 1
            except ValueError:
                pass
        elif year is None and len(article_years) == 1:
            year = next(iter(article_years))
        if year is None:
            return found
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            found.notes.append(f"“{found.text}” is not a date in {year}; left unknown.")
            return found
        found.value = date.isoformat()
        if found.weekday and WEEKDAYS[date.weekday()] != found.weekday.lower():
            found.notes.append(
                f"“{found.text}”: {date.day} {month_name} {year} was a {WEEKDAYS[date.weekday()].title()}; "
                "the printed day is kept."
            )
    elif kind == "month_year":
        found.value = f"{int(groups['year']):04d}-{MONTHS.index(groups['month'].lower()) + 1:02d}"
    elif kind == "year":
        found.value = groups["year"]
    elif kind == "relative_month" and published_on is not None:
        last_month = "last" in found.text.lower()
        first = published_on.replace(day=1)
        month = first if not last_month else (first - datetime.timedelta(days=1)).replace(day=1)
        found.value, found.inferred = month.strftime("%Y-%m"), True
    elif kind == "relative_year" and published_on is not None:
        year = published_on.year - (1 if "last" in found.text.lower() else 0)
        found.value, found.inferred = str(year), True
    elif kind == "yesterday" and published_on is not None:
        back = 1 if found.text.lower() == "yesterday" else 0
        found.value, found.inferred = (published_on - datetime.timedelta(days=back)).isoformat(), True
    elif kind == "weekday" and published_on is not None:
        target = WEEKDAYS.index(found.weekday.lower())
        back = (published_on.weekday() - target) % 7
        if back == 0 and found.text.lower().startswith("last"):
            back = 7  # "last Tuesday" written on a Tuesday is a week ago
        found.value, found.inferred = (published_on - datetime.timedelta(days=back)).isoformat(), True
    return found


def shift(value: str | None, days: int) -> str | None:
    """A day-precision date moved by ``days``; anything less precise stays unknown."""
    if value is None or len(value) != 10:
        return None
    return (datetime.date.fromisoformat(value) + datetime.timedelta(days=days)).isoformat()


def years_printed(body: str) -> set[int]:
    """The years printed with a day and month in the body ("2 June 2022")."""
    found = set()
    for m in PATTERNS[0][1].finditer(body):
        if m.group("year"):
            found.add(int(m.group("year")))
    return found


__all__ = ["MONTH_ABBREVIATIONS", "DateFinding", "find_date", "shift", "years_printed"]
