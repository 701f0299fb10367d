"""Finding quoted passages in a body and telling speech from scare quotes, titles and nicknames.

Curly and straight double marks pair with each other; a paragraph that ends inside a quotation
continues only if the next paragraph reopens it (the news convention), otherwise the passage is
unbalanced and left out, with a warning. Single quotes are nested inside a double quotation, or,
at the top level, speech only where a colon or a reporting verb gives them to someone; an
apostrophe never opens a passage.
"""

import re
from dataclasses import dataclass

OPENING, CLOSING, STRAIGHT = "“", "”", '"'

# Words right before a quoted passage that make it a name, not somebody's words.
_NAMING_BEFORE = re.compile(
    r"(?:\bknown\b[^.;:“”\"]{0,40}?\bas|\b(?:code-?named|nicknamed|dubbed|titled|entitled|named|so-called)|"
    r"\b(?:calling|call|calls|called)\s+(?:the|a|an)|\b(?:the|a|an|its|their|our|annual))\s*$",
    re.IGNORECASE,
)
# A title-case name such as “State of the Coast”, “Safe Passage”, “Narrows Clause”.
_MINOR = {"of", "the", "and", "on", "for", "in", "to", "a", "an", "at", "by", "de", "la"}
_NAMING_NOUN_AFTER = re.compile(
    r"^\s*(?:report|programme|program|clause|plan|strategy|initiative|campaign|operation|doctrine|"
    r"agreement|treaty|protocol|act|bill|law|document|project|exercise|policy|fund)\b",
    re.IGNORECASE,
)
_SPEECH_VERB_BEFORE = re.compile(
    r"\b(?:said|says|say|told|added|called\s+(?:it|them|him|her|the\s+\w+(?:\s+\w+)?)|described\b.{0,60}?\bas|"
    r"what\s+\w+\s+called|warned|stressed|insisted|promised|hoped|urged|declared|wrote|argued|noted|"
    r"that)\b[^.“”\"]{0,80}$",
    re.IGNORECASE,
)


