"""Finding the officials an article names: mentions with their title and honorifics, each resolved
to a stored official or to one this draft proposes; and title-only references ("the Secretary
General", "said US Secretary") resolved to the official the article has given that title.
"""

import bisect
import functools
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from briefing.drafting.directory import Directory, Person, core_tokens
from briefing.drafting.lexicon import (
    ABBREVIATIONS,
    CAPITALISED_FUNCTION_WORDS,
    COMPOUND_BEFORE_GENERAL,
    HEAD_TITLE_WORDS,
    HONORIFICS,
    MONTHS,
    NAME_SUFFIXES,
    ORGANISATION_NOUNS,
    PORTFOLIO_WORDS,
    RANK_PREFIXES,
    REPORTING_VERBS,
    TITLE_WORDS,
    WEEKDAYS,
)
from briefing.drafting.text import dateline_offset

_TOKEN = re.compile(r"\(ret\)|[^\W\d_][\w’'.\-]*|\d+|[^\w\s]")
_CONNECTORS = {"of", "for", "to", "in", "the"}
# Lower-case particles inside a surname: Jan de Vries-Mola, Ursula von Arden, Khalid bin Saleh.
PARTICLES = frozenset(
    [
        "de",
        "van",
        "von",
        "der",
        "den",
        "del",
        "della",
        "di",
        "da",
        "du",
        "dos",
        "das",
        "le",
        "la",
        "bin",
        "ibn",
        "ter",
    ]
)
_PREFIXED = re.compile(r"(?:al|el|ad|as|ash|az|ben|bint)-[A-Z][\w’'-]*")


def _particle(toks: list, n: int) -> bool:
    """A surname particle: lower case, standing right before a capitalised word of the name."""
    if toks[n].low not in PARTICLES:
        return False
    k = n + 1
    while k < len(toks) and toks[k].low in PARTICLES:
        k += 1  # "Henrik van der Berg"
    return k < len(toks) and k - n <= 2 and (toks[k].cap or bool(_PREFIXED.fullmatch(toks[k].text)))


_PERSON_CONTEXT = {"met", "received", "hosted", "succeeded", "succeeding", "thanked", "including", "with", "by",
                   "and", "joined", "welcomed", "visited", "called", "told"}  # fmt: skip


@dataclass
class Token:
    text: str
    start: int
    end: int
    possessive: bool = False

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass
class Mention:
    """An appearance of an official in the body."""

    start: int
    end: int
    person: Person | None
    name: str = ""  # as printed
    title: str = ""  # as given
    honorifics: str = ""
    kind: str = "name"  # name | title
    qualifiers: set[str] = field(default_factory=set)
    confidence: float = 0.9


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Words and punctuation with body offsets; a sentence's final period is its own token."""
    out = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start() + offset
        possessive, full_stop = False, None
        if len(word) > 1 and word[0].isalpha():
            if word.endswith(".") and not _abbreviation(word):
                word = word.rstrip(".")
                full_stop = start + len(word)
            for tail in ("’s", "'s"):
                if word.endswith(tail) and len(word) > 2:
                    word, possessive = word[: -len(tail)], True
            word = word.rstrip("’'-")
        if word:
            out.append(Token(word, start, start + len(word), possessive))
        if full_stop is not None:
            # "… Ada Lorne. The Prime Minister said": the period ends the name's run of capitals.
            out.append(Token(".", full_stop, full_stop + 1))
    return out


def _abbreviation(word: str) -> bool:
    bare = word.rstrip(".").lower()
    return bare in ABBREVIATIONS or len(bare) == 1 or "." in bare


def stem(word: str) -> str:
    """A country or organization word reduced for comparison: Valdoran/Valdora, U.S./US."""
    w = word.lower().replace(".", "").replace("’s", "").replace("'s", "")
    for ending in ("ian", "an", "ese", "ish", "n"):
        if len(w) > 6 and w.endswith(ending):
            return w[: -len(ending)][:5]
    return w[:5]


def _title_like(tok: Token) -> bool:
    return tok.low in TITLE_WORDS or tok.low in PORTFOLIO_WORDS


