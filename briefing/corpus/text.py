"""Plausible synthetic text and the cast it is about: names, sentences, article bodies.

Everything is drawn from a ``random.Random`` passed in, so a seed always gives the same text.
The builders return plain data (no models): the corpus generator turns it into rows, and
``bench/import_speed.py`` into article fixtures. ``compose_body`` is where the verbatim rule is
kept by construction: it returns each statement's span as it assembles the body.
"""

import datetime
import itertools
import math
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.corpus.words import (
    ATTRIBUTIONS,
    BODIES,
    COUNTRY_ENDINGS,
    DEPARTMENT_AREAS,
    DEPARTMENT_RANKS,
    FIRST_NAMES,
    FIRST_PERSON,
    GOVERNMENT_RANKS,
    INTERGOVERNMENTAL_RANKS,
    LAST_NAMES,
    OBJECTS,
    OPENERS,
    PURPOSES,
    REGIONS,
    SYLLABLES,
    TAILS,
    THIRD_PERSON,
    TOPIC_AREAS,
    TOPIC_ASPECTS,
    TOPIC_ROOTS,
    VERBS,
)

STATEMENT_MIN, STATEMENT_MAX = 60, 600
FIRST_YEAR = 2010
# Cumulative weights for 2010…2025: coverage grows year on year.
YEAR_WEIGHTS = list(itertools.accumulate(range(1, 17)))


@dataclass(frozen=True)
class OrganizationSpec:
    """An organization to create: fixture fields plus the titles its officials can hold."""

    slug: str
    name: str
    abbreviation: str
    kind: str
    parent: str | None
    titles: tuple[str, ...]


@dataclass(frozen=True)
class OfficialSpec:
    """An official to create; ``previous_title`` was held until ``title_since``."""

    slug: str
    name: str
    title: str
    organization: str
    previous_title: str = ""
    title_since: datetime.date | None = None

    def role_on(self, day: datetime.date) -> str:
        """The title held on ``day``: the role a participation records."""
        if self.title_since is not None and day < self.title_since:
            return self.previous_title
        return self.title


@dataclass(frozen=True)
class TopicSpec:
    """A topic to create; ``parent`` is the slug of a topic listed before it."""

    slug: str
    name: str
    description: str
    parent: str | None


@dataclass(frozen=True)
class Remark:
    """A statement to place in an article body."""

    speaker_name: str
    kind: str
    text: str


class Zipf:
    """Draws indexes ``0..n-1`` with weight ``1/rank``: index 0 is the most popular."""

    def __init__(self, n: int):
        self.n = n
        self.cum_weights = list(itertools.accumulate(1 / rank for rank in range(1, n + 1)))

    def one(self, rng: random.Random) -> int:
        """One index."""
        return bisect(self.cum_weights, rng.random() * self.cum_weights[-1])

    def distinct(self, rng: random.Random, k: int) -> list[int]:
        """``k`` different indexes (at most ``n``), in the order drawn."""
        chosen: dict[int, None] = {}
        while len(chosen) < min(k, self.n):
            chosen[self.one(rng)] = None
        return list(chosen)


