"""Export formats: CSV for every list, iCalendar for meetings.

CSV columns are the list representation's fields (trimmed by `fields`/`omit` like JSON): a
nested object becomes its slug (statements: id), a list becomes its items joined by `;`, and a
participant reads `slug (role at the time)`. See docs/exports.md.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator

import icalendar
from rest_framework.renderers import BaseRenderer

CSV_SEPARATOR = ";"


class CSVRenderer(BaseRenderer):
    """`text/csv` (`?format=csv`). Lists stream their rows themselves; this renders the rest."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        header = list(rows[0]) if rows else []
        return "".join(csv_lines(header, rows)).encode(self.charset)


class ICalendarRenderer(BaseRenderer):
    """`text/calendar` (RFC 5545); the view builds the calendar bytes."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data).encode(self.charset)


def flat(value) -> str:
    """One CSV cell for a representation's value."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if "official" in value and "role" in value:
            return f"{value['official']['slug']} ({value['role']})"
        return str(value.get("slug", value.get("id", "")))
    if isinstance(value, list):
        return CSV_SEPARATOR.join(flat(item) for item in value)
    return str(value)


def csv_lines(header: list[str], items: Iterable[dict]) -> Iterator[str]:
    """The CSV text of ``items`` under ``header``, a line at a time (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(header)
    for item in items:
        yield line([flat(item.get(name)) for name in header])


def meetings_calendar(meetings: Iterable, *, link: Callable[[str], str], host: str) -> bytes:
    """An iCalendar feed: one all-day event per meeting, with place, participants and a link back."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Summit Briefing API//meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Summit Briefing meetings")
    for meeting in meetings:
        participants = [f"{p.official.name} ({p.role})" for p in meeting.participations.all()]
        event = icalendar.Event()
        event.add("uid", f"{meeting.slug}@{host}")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
        event.add("dtstamp", datetime.datetime.combine(meeting.date, datetime.time(), tzinfo=datetime.UTC))
        event.add("location", ", ".join(filter(None, [meeting.location, meeting.city])))
        event.add(
            "description",
            "\n\n".join(filter(None, [meeting.summary, "Participants: " + "; ".join(participants)])),
        )
        event.add("url", link(meeting.slug))
        event.add("categories", [topic.name for topic in meeting.topics.all()] or ["Meeting"])
        calendar.add_component(event)
    return calendar.to_ical()