def _name_like(tok: Token, places: set[str]) -> bool:
    t = tok.text
    if not t[:1].isupper() or not t[0].isalpha():
        return False
    if t in NAME_SUFFIXES or re.fullmatch(r"[A-Z]\.", t):
        return True
    if t.isupper() and len(t.replace(".", "")) > 1:
        return False
    low = tok.low
    return not (
        low in TITLE_WORDS or low in PORTFOLIO_WORDS or low in HONORIFICS or low in WEEKDAYS or low in MONTHS
        or low in CAPITALISED_FUNCTION_WORDS or low in ORGANISATION_NOUNS or low in places
    )  # fmt: skip


def _honorific(toks: list[Token], i: int) -> bool:
    low = toks[i].low
    if (
        low in RANK_PREFIXES
        and i + 1 < len(toks)
        and toks[i + 1].low in HONORIFICS | {"commander", "captain"}
    ):
        return True
    if low not in HONORIFICS:
        return False
    return not (low == "general" and i > 0 and toks[i - 1].low in COMPOUND_BEFORE_GENERAL)


def find_places(body: str, directory: Directory) -> set[str]:
    """Lower-case words that name places or bodies here: the dateline, single capitalised words
    after in/to/from, and the words of stored organizations' names."""
    places = set()
    for org in directory.organizations.values():
        places |= {w.lower() for w in re.findall(r"[A-Z][\w’'-]+", org["name"])}
    for m in re.finditer(r"\b(?:in|from|across|between)\s+([A-Z][a-z][\w’'-]*)(?!\s+[A-Z])", body):
        places.add(m.group(1).lower())
    dateline = re.compile(r"\s*([A-Z][A-Z .’'-]+?)\s*(?:,|—|–|-)").match(body, dateline_offset(body))
    if dateline:
        places |= {w.lower() for w in dateline.group(1).split()}
    return places