@dataclass
class Passage:
    """A quoted passage: body offsets of its text (marks excluded), and how it sits in the text."""

    start: int
    end: int
    paragraph: int  # index of the paragraph it lies in
    runs_on: bool = False  # the paragraph ends inside it and the next one reopens the quotation
    reopened: bool = False  # it reopens a quotation running on from the previous paragraph
    speech: bool = True
    reason: str = ""


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each line of the body, blank ones included."""
    spans, offset = [], 0
    for line in body.split("\n"):
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def find_passages(body: str) -> tuple[list[Passage], list[str]]:
    """Every balanced double-quoted passage in body order, and warnings for unbalanced marks."""
    lines = paragraphs(body)
    raw: list[Passage] = []
    warnings: list[str] = []
    pending: Passage | None = None  # a quotation running on from the previous paragraph
    for index, (pstart, pend) in enumerate(lines):
        line = body[pstart:pend]
        if not line.strip():
            continue
        stripped = line.lstrip()
        lead = pstart + len(line) - len(stripped)
        reopens = stripped[:1] in (OPENING, STRAIGHT)
        if pending is not None:
            if reopens:
                raw.append(pending)
            else:
                warnings.append(
                    f"The quotation opened at offset {pending.start - 1} is never closed; it was left out."
                )
            pending = None
        opened: int | None = None
        for i in range(pstart, pend):
            char = body[i]
            if opened is None:
                if char == OPENING or (char == STRAIGHT and _can_open(body, i, pstart)):
                    opened = i + 1
                elif char == CLOSING:
                    warnings.append(f"A closing quotation mark at offset {i} has no opening mark; ignored.")
            elif char in (CLOSING, STRAIGHT):
                if i > opened:
                    raw.append(
                        Passage(opened, i, index, reopened=(opened == lead + 1 and _reopening(raw, index)))
                    )
                opened = None
            elif char == OPENING:
                warnings.append(
                    f"The quotation opened at offset {opened - 1} is reopened at {i} before it closes; "
                    "the first was left out."
                )
                opened = i + 1
        if opened is not None:
            end = pend
            while end > opened and body[end - 1].isspace():
                end -= 1
            if end > opened:
                pending = Passage(
                    opened, end, index, runs_on=True, reopened=(opened == lead + 1 and _reopening(raw, index))
                )
    if pending is not None:
        warnings.append(
            f"The quotation opened at offset {pending.start - 1} is never closed; it was left out."
        )
    raw = [p for p in raw if body[p.start : p.end].strip()]
    for passage in raw:
        _classify(body, passage)
    raw = sorted(raw + _single_quoted_speech(body, lines, raw), key=lambda p: p.start)
    return raw, warnings


_SINGLE_SPEECH_BEFORE = re.compile(
    r"(?::|\b(?:said|says|told\s+\w+|added|replied|answered|asked|declared|insisted|wrote)\s*,?)\s*$"
)
_SINGLE_SPEECH_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:he|she|they)\s+|(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*\s+)?"
    r"(?:said|says|added|replied|told|asked|insisted)\b"
)


def _single_quoted_speech(body: str, lines: list[tuple[int, int]], doubles: list[Passage]) -> list[Passage]:
    """Top-level passages in single marks that a colon or a reporting verb gives to a speaker
    (British style: she replied: ‘It is more affordable …’). A mark between letters or after a
    letter (Belmark's, pilots’ union) is an apostrophe, never a quotation mark."""
    found = []
    inside = [(p.start - 1, p.end + 1) for p in doubles]
    for index, (pstart, pend) in enumerate(lines):
        opened = None
        for i in range(pstart, pend):
            if any(a <= i < b for a, b in inside):
                opened = None
                continue
            char = body[i]
            before = body[i - 1] if i > pstart else " "
            after = body[i + 1] if i + 1 < pend else " "
            if opened is None and char in "‘'" and not before.isalnum() and not after.isspace():
                opened = i + 1
            elif opened is not None and char in "’'" and not after.isalpha() and not before.isspace():
                lead, trail = body[pstart : opened - 1], body[i + 1 : pend]
                if _SINGLE_SPEECH_BEFORE.search(lead) or _SINGLE_SPEECH_AFTER.search(trail):
                    found.append(Passage(opened, i, index))
                opened = None
    return found


def _reopening(raw: list[Passage], index: int) -> bool:
    return bool(raw) and raw[-1].runs_on and raw[-1].paragraph < index


def _can_open(body: str, i: int, pstart: int) -> bool:
    """A straight mark opens unless it sits after a letter or digit with nothing after it (inches)."""
    after = body[i + 1] if i + 1 < len(body) else " "
    return not after.isspace()


def _classify(body: str, passage: Passage) -> None:
    """Decide whether a passage is somebody's words, and say why not when it is not."""
    text = body[passage.start : passage.end]
    words = text.split()
    sentence_like = bool(re.search(r"[.!?,;:…]$", text.strip())) or len(words) > 6
    if passage.runs_on or passage.reopened or sentence_like:
        return
    before = body[max(0, passage.start - 121) : passage.start - 1]
    before = before.split("\n")[-1]
    after = body[passage.end + 1 : passage.end + 30]
    title_case = all(w[:1].isupper() or w.lower() in _MINOR for w in words) and words[0][:1].isupper()
    speech_verb = _SPEECH_VERB_BEFORE.search(before) and not _NAMING_BEFORE.search(before)
    if speech_verb and not (title_case and _NAMING_NOUN_AFTER.search(after)):
        return
    if _NAMING_BEFORE.search(before):
        passage.speech, passage.reason = False, "a name or scare quotes: the words before it name a thing"
    elif title_case:
        passage.speech, passage.reason = False, "a title or name in capitals"
    elif _NAMING_NOUN_AFTER.search(after):
        passage.speech, passage.reason = False, "the name of a document or programme"
    elif not speech_verb and len(words) <= 4:
        # "the deal's “sunset clause”": a few words nobody is said to have said.
        passage.speech, passage.reason = False, "scare quotes: no one is reported saying them"
