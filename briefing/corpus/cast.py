"""The cast and the stories of a synthetic corpus, as plain data (no models).

``Cast`` holds the organizations, officials and topics; it plans meetings and the articles
that report them, drawing officials and topics with Zipf-skewed popularity (rank r has weight
1/r, so ``official-0001`` and ``topic-001`` are the most popular). The corpus writer turns these
specs into rows and ``bench/import_speed.py`` into article fixtures, so both describe the
same world.
"""

import datetime
import itertools
import math
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing.corpus.text import (
    Remark,
    compose_body,
    country_name,
    lower_first,
    meeting_intro,
    person_name,
    sentence,
    statement_text,
)
from briefing.corpus.words import (
    BODIES,
    CITIES,
    DEPARTMENT_AREAS,
    DEPARTMENT_RANKS,
    GOVERNMENT_RANKS,
    INTERGOVERNMENTAL_RANKS,
    PUBLISHERS,
    PURPOSES,
    REGIONS,
    TOPIC_AREAS,
    TOPIC_ASPECTS,
    TOPIC_ROOTS,
    VENUES,
)

FIRST_YEAR = 2010
# Cumulative weights for 2010…2025: coverage grows year on year.
YEAR_WEIGHTS = list(itertools.accumulate(range(1, 17)))
MEETING_KINDS = (
    ("bilateral_meeting", 35),
    ("multilateral_meeting", 20),
    ("press_conference", 15),
    ("summit", 5),
    ("call", 20),
    ("other", 5),
)
PARTICIPANTS = (3, 6)
TOPICS_PER_MEETING = (2, 4)
QUOTE_SHARE = 0.7
STATEMENTS_AT_A_MEETING = 0.9


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


def _unique(seen: set[str], make: Callable[[], str]) -> str:
    name = make()
    attempt = 1
    while name in seen:
        attempt += 1
        # Small vocabularies run out of combinations: number the name after 20 tries.
        name = make() if attempt <= 20 else f"{make()} {attempt}"
    seen.add(name)
    return name


@dataclass(frozen=True)
class MeetingSpec:
    """A meeting, its participants as ``(official index, role at the time)`` and topic indexes."""

    slug: str
    title: str
    date: datetime.date
    kind: str
    location: str
    city: str
    summary: str
    participants: tuple[tuple[int, str], ...]
    topics: tuple[int, ...]


@dataclass(frozen=True)
class StatementSpec:
    """A statement: speaker index, index of its meeting in the article (or None), body span."""

    speaker: int
    meeting: int | None
    kind: str
    text: str
    date: datetime.date | None
    topics: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True)
class ArticleSpec:
    """An article, the meetings it reports, and its statements in body order."""

    slug: str
    title: str
    publisher: str
    url: str
    published_on: datetime.date
    body: str
    meetings: tuple[MeetingSpec, ...]
    statements: tuple[StatementSpec, ...]