class MentionFinder:
    """Finds and resolves every mention of an official in a body, outside quoted passages."""

    def __init__(self, body: str, directory: Directory, quoted: list[tuple[int, int]]):
        self.body = body
        self.directory = directory
        self.people: list[Person] = [p for p in directory.people]
        self.new_people: list[Person] = []
        # A stored official's name is a name even where an organization shares the word
        # ("Deputy Foreign Minister Halvard" beside a Government of Halvard).
        known_names = {w.lower() for p in self.people for n in p.names for w in core_tokens(n)}
        self.places = find_places(body, directory) - known_names
        self.quoted = quoted
        self.mentions: list[Mention] = []
        self.mentions_so_far: list[Mention] = []
        self._known: dict[str, set[str]] | None = None

    # -- segments outside quotations ---------------------------------------------------------------

    def _segments(self) -> list[tuple[int, int]]:
        segments, position = [], 0
        for start, end in sorted(self.quoted):
            if start - 1 > position:
                segments.append((position, start - 1))
            position = max(position, end + 1)
        segments.append((position, len(self.body)))
        return segments

    def run(self) -> list[Mention]:
        found: list[Mention] = []
        for start, end in self._segments():
            for line_start, line in _lines(self.body, start, end):
                found += self._named_in(tokens(line, line_start))
        found.sort(key=lambda m: m.start)
        for mention in found:
            self._resolve_named(mention)
        named = [m for m in found if m.person is not None or m.kind == "title"]
        # Bare surnames of the people found, and title-only references, in a second pass.
        covered = [(m.start, m.end) for m in named if m.kind == "name"]
        extra = []
        for start, end in self._segments():
            for line_start, line in _lines(self.body, start, end):
                extra += self._bare_in(tokens(line, line_start), covered)
        mentions = sorted(named + extra, key=lambda m: m.start)
        mentions = _without_overlaps(mentions)
        resolved = []
        for mention in mentions:
            if mention.kind == "title":
                mention.person, mention.confidence = self.resolve_title(
                    mention.title, mention.qualifiers, mention.start, resolved
                )
                if mention.person is None:
                    continue
            resolved.append(mention)
        self.mentions = resolved
        return resolved

    # -- named mentions ------------------------------------------------------------------------------

    def _named_in(self, toks: list[Token]) -> list[Mention]:
        mentions = []
        i = 0
        while i < len(toks):
            if not toks[i].cap:
                i += 1
                continue
            j = i
            while j < len(toks) and (
                toks[j].cap
                or toks[j].text == "(ret)"
                or (j > i and (_particle(toks, j) or _PREFIXED.fullmatch(toks[j].text)))
                or (toks[j].low in _CONNECTORS and j > i and _capital_follows(toks, j))
            ):
                j += 1
                if toks[j - 1].possessive:
                    break
            mention = self._mention_from_run(toks, i, j)
            if mention is not None:
                mentions.append(mention)
            i = max(j, i + 1)
        return mentions

    def _mention_from_run(self, toks: list[Token], i: int, j: int) -> Mention | None:
        # "According to Koval Brenner": the run's opening function words are not part of it.
        while (
            i < j - 1 and toks[i].low in CAPITALISED_FUNCTION_WORDS | _CONNECTORS and not _title_like(toks[i])
        ):
            i += 1
        run = toks[i:j]
        # The last title word, honorific or portfolio word: the name follows it.
        k = None
        for n, tok in enumerate(run):
            if _title_like(tok) or _honorific(run, n):
                k = n
        name_start = (k + 1) if k is not None else 0
        # "Foreign Minister of Valdora Ilse Varga": a complement, then the name.
        if k is not None and name_start < len(run) and run[name_start].low in _CONNECTORS:
            rest = run[name_start:]
            if any(t.low == "the" for t in rest[:2]):
                return self._title_only(toks, i, j)
            names = [n for n, t in enumerate(rest) if _name_like(t, self.places) and n > 0]
            real = [
                n
                for n in names
                if rest[n].text not in NAME_SUFFIXES and not re.fullmatch(r"[A-Z]\.", rest[n].text)
            ]
            if len(real) < 2 or real[-2] < 2:
                return self._title_only(toks, i, j)
            name_start += real[-2]
        name_end = name_start
        while name_end < len(run) and (
            (_name_like(run[name_end], self.places) and run[name_end].low not in _CONNECTORS)
            or (
                name_end > name_start
                and (_particle(run, name_end) or _PREFIXED.fullmatch(run[name_end].text))
            )
        ):
            name_end += 1
            if run[name_end - 1].possessive:
                break
        name_tokens = run[name_start:name_end]
        if name_tokens and name_end < len(run) and run[name_end].low in ORGANISATION_NOUNS:
            return None  # "the White House", "the Amber Hall": a place, not a person
        if name_tokens and name_start == 0 and i > 0 and toks[i - 1].low in {"the", "a", "an"}:
            return None
        if (
            name_tokens
            and name_tokens[-1].possessive
            and name_end == len(run)
            and j < len(toks)
            and (toks[j].cap or _title_like(toks[j]))
        ):
            return None  # "Brannock’s Deputy Foreign Minister": a qualifier, not a name
        real = [
            t
            for t in name_tokens
            if t.text not in NAME_SUFFIXES and not re.fullmatch(r"[A-Z]\.", t.text) and t.low not in PARTICLES
        ]
        if not real:
            return self._title_only(toks, i, j) if k is not None else None
        if len(real) > 3:
            return None
        # Honorifics right before the name; the title before them.
        h = name_start
        while h > 0 and _honorific(run, h - 1):
            h -= 1
        if h > 0 and run[h - 1].text == "(ret)":
            pass
        honorifics = run[h:name_start]
        title_tokens = run[:h]
        lead = 0
        while lead < len(title_tokens) and not (
            _title_like(title_tokens[lead]) or _qualifier(title_tokens[lead])
        ):
            lead += 1
        title_tokens = title_tokens[lead:]
        while title_tokens and title_tokens[0].possessive:
            title_tokens = title_tokens[1:]
        if title_tokens and not any(_title_like(t) for t in title_tokens):
            title_tokens = []
        qualifiers = {stem(t.text) for t in run[:name_start] if _qualifier(t) or t.possessive}
        after_of = False
        for t in run[:h]:
            if t.low == "of":
                after_of = True
            elif after_of and t.cap and not _title_like(t) and t.low not in ORGANISATION_NOUNS:
                qualifiers.add(stem(t.text))
        qualifiers |= self._qualifiers_before(toks, i)
        if name_end + 1 < len(run) and run[name_end].low == "of" and title_tokens:
            # "President Rowena Quill of Belmark": the country after the name qualifies the title.
            qualifiers |= {stem(t.text) for t in run[name_end + 1 :] if t.cap and not _title_like(t)}
        start_tok = title_tokens[0] if title_tokens else (honorifics[0] if honorifics else name_tokens[0])
        if name_tokens[-1].possessive:
            pass
        mention = Mention(
            start=start_tok.start,
            end=name_tokens[-1].end,
            person=None,
            name=self.body[name_tokens[0].start : name_tokens[-1].end],
            title=self.body[title_tokens[0].start : title_tokens[-1].end] if title_tokens else "",
            honorifics=self.body[honorifics[0].start : honorifics[-1].end] if honorifics else "",
            qualifiers=qualifiers,
        )
        if not title_tokens:
            appositive = self._appositive(mention, toks, i, j)
            if not honorifics and not appositive and not self._bare_person(toks, i, j, real):
                return None
        elif (
            not honorifics
            and i > 0
            and toks[i - 1].low == "the"
            and toks[i - 1].end + 1 == start_tok.start
            and lead == 0
        ):
            mention.start = toks[i - 1].start  # "the Minister of Defence, …" starts at "the"
        return mention

    def _qualifiers_before(self, toks: list[Token], i: int) -> set[str]:
        found = set()
        for t in reversed(toks[max(0, i - 3) : i]):
            if not t.text[:1].isalpha():
                break
            if t.possessive or _qualifier(t):
                found.add(stem(t.text))
        return found

    def _appositive(self, mention: Mention, toks: list[Token], i: int, j: int) -> bool:
        """A title set off by a comma before or after the name belongs to the mention."""
        if i >= 2 and toks[i - 1].text == ",":
            k = i - 2
            while (
                k >= 0
                and (
                    toks[k].cap
                    or _title_like(toks[k])
                    or (toks[k].low in _CONNECTORS and k > 0)
                    or toks[k].text == "(ret)"
                )
                and not toks[k].possessive
            ):
                k -= 1
            phrase = toks[k + 1 : i - 1]
            while phrase and (phrase[0].low in _CONNECTORS - {"the"}):
                phrase = phrase[1:]
            if phrase and phrase[0].low in CAPITALISED_FUNCTION_WORDS and phrase[0].low != "the":
                phrase = phrase[1:]
            looks_named = (
                len(phrase) >= 3
                and all(_name_like(t, self.places) for t in phrase[-2:])
                and phrase[-3].low not in _CONNECTORS
            )
            if phrase and any(_title_like(t) for t in phrase) and not looks_named:
                words = [t for t in phrase if t.low != "the"]
                mention.start = phrase[0].start
                mention.title = self.body[words[0].start : words[-1].end]
                if k >= 0 and toks[k].possessive:
                    mention.qualifiers.add(stem(toks[k].text))
                mention.qualifiers |= {stem(t.text) for t in words if _qualifier(t)}
                return True
        if j + 1 < len(toks) and toks[j].text == ",":
            k = j + 1
            if toks[k].low == "the":
                k += 1
            m = k
            while m < len(toks) and (
                toks[m].cap
                or _title_like(toks[m])
                or (toks[m].low in _CONNECTORS and m + 1 < len(toks) and toks[m + 1].cap)
            ):
                m += 1
            phrase = toks[k:m]
            if (phrase and _title_like(phrase[0])) or (
                len(phrase) > 1 and _qualifier(phrase[0]) and _title_like(phrase[1])
            ):
                mention.end = phrase[-1].end
                mention.title = self.body[phrase[0].start : phrase[-1].end]
                mention.qualifiers |= {
                    stem(t.text) for t in phrase if _qualifier(t) or (t.cap and not _title_like(t))
                }
                return True
        return False

    def _bare_person(self, toks: list[Token], i: int, j: int, real: list[Token]) -> bool:
        """A name with no title: known to the database, or two or three words where a person acts."""
        printed = " ".join(t.text for t in real).lower()
        for person in self.people:
            if printed in {" ".join(core_tokens(n)).lower() for n in person.names}:
                return True
        if len(real) < 2:
            return False
        if j < len(toks) and toks[j].low in ORGANISATION_NOUNS:
            return False
        if i > 0 and toks[i - 1].low in {"the", "a", "an"}:
            return False
        before = toks[i - 1].low if i > 0 else ""
        if i > 1 and toks[i - 2].low == "according" and before == "to":
            return True
        after = toks[j].low if j < len(toks) else ""
        after2 = toks[j + 1].low if j + 1 < len(toks) else ""
        if before in TITLE_WORDS and not toks[i - 1].cap:
            return True  # "his Velenese counterpart Mariam al-Hakim", "the minister Ana Roth"
        return (
            before in REPORTING_VERBS or before in _PERSON_CONTEXT or after in REPORTING_VERBS
            or (after == "," and after2 in {"who", "whose"}) or after == "met"
        )  # fmt: skip

    def _title_only(self, toks: list[Token], i: int, j: int) -> Mention | None:
        run = toks[i:j]
        lead = 0
        while lead < len(run) and not (_title_like(run[lead]) or _qualifier(run[lead])):
            lead += 1
        run = run[lead:]
        while run and run[-1].low in _CONNECTORS:
            run = run[:-1]
        if not run or not any(t.low in TITLE_WORDS for t in run):
            return None
        # Only where it refers to someone: after "the", or next to a reporting verb.
        before = toks[i + lead - 1].low if i + lead > 0 else ""
        end_index = i + lead + len(run)
        after = toks[end_index].low if end_index < len(toks) else ""
        if any(t.possessive for t in run[:-1]):
            return None
        k = i + lead - (2 if before == "the" else 1)
        if k >= 1 and toks[k].low == "of" and toks[k - 1].low in ORGANISATION_NOUNS:
            return None  # "Office of the President of Belmark": an institution, not a person
        if not (before == "the" or before in REPORTING_VERBS or after in REPORTING_VERBS or i + lead == 0):
            return None
        if (
            run[-1].low.endswith("s")
            and run[-1].low not in TITLE_WORDS
            and run[-1].low not in PORTFOLIO_WORDS
        ):
            return None
        start = toks[i + lead - 1].start if before == "the" else run[0].start
        return Mention(
            start=start,
            end=run[-1].end,
            person=None,
            title=self.body[run[0].start : run[-1].end],
            kind="title",
            qualifiers={stem(t.text) for t in run if _qualifier(t)}
            | _complement_places(run)
            | self._qualifiers_before(toks, i + lead),
        )

    # -- bare surnames and lower-case titles -------------------------------------------------------

    def _bare_in(self, toks: list[Token], covered: list[tuple[int, int]]) -> list[Mention]:
        found = []
        if self._known is None:
            # Surnames of the people this article names, computed once per body.
            self._known = {}
            for person in self.people + self.new_people:
                if person.stored and not person.printed_names:
                    continue
                for s in person.surnames:
                    self._known.setdefault(s, set()).add(person.slug)
            self._by_slug = {p.slug: p for p in self.people + self.new_people}
            self._covered = sorted(covered)
            self._covered_starts = [s for s, _ in self._covered]
        known, by_slug = self._known, self._by_slug

        def inside(position: int) -> bool:
            k = bisect.bisect_right(self._covered_starts, position) - 1
            return k >= 0 and self._covered[k][0] <= position < self._covered[k][1]

        for n, tok in enumerate(toks):
            if inside(tok.start):
                continue
            text = tok.text
            if text not in known and _PREFIXED.fullmatch(text[:1].lower() + text[1:]):
                text = text[:1].lower() + text[1:]  # "Al-Hakim said" at a sentence's start
            if tok.cap and text in known and len(known[text]) == 1:
                person = by_slug[next(iter(known[text]))]
                first = n
                while first > 0 and toks[first - 1].low in PARTICLES and not inside(toks[first - 1].start):
                    first -= 1  # "de Vries-Mola said": the particle is part of the printed surname
                start = toks[first].start
                found.append(Mention(start, tok.end, person, name=self.body[start : tok.end], confidence=0.9))
            elif tok.low == "the" and n + 1 < len(toks):
                # "the Valdoran minister", "the new minister": a lower-case title after "the".
                m = n + 1
                while (
                    m < len(toks)
                    and m < n + 4
                    and (toks[m].cap or toks[m].low in {"new", "former"})
                    and not _title_like(toks[m])
                ):
                    m += 1
                if m >= len(toks):
                    continue
                # The lower-case title runs over title words ("foreign minister") and an "of X".
                end = m
                while end + 1 < len(toks) and not toks[end + 1].cap and _title_like(toks[end + 1]):
                    end += 1
                if end + 2 < len(toks) and toks[end + 1].low == "of" and toks[end + 2].cap:
                    end += 2
                head = toks[end]
                if (
                    toks[m].low in TITLE_WORDS
                    and not toks[m].cap
                    and (end + 1 >= len(toks) or toks[end + 1].low not in ORGANISATION_NOUNS)
                    and any(t.low in HEAD_TITLE_WORDS for t in toks[m : end + 1])
                    and not inside(toks[m].start)
                ):
                    words = toks[n + 1 : end + 1]
                    words = [t for t in words if t.low not in {"new", "former"}] or [toks[m]]
                    found.append(
                        Mention(
                            toks[n].start,
                            head.end,
                            None,
                            title=self.body[words[0].start : head.end],
                            kind="title",
                            qualifiers={
                                stem(t.text) for t in words if _qualifier(t) or (t.cap and t is words[-1])
                            },
                        )
                    )
        return found

    # -- resolution --------------------------------------------------------------------------------

    def _resolve_named(self, mention: Mention) -> None:
        printed = core_tokens(mention.name)
        if not printed:
            return
        key = " ".join(printed).lower()
        everyone = self.new_people + self.people
        person = None
        for p in everyone:
            if key in {" ".join(core_tokens(n)).lower() for n in p.names}:
                person = p
                break
        if person is None and len(printed) == 1:
            local = [p for p in self.new_people if printed[0] in p.surnames]
            if not local:
                local = [
                    p for p in self.new_people if printed[0] in p.given_names and self._title_fits(p, mention)
                ]
            stored = [p for p in self.people if printed[0] in p.surnames]
            if not local and len(stored) != 1:
                stored = [
                    p for p in self.people if printed[0] in p.given_names and self._title_fits(p, mention)
                ]
            candidates = local or stored
            if len(candidates) == 1:
                person = candidates[0]
        if person is None and len(printed) > 1:
            # Same surname and a given name that does not contradict: the same person (Lloyd Austin III).
            same = [p for p in everyone if printed[-1] in p.surnames and printed[0] in p.given_names]
            if len(same) == 1:
                person = same[0]
        if person is None:
            person = self._propose(mention)
        mention.person = person
        if mention.name and mention.name not in person.printed_names:
            person.printed_names.append(mention.name)
        if mention.title:
            person.article_titles.append(mention.title)
            if "counterpart" in mention.title.lower():
                previous = next(
                    (m.person for m in reversed(self.mentions_so_far) if m.person is not person), None
                )
                if previous is not None:
                    person.article_titles += [
                        t for t in previous.article_titles if "counterpart" not in t.lower()
                    ]
        person.qualifiers |= mention.qualifiers
        if mention.honorifics and mention.honorifics not in person.honorifics:
            person.honorifics.append(mention.honorifics)
        mention.confidence = 0.95 if person.stored else 0.8
        self.mentions_so_far.append(mention)

    def _title_fits(self, person: Person, mention: Mention) -> bool:
        words = _title_words(mention.title)
        return bool(words) and any(
            words <= _title_words(t) for t in person.article_titles + person.stored_titles
        )

    def _propose(self, mention: Mention) -> Person:
        name = " ".join(mention.name.split())
        base = slugify(" ".join(core_tokens(name))) or "official"
        taken = {p.slug for p in self.people + self.new_people} | self.directory.official_slugs
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        person = Person(slug=slug[:100], name=name)
        self.new_people.append(person)
        return person

    def resolve_title(
        self,
        title: str,
        qualifiers: set[str],
        position: int,
        earlier: list[Mention],
        speakers: list[Person] = (),
    ) -> tuple[Person | None, float]:
        """The official the article has given ``title``, judged from mentions before ``position``."""
        fitting = self.title_candidates(title, qualifiers, position, earlier, speakers)
        if not fitting:
            return None, 0.0
        return fitting[0], (0.85 if len(fitting) == 1 else 0.6)

    def title_candidates(
        self,
        title: str,
        qualifiers: set[str],
        position: int,
        earlier: list[Mention],
        speakers: list[Person] = (),
    ) -> list[Person]:
        """Every official the title fits equally well, the likeliest first (the most recent
        speaker, then the most recent mention): one means the title is decisive, several that
        it is not."""
        wanted = _title_words(title)
        if not wanted:
            return []
        seen: dict[str, tuple[Person, int]] = {}
        # Only the recent past can give a title its referent (and a megabyte of text stays fast).
        for m in reversed(earlier):
            if m.start <= position - 20_000:
                break
            if m.start < position and m.person is not None:
                seen.setdefault(m.person.slug, (m.person, m.start))
        if not seen:
            for m in self.mentions_so_far:
                if m.person is not None:
                    seen.setdefault(m.person.slug, (m.person, m.start))
        speaker_rank = {p.slug: i for i, p in enumerate(speakers)}
        ranked = []
        for person, last in seen.values():
            article = any(_title_fits_words(wanted, _title_words(t)) for t in person.article_titles)
            stored = any(_title_fits_words(wanted, _title_words(t)) for t in person.stored_titles)
            if not (article or stored):
                continue
            own = person.qualifiers | _stored_qualifiers(person, self.directory)
            bonus = 0
            if qualifiers:
                if any(_stem_match(q, o) for q in qualifiers for o in own):
                    bonus = 2
                elif own:
                    continue
            ranked.append(((3 if article else 1) + bonus, speaker_rank.get(person.slug, -1), last, person))
        if not ranked:
            return []
        top = max(r[0] for r in ranked)
        return [r[3] for r in sorted((r for r in ranked if r[0] == top), key=lambda r: r[:3], reverse=True)]


