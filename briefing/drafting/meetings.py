"""Meetings an article reports: who met whom, where, of what kind, and when.

One sentence at a time (quotations masked out): a contact verb or noun ("met", "held talks with",
"received", "hosted", "a telephone call", "a joint news conference", "a working dinner") with the
officials chained to it, unless the words around it make it future or planned. "Joined at the talks
by …" adds people to the meeting before; "the two ministers", "both ministers" and "the two" stand
for people already named. Dates come from ``briefing.drafting.dates``; anchored ones ("the evening
before", "later on Thursday", "after the talks") take the main meeting's date.
"""

import bisect
import datetime
import re
from dataclasses import dataclass, field

from briefing.drafting.attribution import sentence_end
from briefing.drafting.dates import DateFinding, find_date, shift, years_printed
from briefing.drafting.directory import Person
from briefing.drafting.people import Mention, stem
from briefing.drafting.text import dateline_offset

_TRIGGERS = [
    ("call", re.compile(r"\b(?:telephone|phone|video)\s+call\b|\b(?:spoke|spoken|speaking|talked)\s+(?:by|on\s+the)\s+(?:tele)?phone\b|\bby\s+video\s*link\b|\bphoned\b")),
    ("press_conference", re.compile(r"\b(?:joint\s+)?(?:news|press)\s+conference\b", re.IGNORECASE)),
    ("other", re.compile(r"\breception\b|\bhand(?:ed)?\s+over\b|\braised\b.{0,60}?\bwith\b|\bvisit\s+to\b")),
    ("meeting", re.compile(
        r"\bmet\b|\bheld\s+talks\b|\btalks\s+with\b|\breceived\b|\bhosted\b|\bworking\s+(?:dinner|lunch|breakfast)\b|\b(?:dined|lunched|breakfasted)\s+with\b|\bsat\s+down\s+with\b|\bmeeting\s+with\b|\btalks\s+between\b"
        r"|\bwelcomed\b(?=\s+(?:the\s+)?[A-Z])"
        r"|\baudience\b|^\s*Meeting\b|\bagreed\b|\bvisited\b"
        r"|\breached\s+(?:an?\s+)?(?:agreement|deal|accord)\b|\bstruck\s+an?\s+(?:agreement|deal)\b"
    )),
]  # fmt: skip
_FUTURE = re.compile(
    r"\b(?:will|shall|is\s+due\s+to|are\s+due\s+to|expected|expects?\s+to|plans?\s+to|planned|is\s+to|are\s+to|"
    r"next\s+(?:week|month|year)|upcoming|to\s+be\s+held|would|tomorrow|ahead\s+of)\b",
    re.IGNORECASE,
)
# Agreeing is a contact only between two officials named with it ("A and B reached agreement").
_AGREEMENT = re.compile(r"agreed|reached|struck")
# "X arrived in Y on 11 September for two days of talks with Z": X, the traveller, is in the talks.
_ARRIVAL = re.compile(
    r"\b(?:arrived|travelled|traveled|flew|came)\b[^;:]{0,80}?\bfor\b[^;:]{0,40}?\b(?:talks|a\s+meeting|meetings)\s+with\b"
)
_GROUP = re.compile(
    r"\b(?:[Tt]he|[Bb]oth)\s+(?:two\s+)?(?:ministers|leaders|delegations|men|women|presidents|officials)\b"
    r"|\b[Tt]he\s+two\b|\b[Tt]hey\b"
)
_PRINCIPAL_GROUP = re.compile(r"\b(?:ministers|leaders|presidents)\b")
_JOINED = re.compile(r"\b(?:were|was)\s+joined\b")
_PARTIAL = re.compile(r"\b(?:including|among\s+them|among\s+others|members\s+of|crews\s+and|such\s+as)\b")
_VENUE_NOUN = (
    r"(?:(?:air|naval|military|army)\s+)?(?:base|headquarters|residence|offices?|embassy|compound|airport|"
    r"airfield|barracks|palace|building|complex|centre|center|hall|castle|house|ministry)\b"
)
# The venue is the whole noun phrase: "the Castel Brun air base", "the Council’s headquarters".
_LOCATION = re.compile(
    r"\b(?:at|visited|(?<=welcomed\s)[^.,;]{0,60}?\bto(?=\s+the\s+[A-Z]\w+\s+(?:Palace|House|Hall|Residence)\b))\s+(?P<the>the\s+)?(?P<name>(?:[A-Z][\w’'-]+)(?:\s+(?:of\s+the|of|[A-Z][\w’'-]+))*)"
    rf"(?P<noun>\s+{_VENUE_NOUN})?"
)
_CITY = re.compile(r"\bin\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")
_GAP_WORDS = 6


