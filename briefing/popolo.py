"""The briefing as one Popolo document (popoloproject.com), for tools that read civic data.

Popolo names the people, organizations, memberships, events and speeches of parliamentary and
civic data; this module maps the briefing onto those names (docs/popolo.md lists each choice).
Each table is read once, so the export takes the same number of queries whatever its size.
URLs belong to the interface, so the caller passes a function giving an object's API URL.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.utils.text import slugify

from briefing.dates import Precision, iso
from briefing.models import Meeting, Membership, Official, Organization, Participation, Post, Statement

ApiUrl = Callable[[str, str], str]
"""``api_url(model_name, slug)``: the absolute API URL of that object, e.g. of ``("official", "joe-biden")``."""

CURRENT_LABEL = "Current title"
POST_LABEL = "Holder of a post"
ROLE_AT_THE_TIME_LABEL = "Role at the time of a meeting"
API_LINK_NOTE = "Summit Briefing API"


def popolo_export(*, api_url: ApiUrl) -> dict[str, list[dict]]:
    """Every official, organization, post, meeting and statement, with memberships, as Popolo objects."""
    # Rows that refer to others are read first: an official or organization cannot be deleted
    # while referred to (PROTECT), so under concurrent edits every person and organization the
    # export refers to is still in it. Eight queries, whatever the size of the data.
    statements = list(
        Statement.objects.select_related("speaker", "meeting", "article").only(
            "text", "kind", "date", "date_precision", "position", "speaker__slug", "speaker__name",
            "meeting__slug", "article__slug", "article__title", "article__url",
        )
    )  # fmt: skip
    participations = list(
        Participation.objects.order_by("meeting__date", "meeting__slug", "position", "pk").values(
            "meeting_id", "official_id", "role", "meeting__slug", "meeting__title", "meeting__date",
            "meeting__date_precision",
        )
    )  # fmt: skip
    tenures = list(
        Membership.objects.order_by("official__slug", "post__slug", "start_date", "pk").values(
            "pk", "official__slug", "post__slug", "post__label", "post__organization__slug",
            "start_date", "end_date",
        )
    )  # fmt: skip
    reports = list(
        Meeting.articles.through.objects.order_by(
            "-article__published_on", "article__title", "article_id"
        ).values("meeting_id", "article__slug", "article__title", "article__url")
    )
    meetings = list(
        Meeting.objects.order_by("date", "slug").only(
            "slug", "title", "summary", "date", "date_precision", "location", "city", "kind"
        )
    )
    officials = list(Official.objects.values("pk", "slug", "name", "aliases", "title", "organization__slug"))
    posts = list(Post.objects.values("slug", "label", "organization__slug"))
    organizations = list(Organization.objects.values("slug", "name", "abbreviation", "kind", "parent__slug"))

    persons = {official["pk"]: _person(official, api_url) for official in officials}
    return {
        "persons": list(persons.values()),
        "organizations": [_organization(row, api_url) for row in organizations],
        "posts": [_post(row) for row in posts],
        "memberships": _memberships(officials, participations, api_url) + _tenures(tenures),
        "events": _events(meetings, participations, reports, persons, api_url),
        "speeches": _speeches(statements, participations, api_url),
    }


def _person(official: dict, api_url: ApiUrl) -> dict:
    return {
        "id": official["slug"],
        "name": official["name"],
        "other_names": [{"name": alias, "note": "alias"} for alias in official["aliases"]],
        "links": [{"url": api_url("official", official["slug"]), "note": API_LINK_NOTE}],
    }


def _post(row: dict) -> dict:
    return {"id": row["slug"], "label": row["label"], "organization_id": row["organization__slug"]}


def _tenures(rows: list[dict]) -> list[dict]:
    """Dated holdings of posts: Popolo memberships with a post, a start and an end when known."""
    found = []
    for row in rows:
        membership = {
            "id": f"membership-{row['official__slug']}-{row['post__slug']}-{row['pk']}",
            "label": POST_LABEL,
            "role": row["post__label"],
            "person_id": row["official__slug"],
            "post_id": row["post__slug"],
            "organization_id": row["post__organization__slug"],
            # Popolo's sources are links; where the dates come from (`source`) has no url to give.
            "sources": [],
        }
        for key in ("start_date", "end_date"):
            if row[key] is not None:
                membership[key] = row[key].isoformat()
        found.append(membership)
    return found


def _organization(row: dict, api_url: ApiUrl) -> dict:
    abbreviation = row["abbreviation"]
    return {
        "id": row["slug"],
        "name": row["name"],
        "other_names": [{"name": abbreviation, "note": "abbreviation"}] if abbreviation else [],
        "classification": row["kind"],
        "parent_id": row["parent__slug"],
        "links": [{"url": api_url("organization", row["slug"]), "note": API_LINK_NOTE}],
    }


def _memberships(officials: list[dict], participations: list[dict], api_url: ApiUrl) -> list[dict]:
    """Each official's current title, then each role they held at meetings, in the current organization.

    Roles carry no dates: the briefing knows a role was held on a meeting's day, not when it began
    or ended, so the meetings are given as its sources instead.
    """
    # official id -> role -> the participations showing it, in date order (roles by first seen).
    roles: dict[int, dict[str, list[dict]]] = {}
    for row in participations:
        roles.setdefault(row["official_id"], {}).setdefault(row["role"], []).append(row)
    memberships = []
    for official in officials:
        slug, organization_id = official["slug"], official["organization__slug"]
        if official["title"] or organization_id:
            memberships.append(
                {
                    "id": f"membership-{slug}-current",
                    "label": CURRENT_LABEL,
                    "role": official["title"] or None,
                    "person_id": slug,
                    "organization_id": organization_id,
                    "sources": [],
                }
            )
        held = roles.get(official["pk"], {})
        for (role, meetings), role_slug in zip(held.items(), _unique_slugs(held), strict=True):
            memberships.append(
                {
                    "id": f"membership-{slug}-as-{role_slug}",
                    "label": ROLE_AT_THE_TIME_LABEL,
                    "role": role,
                    "person_id": slug,
                    "organization_id": organization_id,
                    "sources": [
                        {
                            "url": api_url("meeting", meeting["meeting__slug"]),
                            "note": _titled(
                                meeting["meeting__title"],
                                meeting["meeting__date"],
                                meeting["meeting__date_precision"],
                            ),
                        }
                        for meeting in meetings
                    ],
                }
            )
    return memberships


def _unique_slugs(names: Iterable[str]) -> list[str]:
    """A slug per name, numbered when two names slugify alike (`U.S. …` and `US …`)."""
    slugs: list[str] = []
    for name in names:
        base = slugify(name) or "role"
        slug, n = base, 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{n}"
        slugs.append(slug)
    return slugs


def _events(
    meetings: list[Meeting],
    participations: list[dict],
    reports: list[dict],
    persons: dict[int, dict],
    api_url: ApiUrl,
) -> list[dict]:
    attendees: dict[int, list[dict]] = {}
    for row in participations:
        # Absent only if the participation moved to another official while the export was read.
        if row["official_id"] in persons:
            attendees.setdefault(row["meeting_id"], []).append(persons[row["official_id"]])
    sources: dict[int, list[dict]] = {}
    for row in reports:
        sources.setdefault(row["meeting_id"], []).extend(
            _article_sources(api_url, row["article__slug"], row["article__title"], row["article__url"])
        )
    events = []
    for meeting in meetings:
        event = {
            "id": meeting.slug,
            "name": meeting.title,
            "description": meeting.summary or None,
            "location": _place(meeting.location, meeting.city),
            "classification": meeting.kind,
            "attendees": attendees.get(meeting.pk, []),
            "sources": sources.get(meeting.pk, []),
        }
        # Popolo dates may be `YYYY` or `YYYY-MM`: a partial date stays partial; an unknown one is left out.
        when = meeting.reported_date.iso()
        if when is not None:
            event["start_date"] = event["end_date"] = when
        events.append(event)
    return events


def _titled(title: str, day: date | None, precision: str) -> str:
    when = iso(day, precision)
    return f"{title} ({when})" if when else title


def _place(venue: str, city: str) -> str | None:
    """`Venue, City`, either one alone, or None; a venue that already names its city keeps it once."""
    venue, city = venue.strip(), city.strip()
    if city and city.casefold() in venue.casefold():
        city = ""
    return ", ".join(part for part in (venue, city) if part) or None


def _speeches(statements: list[Statement], participations: list[dict], api_url: ApiUrl) -> list[dict]:
    roles = {(row["meeting_id"], row["official_id"]): row["role"] for row in participations}
    return [
        {
            "id": f"statement-{statement.pk}",
            "creator_id": statement.speaker.slug if statement.speaker_id else None,
            "role": roles.get((statement.meeting_id, statement.speaker_id)),
            "text": statement.text,
            "date": _date_time(statement.date if statement.date_precision == Precision.DAY else None),
            "title": str(statement),
            "type": statement.kind,
            "position": statement.position,
            "event_id": statement.meeting.slug if statement.meeting else None,
            "sources": _article_sources(
                api_url, statement.article.slug, statement.article.title, statement.article.url
            ),
        }
        for statement in statements
    ]


def _date_time(day: date | None) -> str | None:
    """``day`` at midnight UTC: Popolo's speech date is a date-time, but only the day is known
    (a month or year is not a date-time: a speech dated only so has none)."""
    return f"{day.isoformat()}T00:00:00Z" if day else None


def _article_sources(api_url: ApiUrl, slug: str, title: str, published_url: str) -> list[dict]:
    """Links to an article: its API URL (always there, with the body), and where it was published if known."""
    links = [{"url": api_url("article", slug), "note": title}]
    if published_url:
        links.append({"url": published_url, "note": f"{title} (as published)"})
    return links