def _stored_qualifiers(person: Person, directory: Directory) -> set[str]:
    found = set()
    org = directory.organizations.get(person.organization or "")
    if org:
        found |= {
            stem(w)
            for w in re.findall(r"[A-Z][\w’'-]+", org["name"])
            if w.lower() not in ORGANISATION_NOUNS and w != "Government"
        }
        if org.get("abbreviation"):
            found.add(stem(org["abbreviation"]))
    for label in person.stored_titles:
        found |= {
            stem(w)
            for w in re.findall(r"[A-Z][\w’'.-]+", label)
            if w.lower() not in TITLE_WORDS | PORTFOLIO_WORDS
        }
    return found


# A descriptor that stands for any of several offices: "the Sarnian leader" is its president or
# prime minister, "the premier" its prime minister, "the envoy" an ambassador.
_GENERIC_TITLES = {
    "leader": frozenset(["president", "prime", "premier", "chancellor", "king", "queen", "emir", "leader"]),
    "premier": frozenset(["prime", "premier"]),
    "envoy": frozenset(["ambassador", "envoy", "representative"]),
}


def _title_fits_words(wanted: frozenset[str], held: frozenset[str]) -> bool:
    """Whether a reference's title words fit a title the official holds."""
    if wanted <= held:
        return True
    generic = [w for w in wanted if w in _GENERIC_TITLES and not held & {w}]
    return bool(generic) and all(held & _GENERIC_TITLES[w] for w in generic) and wanted - set(generic) <= held