def split_evenly(rng: random.Random, total: int, parts: int, spread: float = 0.5) -> list[int]:
    """Split ``total`` into ``parts`` positive sizes that vary by about ±``spread`` of the mean."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + math.floor(w * scale) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % parts] += 1
    return sizes


def person_name(rng: random.Random) -> str:
    """A full name, sometimes with a middle initial."""
    middle = f" {rng.choice(FIRST_NAMES)[0]}." if rng.random() < 0.2 else ""
    return f"{rng.choice(FIRST_NAMES)}{middle} {rng.choice(LAST_NAMES)}"


def country_name(rng: random.Random) -> str:
    """An invented country name such as `Norvania`."""
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2)))
    return (stem + rng.choice(COUNTRY_ENDINGS)).capitalize()


def sentence(rng: random.Random, *, first_person: bool = True) -> str:
    """One sentence of diplomatic prose (40–150 characters)."""
    subject = rng.choice(FIRST_PERSON if first_person else THIRD_PERSON)
    opener = rng.choice(OPENERS)
    if opener and subject != "I":
        subject = lower_first(subject)
    verb = rng.choice(VERBS)
    if subject == "I":
        verb = verb.replace("have ", "").replace("are ", "am ")
    text = f"{opener}{subject} {verb} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
    return text[0].upper() + text[1:]


def statement_text(rng: random.Random, kind: str = "quote") -> str:
    """A statement's text: whole sentences, 60–600 characters, most around 200."""
    target = min(STATEMENT_MAX, max(STATEMENT_MIN, int(rng.lognormvariate(math.log(200), 0.55))))
    text = sentence(rng, first_person=kind == "quote")
    while len(text) < target:
        longer = f"{text} {sentence(rng, first_person=kind == 'quote')}"
        if len(longer) > STATEMENT_MAX:
            break
        text = longer
    # Reported speech continues an attribution ("X said that …").
    return lower_first(text) if kind == "paraphrase" else text


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, to continue a sentence."""
    return text[:1].lower() + text[1:]


def meeting_intro(
    rng: random.Random, *, day: datetime.date, city: str, names: Sequence[str], topics: Sequence[str]
) -> str:
    """The paragraph that opens an article's section on one meeting."""
    people = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    where = f" in {city}" if city else " by phone"
    about = " and ".join(lower_first(t) for t in topics[:2]) or "current affairs"
    return f"On {day.day} {day:%B %Y}, {people} met{where} to discuss {about}. {sentence(rng, first_person=False)}"


def compose_body(
    rng: random.Random, *, headline: str, sections: Sequence[tuple[str, Sequence[Remark]]]
) -> tuple[str, list[tuple[int, int]]]:
    """Assemble a body from a headline and ``(intro, remarks)`` sections.

    Returns the body and the ``(start, end)`` span of every remark's text in it, in order, so
    ``body[start:end] == remark.text`` holds by construction.
    """
    parts: list[str] = []
    length = 0
    spans: list[tuple[int, int]] = []

    def put(*pieces: str) -> None:
        nonlocal length
        parts.extend(pieces)
        length += sum(len(p) for p in pieces)

    put(headline, "\n\n", sentence(rng, first_person=False), "\n\n")
    for intro, remarks in sections:
        if intro:
            put(intro, "\n\n")
        for remark in remarks:
            verb = rng.choice(ATTRIBUTIONS)
            if remark.kind == "quote":
                put("“")
                spans.append((length, length + len(remark.text)))
                put(remark.text, f"” {verb} {remark.speaker_name}.\n\n")
            else:
                put(f"{remark.speaker_name} {verb} that ")
                spans.append((length, length + len(remark.text)))
                put(remark.text, "\n\n")
            if rng.random() < 0.2:
                put(sentence(rng, first_person=False), "\n\n")
    return "".join(parts).rstrip("\n"), spans


