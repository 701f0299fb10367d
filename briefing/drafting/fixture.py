"""Putting a draft together: the format-2 fixture an editor reviews, then imports with ``seed``."""

import datetime
import re
from collections.abc import Collection

from django.utils.text import slugify

from briefing.drafting.attribution import Attributor
from briefing.drafting.directory import Directory, Person, core_tokens, load_directory
from briefing.drafting.meetings import DraftMeeting, find_meetings
from briefing.drafting.people import MentionFinder, stem
from briefing.drafting.quotes import find_passages
from briefing.drafting.text import MAX_TEXT_BYTES, DraftInputError, dateline_offset

# "KELBRIDGE, June 14 (BPA) -", "PORT ADAINE, 30 November —": the day of the dispatch, not of a meeting.
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z .’'-]+,\s*((?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})(?:,?\s+\d{4})?(?:\s*\([^)]*\))?)\s*[—–-]"
)
ENGINE = "drafting engine 1 (rules; docs/drafting.md)"


def draft_fixture(
    *,
    title: str,
    body: str,
    published_on: datetime.date | None = None,
    publisher: str = "",
    url: str = "",
    slug: str | None = None,
    reserved_slugs: Collection[str] = (),
) -> dict:
    """A complete format-2 fixture drafted from an article's text, for an editor to review.

    A slug made from the title avoids stored articles' slugs and ``reserved_slugs`` (those
    other drafts will publish under).

    Reads the stored officials, organizations, posts and topics (never writes). Deterministic:
    the same text and database give the same draft. Raises only ``DraftInputError``.
    """
    title = " ".join((title or "").split())
    if not title:
        raise DraftInputError("The article needs a title.")
    if len(title) > 300:
        raise DraftInputError("The title is longer than 300 characters.")
    if not isinstance(body, str) or not body.strip():
        raise DraftInputError("The article has no body text.")
    if len(body.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise DraftInputError(f"The body is larger than {MAX_TEXT_BYTES:,} bytes; it cannot be drafted.")
    if re.search("[\ud800-\udfff]", body):
        raise DraftInputError("The body holds lone surrogate characters, which no database can store.")
    if published_on is not None and not isinstance(published_on, datetime.date):
        raise DraftInputError("published_on must be a date.")
    if len(publisher) > 200 or len(url) > 500:
        raise DraftInputError("The publisher (200 characters) or the URL (500) is too long.")
    article_slug = slug or slugify(title)[:100].strip("-") or "article"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article_slug) or len(article_slug) > 100:
        raise DraftInputError(
            f"“{article_slug}” is not a slug: lowercase letters, digits and single hyphens."
        )
    if slug is None:
        # A slug made from the title never lands on a stored article: importing the draft would
        # rewrite that article. A slug given explicitly is the caller's choice (re-drafting it).
        from briefing.models import Article

        taken = set(Article.objects.filter(slug__startswith=article_slug[:90]).values_list("slug", flat=True))
        taken.update(reserved_slugs)
        base, n = article_slug[:96].strip("-"), 2
        while article_slug in taken:
            article_slug, n = f"{base}-{n}", n + 1
    directory = load_directory()
    return _draft(directory, title, body, published_on, publisher, url, article_slug)