def _complement_places(run: list[Token]) -> set[str]:
    """The place a title's "of" complement names: "the Foreign Minister of Brannock" → Brannock."""
    found = set()
    for k, tok in enumerate(run):
        after_of = (k and run[k - 1].low == "of") or (
            k > 1 and run[k - 1].low == "the" and run[k - 2].low == "of"
        )
        if after_of and tok.cap and not _title_like(tok) and tok.low not in CAPITALISED_FUNCTION_WORDS:
            found.add(stem(tok.text))
    return found


def _capital_follows(toks: list[Token], j: int) -> bool:
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if nxt is not None and nxt.low == "the":
        nxt = toks[j + 2] if j + 2 < len(toks) else None
    return nxt is not None and nxt.cap


def _stem_match(a: str, b: str) -> bool:
    return a == b or (len(a) >= 4 and len(b) >= 4 and (a.startswith(b) or b.startswith(a)))


def _qualifier(tok: Token) -> bool:
    """A country, organization or demonym word inside a title: US, U.S., NATO, Valdoran."""
    t = tok.text
    if not t[:1].isupper() or _title_like(tok) or tok.low in CAPITALISED_FUNCTION_WORDS:
        return False
    if t.replace(".", "").isupper() and len(t.replace(".", "")) >= 2:
        return True
    return bool(re.search(r"(?:an|ian|ese|ish|i)$", t)) and len(t) > 4


@functools.lru_cache(maxsize=4096)
def _title_words(title: str) -> frozenset[str]:
    words = set()
    for w in re.split(r"[\s\-]+", title.lower()):
        w = w.strip(".,’'")
        if w == "defense":
            w = "defence"
        if w in TITLE_WORDS or w in PORTFOLIO_WORDS:
            words.add(w)
    return frozenset(words)


def _lines(body: str, start: int, end: int):
    offset = start
    for line in body[start:end].split("\n"):
        yield offset, line
        offset += len(line) + 1


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            if (m.end - m.start) > (out[-1].end - out[-1].start):
                out[-1] = m
            continue
        out.append(m)
    return out