@dataclass
class DraftMeeting:
    """A meeting being drafted."""

    kind: str
    start: int
    participants: list[Person] = field(default_factory=list)
    principals: list[Person] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    date_as_reported: str = ""
    inferred: set[str] = field(default_factory=set)
    location: str = ""
    city: str = ""
    complete: bool = True
    notes: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)


def find_meetings(
    body: str,
    masked: str,
    mentions: list[Mention],
    published_on: datetime.date | None,
    skipped: list[str] | None = None,
) -> list[DraftMeeting]:
    """The meetings the body reports, merged where two sentences report the same one.

    Sentences whose contact word is future or planned are appended to ``skipped``.
    """
    skipped = [] if skipped is None else skipped
    mentions = _Indexed(mentions)
    years = years_printed(body)
    dateline = _dateline_city(body)
    meetings: list[DraftMeeting] = []
    main: DraftMeeting | None = None
    pending: tuple[DateFinding | None, str, int] | None = None
    offset = 0
    for line in masked.split("\n"):
        position = offset
        first_paragraph = offset == _first_paragraph_start(masked)
        while position < offset + len(line):
            end = sentence_end(masked, position, offset + len(line))
            sentence = masked[position:end]
            if sentence.strip():
                found = _sentence_meeting(
                    sentence, position, mentions, meetings, main, published_on, years, skipped
                )
                if found == "joined":
                    pass
                elif isinstance(found, tuple):
                    near = found[1]
                    pending = (
                        find_date(sentence, position, published_on, years, near),
                        _city(sentence),
                        position,
                    )
                    group = _group_meeting(masked, sentence, end, mentions, pending)
                    if group is not None:
                        if not group.city and first_paragraph:
                            group.city = dateline
                        if _merge(meetings, group) is None:
                            meetings.append(group)
                            main = main or group
                elif found is not None:
                    if pending is not None and position - pending[2] < 400:
                        if found.date is None and not found.date_as_reported and pending[0] is not None:
                            _set_date(found, pending[0], main)
                        found.city = found.city or pending[1]
                        pending = None
                    if not found.city and first_paragraph and found.kind != "call":
                        found.city = dateline
                    merged = _merge(meetings, found)
                    if merged is None:
                        meetings.append(found)
                        if main is None and found.kind != "press_conference":
                            main = found
            position = end + 1
        offset += len(line) + 1
    return meetings


_GROUP_NOUN = re.compile(r"\b(minister|leader|president|envoy|chief|secretar(?:y|ie))s\b", re.IGNORECASE)


def _group_meeting(
    masked: str, sentence: str, end: int, mentions: list[Mention], frame
) -> DraftMeeting | None:
    """ "Defence ministers from A and B met in X on Wednesday": the two or more officials with that
    title named in the next two paragraphs are the participants."""
    noun = _GROUP_NOUN.search(sentence)
    if noun is None:
        return None
    head = noun.group(1).lower().replace("secretarie", "secretary")
    limit, paragraphs = end, 0
    while limit < len(masked) and paragraphs < 3:
        nxt = masked.find("\n", limit + 1)
        limit = len(masked) if nxt == -1 else nxt
        if masked[limit - 1 : limit] != "\n":
            paragraphs += 1
    people: list[Person] = []
    roles = {}
    for m in mentions:
        if end < m.start < limit and m.person is not None and m.person not in people:
            titles = " ".join(m.person.article_titles).lower()
            if head in titles:
                people.append(m.person)
                roles[m.person.slug] = m.title or (
                    m.person.article_titles[0] if m.person.article_titles else ""
                )
    if len(people) < 2:
        return None
    finding, city, position = frame
    meeting = DraftMeeting(
        kind="bilateral_meeting", start=position, participants=people, principals=list(people)
    )
    meeting.roles = {k: v for k, v in roles.items() if v}
    if finding is not None:
        _set_date(meeting, finding, None)
    meeting.city = city
    meeting.kind = _kind(meeting, sentence)
    return meeting


def _first_paragraph_start(masked: str) -> int:
    return len(masked) - len(masked.lstrip())


def _dateline_city(body: str) -> str:
    m = re.compile(r"\s*([A-Z][A-Z .’'-]{2,}?)\s*(?:,|—|–|\s-\s)").match(body, dateline_offset(body))
    if not m or not m.group(1).replace(" ", "").isupper():
        return ""
    return " ".join(w.capitalize() for w in m.group(1).split())