class Cast:
    """The organizations, officials and topics of a corpus; plans meetings and articles."""

    def __init__(self, rng: random.Random, *, organizations: int, officials: int, topics: int):
        self.organizations = build_organizations(rng, organizations)
        self.officials = build_officials(rng, officials, self.organizations)
        self.topics = build_topics(rng, topics)
        self._official_zipf = Zipf(len(self.officials))
        self._topic_zipf = Zipf(len(self.topics))
        self._city_zipf = Zipf(len(CITIES))
        self._kinds = [kind for kind, _ in MEETING_KINDS]
        self._kind_weights = list(itertools.accumulate(weight for _, weight in MEETING_KINDS))

    def meeting(self, rng: random.Random, number: int, day: datetime.date) -> MeetingSpec:
        """Meeting ``meeting-<number>`` on ``day``: 3–6 participants and 2–4 topics, by popularity."""
        kind = rng.choices(self._kinds, cum_weights=self._kind_weights)[0]
        people = self._official_zipf.distinct(rng, rng.randint(*PARTICIPANTS))
        topics = self._topic_zipf.distinct(rng, rng.randint(*TOPICS_PER_MEETING))
        city = "" if kind == "call" else CITIES[self._city_zipf.one(rng)]
        location = "" if kind == "call" else rng.choice(VENUES)
        a, b = (self.officials[i].name for i in people[:2])
        topic = self.topics[topics[0]].name
        title = {
            "bilateral_meeting": f"{a} meets {b}",
            "multilateral_meeting": f"Meeting of {a}, {b} and others on {topic}",
            "press_conference": f"Joint press conference by {a} and {b}",
            "summit": f"{city} summit on {topic}",
            "call": f"Call between {a} and {b}",
            "other": f"{a} and {b} on {topic}",
        }[kind]
        return MeetingSpec(
            slug=_slug("meeting", number, 6),
            title=title[:300],
            date=day,
            kind=kind,
            location=location,
            city=city,
            summary=f"{a} and {b} discussed {lower_first(topic)}. {sentence(rng, first_person=False)}",
            participants=tuple((i, self.officials[i].role_on(day)) for i in people),
            topics=tuple(topics),
        )

    def article(
        self, rng: random.Random, number: int, meetings: Sequence[MeetingSpec], n_statements: int
    ) -> ArticleSpec:
        """Article ``article-<number>`` reporting ``meetings``, quoting ``n_statements`` statements.

        Most statements are said at one of the meetings by one of its participants; the rest
        come from anyone, in a closing section. Statements are numbered in body order.
        """
        published_on = max(m.date for m in meetings) + datetime.timedelta(days=rng.randint(0, 3))
        slug = _slug("article", number, 5)
        title = (
            meetings[0].title
            if len(meetings) == 1
            else f"{meetings[0].title}, and {len(meetings) - 1} more meetings"
        )
        # One draft per section: a meeting's statements, then those said elsewhere.
        drafts: list[list[tuple]] = [[] for _ in range(len(meetings) + 1)]
        undated = rng.random() < 0.4
        for _ in range(n_statements):
            kind = "quote" if rng.random() < QUOTE_SHARE else "paraphrase"
            if rng.random() < STATEMENTS_AT_A_MEETING:
                at = rng.randrange(len(meetings))
                meeting = meetings[at]
                speaker = rng.choice(meeting.participants)[0]
                topics = rng.sample(meeting.topics, rng.randint(0, 2))
                drafts[at].append((speaker, at, kind, statement_text(rng, kind), meeting.date, topics))
            else:
                speaker = self._official_zipf.one(rng)
                topics = self._topic_zipf.distinct(rng, rng.randint(0, 1))
                date = None if undated else published_on
                drafts[-1].append((speaker, None, kind, statement_text(rng, kind), date, topics))
        intros = [self._intro(rng, m) for m in meetings]
        intros.append(f"Separately, officials spoke about other matters. {sentence(rng, first_person=False)}")
        # Every meeting gets its paragraph, quoted or not; the closing section only when used.
        sections = [
            (intro, [Remark(self.officials[d[0]].name, d[2], d[3]) for d in section])
            for i, (intro, section) in enumerate(zip(intros, drafts, strict=True))
            if section or i < len(meetings)
        ]
        body, spans = compose_body(rng, headline=title[:300], sections=sections)
        statements = tuple(
            StatementSpec(speaker, at, kind, text, date, tuple(topics), start, end)
            for (speaker, at, kind, text, date, topics), (start, end) in zip(
                itertools.chain.from_iterable(drafts), spans, strict=True
            )
        )
        return ArticleSpec(
            slug=slug,
            title=title[:300],
            publisher=rng.choice(PUBLISHERS),
            url=f"https://news.example.org/{published_on.year}/{slug}",
            published_on=published_on,
            body=body,
            meetings=tuple(meetings),
            statements=statements,
        )

    def _intro(self, rng: random.Random, meeting: MeetingSpec) -> str:
        names = [self.officials[i].name for i, _ in meeting.participants]
        topics = [self.topics[t].name for t in meeting.topics]
        return meeting_intro(rng, day=meeting.date, city=meeting.city, names=names, topics=topics)