def _draft(directory: Directory, title, body, published_on, publisher, url, article_slug) -> dict:
    passages, warnings = find_passages(body)
    finder = MentionFinder(body, directory, [(p.start, p.end) for p in passages])
    mentions = finder.run()
    attributions = Attributor(body, passages, finder).run()
    speech = [p for p in passages if p.speech]
    masked = list(body)
    for p in speech:
        for i in range(max(0, p.start - 1), min(len(body), p.end + 1)):
            if masked[i] != "\n":
                masked[i] = " "
    dateline = _DATELINE.match(body, dateline_offset(body))
    if dateline:
        masked[dateline.start(1) : dateline.end(1)] = " " * len(dateline.group(1))
    future: list[str] = []
    meetings = find_meetings(body, "".join(masked), mentions, published_on, future)
    # Each listed phrase must be verbatim in the body (docs/annotation.md): quotations blanked out
    # of a sentence make it something else, so those are left out.
    not_meetings = (
        "; ".join(f"[{s}] (future or planned)" for s in dict.fromkeys(future) if s in body) or "none"
    )
    topics = _topics(directory, title + "\n" + body)

    people: list[Person] = []

    def use(person: Person) -> str:
        if person not in people:
            people.append(person)
        return person.slug

    mention_rows = []
    for m in mentions:
        row = {"official": use(m.person), "text": body[m.start : m.end], "start": m.start}
        if m.name:
            row["name_as_printed"] = m.name
        if m.title:
            row["title_as_given"] = m.title
        if m.honorifics:
            row["honorifics"] = m.honorifics
        mention_rows.append(row)

    meeting_rows, meeting_slugs = [], set(directory.meeting_slugs)
    for meeting in meetings:
        meeting_rows.append(_meeting_row(meeting, use, meeting_slugs, topics))

    statements = []
    for passage, attribution in zip(speech, attributions, strict=True):
        text = body[passage.start : passage.end]
        if not text.strip():
            continue
        row = {
            "speaker": use(attribution.speaker) if attribution.speaker is not None else None,
            "attribution": attribution.method if attribution.speaker is not None else "none",
        }
        if attribution.text and attribution.start is not None and attribution.method != "continuation":
            row["attribution_text"] = attribution.text
            row["attribution_start"] = attribution.start
        link = _meeting_link(attribution, passage.start, meetings, meeting_rows, body)
        if link is not None:
            row["meeting"], row["meeting_relation"] = link
        row |= {
            "kind": "quote",
            "text": text,
            "start": passage.start,
            "confidence": round(attribution.confidence, 2),
        }
        statement_topics = [t["slug"] for t in topics if _topic_in(t, text)]
        if statement_topics:
            row["topics"] = statement_topics
        statements.append(row)

    officials, new_organizations = [], {}
    for person in people:
        if person.stored:
            continue
        organization = _organization(person, directory)
        if organization is None:
            proposed = _proposed_organization(person, title + "\n" + body, directory)
            if proposed is not None:
                new_organizations.setdefault(proposed["slug"], proposed)
                organization = proposed["slug"]
        officials.append({"slug": person.slug, "name": _canonical(person)})
        printed_title = _printed_title(person)
        if printed_title:
            officials[-1]["title"] = printed_title
        officials[-1]["organization"] = organization
        aliases = sorted(
            {n for n in person.printed_names if len(core_tokens(n)) > 1} - {officials[-1]["name"]}
        )
        if aliases:
            officials[-1]["aliases"] = aliases

    not_speech = (
        "; ".join(f"[{body[p.start : p.end]}] ({p.reason})" for p in passages if not p.speech) or "none"
    )
    notes = [n for m in meetings for n in m.notes]
    note = (
        f"Draft by {ENGINE}: every statement, speaker, official and meeting here is a proposal for an "
        "editor to accept, correct or reject. Only direct quotations are drafted (no paraphrases); "
        "each statement's confidence says how sure the drafter is of its speaker. "
        f"Not speech: {not_speech}. "
        f"Not meetings: {not_meetings}. "
        + (" ".join(warnings) + " " if warnings else "")
        + (" ".join(notes) + " " if notes else "")
        + "Beyond the text: nothing; officials, organizations and topics known to the database are referred to by slug."
    )
    fixture = {
        "format": 2,
        "note": note,
        "article": {
            "slug": article_slug,
            "title": title,
            "publisher": publisher,
            "url": url,
            "published_on": published_on.isoformat() if published_on else None,
            "body": body,
        },
        **({"organizations": list(new_organizations.values())} if new_organizations else {}),
        "officials": officials,
        "mentions": mention_rows,
        "meetings": meeting_rows,
        "statements": statements,
    }
    return fixture


def _canonical(person: Person) -> str:
    full = [n for n in person.printed_names if len(core_tokens(n)) > 1]
    if not full:
        return person.name
    return max(full, key=lambda n: (len(core_tokens(n)), -len(n)))


def _organization(person: Person, directory: Directory) -> str | None:
    """The one stored organization the official's country or organization words name.

    Its abbreviation, or every distinctive word of its name, must be among them: "Northland"
    shares a stem with "North Atlantic Treaty Organization" but names the one word only.
    """
    matches = set()
    for slug, org in directory.organizations.items():
        words = {
            stem(w)
            for w in re.findall(r"[A-Z][\w’'-]+", org["name"])
            if w not in {"Government", "Ministry", "Office", "Organization", "Organisation"}
        }
        abbreviation = stem(org["abbreviation"]) if org.get("abbreviation") else None
        if (abbreviation and abbreviation in person.qualifiers) or (words and words <= person.qualifiers):
            matches.add(slug)
    return matches.pop() if len(matches) == 1 else None


_OCCASION = re.compile(
    r"\b(?P<relation>after|before|at)\s+the\s+(?:talks|meeting|signing|ceremony|audience|dinner|visit|call)\b"
)


def _meeting_link(attribution, position: int, meetings: list[DraftMeeting], rows: list[dict], body: str):
    """The meeting a statement belongs to and how, only where its attributing words say so.

    Words said in the sentence that reports a meeting ("…,” de Vries-Mola said at a joint press
    conference after the signing") belong to that meeting; "told reporters after the talks" is
    said after the latest meeting reported before it. Anything less clear stays unlinked.
    """
    start = attribution.start if attribution.start is not None else position
    text = attribution.text or ""
    occasion = _OCCASION.search(text)
    for meeting, row in zip(meetings, rows, strict=True):
        if any(a <= start < b for a, b in meeting.sentences) and text:
            if meeting.kind == "press_conference" or occasion is None:
                return row["slug"], "at"
            return row["slug"], occasion.group("relation")
    if occasion is None or occasion.group("relation") == "at":
        return None
    earlier = [
        (meeting, row)
        for meeting, row in zip(meetings, rows, strict=True)
        if meeting.start < start and meeting.kind != "press_conference"
    ]
    if not earlier:
        return None
    return max(earlier, key=lambda pair: pair[0].start)[1]["slug"], occasion.group("relation")