def build_organizations(rng: random.Random, count: int) -> list[OrganizationSpec]:
    """``count`` organizations: a tenth intergovernmental, governments, and their departments."""
    n_intergovernmental = max(1, count // 10)
    n_governments = max(1, (count - n_intergovernmental) // 3)
    organizations = []
    names: set[str] = set()
    for i in range(n_intergovernmental):
        name = _unique(names, lambda: f"{rng.choice(REGIONS)} {rng.choice(PURPOSES)} {rng.choice(BODIES)}")
        abbreviation = "".join(word[0] for word in name.split())
        titles = tuple(f"{rank} of the {abbreviation}" for rank in INTERGOVERNMENTAL_RANKS)
        organizations.append(
            OrganizationSpec(
                _slug("organization", i + 1, 2), name, abbreviation, "intergovernmental", None, titles
            )
        )
    countries = []
    for _ in range(n_governments):
        country = _unique(names, lambda: country_name(rng))
        countries.append((country, _slug("organization", len(organizations) + 1, 2)))
        titles = tuple(f"{rank} of {country}" for rank in GOVERNMENT_RANKS)
        organizations.append(
            OrganizationSpec(countries[-1][1], f"Government of {country}", "", "government", None, titles)
        )
    for i in range(count - len(organizations)):
        country, parent = countries[i % n_governments]
        area = DEPARTMENT_AREAS[(i // n_governments) % len(DEPARTMENT_AREAS)]
        name = _unique(names, lambda area=area, country=country: f"Ministry of {area} of {country}")
        titles = tuple(f"{rank} of {area} of {country}" for rank in DEPARTMENT_RANKS)
        slug = _slug("organization", len(organizations) + 1, 2)
        organizations.append(OrganizationSpec(slug, name, "", "department", parent, titles))
    return organizations


def build_officials(
    rng: random.Random, count: int, organizations: Sequence[OrganizationSpec]
) -> list[OfficialSpec]:
    """``count`` officials, ``official-0001`` first; about a third changed title at some point."""
    # Alliances and governments field more officials than any one ministry.
    kind_weight = {"intergovernmental": 3, "government": 2, "department": 1}
    cum_weights = list(itertools.accumulate(kind_weight[o.kind] for o in organizations))
    officials = []
    for number in range(1, count + 1):
        organization = rng.choices(organizations, cum_weights=cum_weights)[0]
        title = rng.choice(organization.titles)
        previous, since = "", None
        if rng.random() < 0.3:
            previous = rng.choice([t for t in organization.titles if t != title])
            since = meeting_day(rng)
        name = person_name(rng)
        officials.append(
            OfficialSpec(_slug("official", number, 4), name, title, organization.slug, previous, since)
        )
    return officials


def build_topics(rng: random.Random, count: int) -> list[TopicSpec]:
    """``count`` topics in three levels (roots first), each listed after its parent."""
    n_roots = max(1, round(count * 0.07))
    n_middle = max(1, round(count * 0.27))
    names: set[str] = set()
    roots = [_unique(names, lambda i=i: _root_topic_name(i)) for i in range(n_roots)]
    levels: list[tuple[str, int | None]] = [(name, None) for name in roots]
    for i in range(n_middle):
        parent = i % n_roots
        levels.append((_unique(names, lambda p=parent: f"{roots[p]} {rng.choice(TOPIC_ASPECTS)}"), parent))
    for _ in range(count - n_roots - n_middle):
        parent = n_roots + rng.randrange(n_middle)
        name = _unique(names, lambda p=parent: f"{levels[p][0]} in {rng.choice(TOPIC_AREAS)}")
        levels.append((name, parent))
    return [
        TopicSpec(
            _slug("topic", i + 1, 3),
            name,
            f"Meetings and statements on {lower_first(name)}.",
            None if parent is None else _slug("topic", parent + 1, 3),
        )
        for i, (name, parent) in enumerate(levels)
    ]


def meeting_day(rng: random.Random) -> datetime.date:
    """A day from 2010 to 2025, recent years more likely (coverage grows over time)."""
    year = FIRST_YEAR + rng.choices(range(len(YEAR_WEIGHTS)), cum_weights=YEAR_WEIGHTS)[0]
    first = datetime.date(year, 1, 1)
    return first + datetime.timedelta(days=rng.randrange((datetime.date(year + 1, 1, 1) - first).days))


def _root_topic_name(i: int) -> str:
    name = TOPIC_ROOTS[i % len(TOPIC_ROOTS)]
    if i < len(TOPIC_ROOTS):
        return name
    other = TOPIC_ROOTS[(i * 7 + i // len(TOPIC_ROOTS)) % len(TOPIC_ROOTS)]
    return f"{name} and {other.lower()}"


def _slug(prefix: str, number: int, width: int) -> str:
    # A minimum width, not a fixed one: `official-0001` stays the same in every corpus size.
    return f"{prefix}-{number:0{width}d}"


def _unique(seen: set[str], make) -> str:
    for attempt in itertools.count(1):
        name = make()
        if attempt > 20:
            name = f"{name} {attempt}"
        if name not in seen:
            seen.add(name)
            return name
    raise AssertionError("unreachable")
