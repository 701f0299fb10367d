"""Verbatim spans: where a text stands in an article body, and where it stands after an edit.

A statement (and anything else quoted from an article) is a ``(start, end)`` span of the body,
in code points, whose characters are exactly its text. These functions are the one place that
finds such a span, refuses text that is not in the body or that the body holds more than once
without saying which, and carries spans over when the body changes. They are pure: the
services call them with the row locked.
"""

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# Occurrences listed in an "ambiguous" refusal, and context characters shown either side.
LISTED_OCCURRENCES = 10
CONTEXT_CHARS = 30


@dataclass(frozen=True)
class Span:
    """A half-open range of code points in a body."""

    start: int
    end: int


def exact_snippet(text: str, length: int = 70) -> str:
    """``text`` shortened for a message without hiding what makes it differ.

    Unlike a display snippet, runs of spaces are kept; line breaks and tabs are written as
    ``\\n`` and ``\\t``, so a doubled space or a stray newline stays visible.
    """
    shown = text.replace("\n", "\\n").replace("\t", "\\t")
    return shown if len(shown) <= length else shown[: length - 1] + "…"


def context(body: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> str:
    """The span in its surrounding words, on one line: ``…before[span]after…``."""

    def flat(text: str) -> str:
        return text.replace("\n", " ").replace("\t", " ")

    lead = "…" if start > chars else ""
    tail = "…" if end + chars < len(body) else ""
    before, after = body[max(start - chars, 0) : start], body[end : end + chars]
    return f"{lead}{flat(before)}[{flat(body[start:end])}]{flat(after)}{tail}"


def occurrences(body: str, text: str) -> list[int]:
    """Every offset at which ``text`` starts in ``body`` (overlapping occurrences included)."""
    found, offset = [], body.find(text)
    while offset >= 0:
        found.append(offset)
        offset = body.find(text, offset + 1)
    return found


def locate(
    body: str, text: str, *, start: int | None = None, hint: int | None = None, near: Span | None = None
) -> Span:
    """The one span of ``text`` in ``body``; a ``ValidationError`` when there is none.

    ``start`` is the writer's explicit choice of occurrence and must hold the text. Without it,
    ``hint`` (the span a stored row already has) wins while it still holds the text; otherwise
    the text must occur exactly once — or, given ``near`` (the words it belongs to), be the one
    occurrence nearer to it than any other. A text that occurs several times is refused with
    each occurrence and its context, so the writer can say which one they mean.
    """
    if not text:
        raise ValidationError("The text is empty.", code="required")
    if start is not None:
        if body[start : start + len(text)] != text:
            raise ValidationError(
                "The text does not stand at offset %(start)s of the article body (there it reads "
                "“%(there)s”). %(where)s",
                code="not_at_start",
                params={
                    "start": start,
                    "there": exact_snippet(body[start : start + len(text)]),
                    "where": _where(body, text),
                },
            )
        return Span(start, start + len(text))
    if hint is not None and body[hint : hint + len(text)] == text:
        return Span(hint, hint + len(text))
    found = occurrences(body, text)
    if not found:
        raise not_verbatim(body, text)
    if len(found) > 1 and near is not None:
        distances = sorted((_distance(Span(o, o + len(text)), near), o) for o in found)
        if distances[0][0] < distances[1][0]:
            found = [distances[0][1]]
    if len(found) > 1:
        raise ambiguous(body, text, found)
    return Span(found[0], found[0] + len(text))


def _distance(a: Span, b: Span) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(a.start - b.end, b.start - a.end, 0)


def not_verbatim(body: str, text: str) -> ValidationError:
    """The refusal of a text that is not in the body, saying where it first differs."""
    return ValidationError(
        "This text does not occur verbatim in the article body: “%(snippet)s”. %(difference)s"
        "Quote it exactly as published (same quotes, dashes and spaces).",
        code="not_verbatim",
        params={"snippet": exact_snippet(text), "difference": first_difference(body, text)},
    )


def ambiguous(body: str, text: str, found: Sequence[int]) -> ValidationError:
    """The refusal of a text the body holds more than once, listing the occurrences."""
    listed = "; ".join(
        f"start {offset}: {context(body, offset, offset + len(text))}"
        for offset in found[:LISTED_OCCURRENCES]
    )
    more = f"; and {len(found) - LISTED_OCCURRENCES} more" if len(found) > LISTED_OCCURRENCES else ""
    return ValidationError(
        "This text occurs %(count)s times in the article body; give `start` to say which one: %(listed)s%(more)s.",
        code="ambiguous",
        params={"count": len(found), "listed": listed, "more": more, "occurrences": list(found)},
    )


def first_difference(body: str, text: str) -> str:
    """Where the longest start of ``text`` that the body holds ends, and what differs there.

    Said only of a near-quote (the body holds at least a third of the text's start): that is
    where a doubled space or a straight apostrophe hides.
    """
    low, high = 0, len(text)
    # The longest prefix found in the body; prefixes of a found prefix are found too.
    while low < high:
        middle = (low + high + 1) // 2
        if text[:middle] in body:
            low = middle
        else:
            high = middle - 1
    if low < max(len(text) // 3, 1):
        return ""  # the text is not a near-quote of any passage: where it parts is no help
    at = body.find(text[:low]) + low
    theirs = describe(body[at]) if at < len(body) else "the end of the body"
    return (
        f"The body has its first {low} characters (up to “{exact_snippet(text[max(low - 25, 0) : low], 30)}”), "
        f"then {theirs} where the text has {describe(text[low])}. "
    )


def describe(char: str) -> str:
    """A character as a message can show it unambiguously: ``“’” (U+2019 RIGHT SINGLE QUOTATION MARK)``."""
    shown = {"\n": "\\n", "\t": "\\t", " ": " "}.get(char, char)
    return f"“{shown}” (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"


def _where(body: str, text: str) -> str:
    found = occurrences(body, text)
    if not found:
        return "The text does not occur anywhere in the body."
    return "It occurs at start " + ", ".join(str(offset) for offset in found[:LISTED_OCCURRENCES]) + "."


def remap(old: str, new: str, spans: Sequence[tuple[int, int, str]]) -> list[Span | ValidationError]:
    """Carry each ``(start, end, text)`` span of ``old`` over to the ``new`` body.

    A span inside a passage the edit kept moves with it. Otherwise the text is looked for in
    the new body: a single occurrence is taken, and none or several give the refusal (not
    verbatim, ambiguous) in that span's place. Returns one result per span, in order.
    """
    mapping = _kept_blocks(old, new)
    results: list[Span | ValidationError] = []
    for start, end, text in spans:
        moved = _moved(mapping, start, end)
        if moved is not None and new[moved : moved + len(text)] == text:
            results.append(Span(moved, moved + len(text)))
            continue
        try:
            results.append(locate(new, text))
        except ValidationError as exc:
            results.append(exc)
    return results


def _kept_blocks(old: str, new: str) -> list[tuple[int, int, int]]:
    """``(old start, new start, length)`` of the passages ``new`` keeps from ``old``, in order."""
    # The usual edit touches one place: match the common start and end exactly, and diff only
    # the middle (difflib's heuristic keeps that fast on long bodies).
    prefix = len(_common_prefix(old, new))
    limit = min(len(old), len(new)) - prefix
    suffix = len(_common_prefix(old[::-1][:limit], new[::-1][:limit]))
    blocks = [(0, 0, prefix)] if prefix else []
    middle_old, middle_new = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if middle_old and middle_new:
        matcher = difflib.SequenceMatcher(None, middle_old, middle_new)
        blocks += [(prefix + a, prefix + b, size) for a, b, size in matcher.get_matching_blocks() if size]
    if suffix:
        blocks.append((len(old) - suffix, len(new) - suffix, suffix))
    return blocks


def _moved(blocks: list[tuple[int, int, int]], start: int, end: int) -> int | None:
    """The new offset of ``[start, end)`` when one kept passage holds all of it."""
    for old_start, new_start, size in blocks:
        if old_start <= start and end <= old_start + size:
            return new_start + (start - old_start)
    return None


def _common_prefix(a: str, b: str) -> str:
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return a[:low]