def _city(sentence: str) -> str:
    for m in _CITY.finditer(sentence):
        word = m.group(1)
        if word.split()[0].lower() in {
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december", "the",
        }:  # fmt: skip
            continue
        return word
    return ""


class _Indexed(list):
    """Mentions in body order with their starts, for bisecting a sentence's share."""

    def __init__(self, mentions):
        super().__init__(mentions)
        self.starts = [m.start for m in mentions]


def _sentence_meeting(sentence, position, mentions, meetings, main, published_on, years, skipped):
    starts = [m.start for m in mentions] if not isinstance(mentions, _Indexed) else mentions.starts
    low, high = bisect.bisect_left(starts, position), bisect.bisect_left(starts, position + len(sentence))
    in_sentence = [m for m in mentions[low:high] if m.person is not None]
    if _JOINED.search(sentence):
        if meetings:
            named = {m.person.slug for m in in_sentence}
            sharing = [mt for mt in meetings if named & {p.slug for p in mt.principals}]
            target = sharing[-1] if sharing else (main or meetings[-1])
            for m in in_sentence:
                _add(target, m)
            if _PARTIAL.search(sentence):
                target.complete = False
        return "joined"
    kind, triggers = None, []
    for name, pattern in _TRIGGERS:
        for t in pattern.finditer(sentence):
            window = sentence[: t.start()][-60:] + sentence[t.start() : t.end() + 15]
            if _FUTURE.search(window):
                skipped.append(sentence.strip())
                continue
            triggers.append(t)
            kind = kind or name
    if not triggers:
        return None
    chained: list[Mention] = []
    for t in triggers:
        for m in _chain(sentence, position, t, in_sentence):
            if m not in chained:
                chained.append(m)
    chained.sort(key=lambda m: m.start)
    group = _GROUP.search(sentence)
    people = []
    for m in chained:
        if m.person not in people:
            people.append(m.person)
    if group is not None:
        extra = _group_people(group.group(), position + group.start(), mentions, main, people)
        people += [p for p in extra if p not in people]
    arrival = _ARRIVAL.search(sentence)
    if arrival is not None:
        traveller = next(
            (
                m
                for m in in_sentence
                if m.start < position + arrival.start()
                and sentence[m.end - position : m.end - position + 2] not in ("’s", "'s")
            ),
            None,
        )
        if traveller is not None and traveller.person not in people:
            chained.insert(0, traveller)
            people.insert(0, traveller.person)
    if not people:
        if all(_AGREEMENT.match(t.group()) for t in triggers):
            return None
        return ("frame", triggers[0].start())
    if (
        kind == "meeting"
        and any(_AGREEMENT.match(t.group()) for t in triggers)
        and len(triggers) == 1
        and len(people) < 2
    ):
        return None
    if len(people) < 2 and kind not in ("press_conference",):
        return None
    meeting = DraftMeeting(kind=kind, start=position + triggers[0].start())
    for m in chained:
        _add(meeting, m)
    for p in people:
        if p not in meeting.participants:
            meeting.participants.append(p)
    meeting.principals = list(meeting.participants)
    joint = kind == "press_conference" and re.search(r"\bjoint\b", sentence, re.IGNORECASE)
    if joint and main is not None and any(p in main.principals for p in meeting.participants):
        for p in main.principals:
            if p not in meeting.participants:
                meeting.participants.append(p)
    if _PARTIAL.search(sentence):
        meeting.complete = False
    finding = find_date(sentence, position, published_on, years, triggers[0].start())
    if finding is not None:
        _set_date(meeting, finding, main)
    loc = _LOCATION.search(sentence)
    if loc and not any(
        position + loc.start("name") <= m.start < position + loc.end("name") for m in mentions
    ):
        words = loc.group("name").split()
        possessive = re.search(r"[’']s$", loc.group("name"))
        if words[0].lower() not in {"the", "a"} and not re.match(
            r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)", words[0]
        ):
            if possessive and loc.group("noun"):
                meeting.location = (loc.group("the") or "") + loc.group("name") + loc.group("noun")
            elif not possessive:
                meeting.location = loc.group("name") + (loc.group("noun") or "")
    meeting.city = _city(sentence) if kind != "call" else ""
    if finding is not None and finding.kind == "same_day" and main is not None and not meeting.city:
        meeting.city = main.city
    meeting.kind = _kind(meeting, sentence)
    meeting.sentences.append((position, position + len(sentence)))
    return meeting