def _printed_title(person: Person) -> str:
    """The title the article first gives a new official by name ("Foreign Minister"), as printed.

    A relation ("his Kestrian counterpart") is not a title, and a leading demonym or possessive
    country is left to the organization ("Orvanian Foreign Minister" gives `Foreign Minister`).
    """
    for printed in person.article_titles:
        if "counterpart" in printed.lower():
            continue
        words = printed.split()
        while len(words) > 1 and words[0][:1].isupper() and not _title_word(words[0]):
            words = words[1:]
        return " ".join(words)[:200]
    return ""


def _title_word(word: str) -> bool:
    from briefing.drafting.lexicon import PORTFOLIO_WORDS, TITLE_WORDS

    return word.lower().strip(",.") in TITLE_WORDS | PORTFOLIO_WORDS


def _proposed_organization(person: Person, text: str, directory: Directory) -> dict | None:
    """A government the draft proposes for a new official whose titles name exactly one country
    ("Orvanian Foreign Minister", "Belmark's Energy Minister", "President … of Belmark").

    The country is printed as a place ("Kestria", "Belmark's", "of Pirenne") when the text has it,
    else made from the demonym ("Sarnian" → Sarnia). Abbreviations (US, NATO) are left to the editor.
    """
    countries = set()
    words = set(re.findall(r"\b[A-Z][a-z]{2,}\b", text))
    for qualifier in person.qualifiers:
        printed = sorted(w for w in words if stem(w) == qualifier)
        if not printed:
            continue
        places = [w for w in printed if not re.search(r"(?:ian|ean|ese|ish)$", w)]
        if places:
            countries.add(places[0])
            continue
        demonym = printed[0]
        for ending, replacement in (("ian", "ia"), ("ean", "ea"), ("ese", "e")):
            if demonym.endswith(ending):
                countries.add(demonym[: -len(ending)] + replacement)
                break
    if len(countries) > 1:
        # One place of several words ("the Marrow Islands"): the words printed together, once.
        runs = {
            m.group(1)
            for m in re.finditer(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)", text)
            if set(m.group(1).split()) == countries
        }
        if len(runs) == 1:
            run = runs.pop()
            countries = {f"the {run}" if re.search(rf"\bthe\s+{run}\b", text) else run}
    if len(countries) != 1:
        return None
    country = countries.pop()
    slug = slugify(country.removeprefix("the "))
    if not slug or slug in directory.organization_slugs:
        return None
    return {
        "slug": slug,
        "name": f"Government of {country}",
        "abbreviation": "",
        "kind": "government",
        "parent": None,
    }


def _meeting_row(meeting: DraftMeeting, use, taken: set[str], topics: list[dict]) -> dict:
    names = [core_tokens(p.name)[-1] if core_tokens(p.name) else p.slug for p in meeting.participants]
    words = {"call": "call", "press_conference": "press-conference", "other": "contact"}.get(
        meeting.kind, "meeting"
    )
    base = slugify(" ".join([*names[:2], words, meeting.date or ""]))[:90].strip("-") or "meeting"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    people = [_canonical(p) for p in meeting.participants]
    listed = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
    title = {
        "call": f"Call between {listed}",
        "press_conference": f"Press conference: {listed}",
        "other": f"Contact between {listed}",
    }.get(meeting.kind, f"Meeting of {listed}")
    participants = []
    for p in meeting.participants:
        role = (
            meeting.roles.get(p.slug)
            or (p.article_titles[0] if p.article_titles else "")
            or (p.stored_titles[0] if p.stored_titles else "")
        )
        participants.append(
            {
                "official": use(p),
                "role": (role or "role not given in the text")[:200],
                "post": p.posts[0][0] if p.posts else None,
            }
        )
    return {
        "slug": slug,
        "title": title[:300],
        "date": meeting.date,
        "date_as_reported": meeting.date_as_reported[:200],
        "kind": meeting.kind,
        "location": meeting.location[:200],
        "city": meeting.city[:100],
        "summary": "",
        "topics": [t["slug"] for t in topics],
        "participants_complete": meeting.complete,
        "inferred": sorted(meeting.inferred),
        "participants": participants,
    }


def _topic_in(topic: dict, text: str) -> bool:
    name = re.sub(r"\(.*?\)", "", topic["name"]).strip().lower()
    words = [
        w for w in re.findall(r"[\w’'-]+", name) if len(w) > 3 and w not in {"with", "from", "and", "the"}
    ]
    low = text.lower()
    if name and name in low:
        return True
    return bool(words) and all(re.search(r"\b" + re.escape(w[:5]), low) for w in words) and len(words) <= 3


def _topics(directory: Directory, text: str) -> list[dict]:
    return [t for t in directory.topics if _topic_in(t, text)]
