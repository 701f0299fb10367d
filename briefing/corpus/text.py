"""Plausible synthetic text: names, sentences of diplomatic prose, and article bodies.

Everything is drawn from a ``random.Random`` passed in, so a seed always gives the same text.
``compose_body`` is where the verbatim rule is kept by construction: it returns each
statement's span as it assembles the body.
"""

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.corpus.words import (
    ATTRIBUTIONS,
    COUNTRY_ENDINGS,
    FIRST_NAMES,
    FIRST_PERSON,
    LAST_NAMES,
    OBJECTS,
    OPENERS,
    SYLLABLES,
    TAILS,
    THIRD_PERSON,
    VERBS,
)

STATEMENT_MIN, STATEMENT_MAX = 60, 600


@dataclass(frozen=True)
class Remark:
    """A statement to place in an article body."""

    speaker_name: str
    kind: str
    text: str


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
                lead_in = f"{remark.speaker_name} {verb}: “" if rng.random() < 0.3 else "“"
                put(lead_in)
                spans.append((length, length + len(remark.text)))
                put(remark.text, "”\n\n" if lead_in != "“" else f"” {verb} {remark.speaker_name}.\n\n")
            else:
                put(f"{remark.speaker_name} {verb} that ")
                spans.append((length, length + len(remark.text)))
                put(remark.text, "\n\n")
            if rng.random() < 0.2:
                put(sentence(rng, first_person=False), "\n\n")
    return "".join(parts).rstrip("\n"), spans