def _chain(sentence: str, position: int, trigger, in_sentence: list[Mention]) -> list[Mention]:
    """The mentions linked to a trigger by only a few words at a time, on either side."""
    t_start, t_end = position + trigger.start(), position + trigger.end()
    chosen = []
    edge = t_start
    # "Kowal’s foreign minister, Piotr Zielin, sat down with …": the possessor is not a participant.
    in_sentence = [
        m for m in in_sentence if sentence[m.end - position : m.end - position + 2] not in ("’s", "'s")
    ]
    for m in sorted((m for m in in_sentence if m.end <= t_start), key=lambda m: -m.start):
        gap = sentence[m.end - position : edge - position]
        if len(gap.split()) > _GAP_WORDS or re.search(r"[;:]", gap):
            break
        chosen.append(m)
        edge = m.start
    edge = t_end
    for m in sorted((m for m in in_sentence if m.start >= t_end), key=lambda m: m.start):
        gap = sentence[edge - position : m.start - position]
        if len(gap.split()) > _GAP_WORDS or re.search(
            r"[;:]|,\s+(?:who|which|where|when|since|succeeding)\b", gap
        ):
            break
        chosen.append(m)
        edge = m.end
    return chosen


def _group_people(words: str, at: int, mentions: list[Mention], main, named: list[Person]) -> list[Person]:
    if _PRINCIPAL_GROUP.search(words) and main is not None:
        return [p for p in main.principals if p not in named]
    recent: list[Person] = []
    for m in reversed(mentions):
        if m.start < at and m.person is not None and m.person not in recent:
            recent.append(m.person)
        if len(recent) == 2:
            break
    return recent


def _add(meeting: DraftMeeting, mention: Mention) -> None:
    if mention.person not in meeting.participants:
        meeting.participants.append(mention.person)
    if mention.title and mention.person.slug not in meeting.roles:
        meeting.roles[mention.person.slug] = mention.title


def _set_date(meeting: DraftMeeting, finding: DateFinding, main: DraftMeeting | None) -> None:
    meeting.date_as_reported = finding.text
    meeting.notes += finding.notes
    if finding.kind in ("day_before", "same_day"):
        anchor = main.date if main is not None else None
        meeting.date = shift(anchor, -1 if finding.kind == "day_before" else 0)
        if finding.kind == "same_day" and finding.weekday and meeting.date:
            weekday = datetime.date.fromisoformat(meeting.date).strftime("%A")
            if weekday != finding.weekday:
                meeting.notes.append(
                    f"“{finding.text}” does not match {meeting.date}, a {weekday}; date left unknown."
                )
                meeting.date = None
        if meeting.date:
            meeting.inferred.add("date")
        return
    meeting.date = finding.value
    if finding.inferred and finding.value:
        meeting.inferred.add("date")


def _kind(meeting: DraftMeeting, sentence: str) -> str:
    """Call, press conference and contact come from the words; otherwise the parties decide."""
    if meeting.kind in ("call", "press_conference", "other"):
        return meeting.kind
    # Parties: organizations where known, else the country words of the mentions; people with
    # neither are not counted as parties of their own.
    parties = {
        stem(p.organization.split("-")[-1])
        if p.organization
        else (min(p.qualifiers) if p.qualifiers else None)
        for p in meeting.participants
    }
    parties.discard(None)
    return "multilateral_meeting" if len(parties) >= 3 else "bilateral_meeting"


def _merge(meetings: list[DraftMeeting], new: DraftMeeting) -> DraftMeeting | None:
    for old in meetings:
        if old.kind != new.kind and not (old.kind.endswith("meeting") and new.kind.endswith("meeting")):
            continue
        a, b = set(p.slug for p in old.participants), set(p.slug for p in new.participants)
        if not (a <= b or b <= a):
            continue
        if old.date and new.date and old.date != new.date:
            continue
        if old.kind == "press_conference" or a == b or (old.date and old.date == new.date):
            for p in new.participants:
                if p not in old.participants:
                    old.participants.append(p)
            for k, v in new.roles.items():
                old.roles.setdefault(k, v)
            if new.date and not old.date:
                old.date, old.inferred = new.date, old.inferred | new.inferred
            if len(new.date_as_reported) > len(old.date_as_reported) and (
                new.date == old.date or not old.date_as_reported
            ):
                old.date_as_reported = new.date_as_reported
                if "date" not in new.inferred:
                    old.inferred.discard("date")
            old.location = old.location or new.location
            old.city = old.city or new.city
            old.complete = old.complete and new.complete
            old.notes += new.notes
            old.sentences += new.sentences
            return old
    return None


__all__ = ["DraftMeeting", "find_meetings", "stem"]
