"""A text cut into paragraphs and runs by spans that may nest, overlap or coincide, to highlight them.

Statements are spans ``[start, end)`` of their article's body, in code points; several can
cover the same characters (a paragraph quoted whole and a sentence of it, or one sentence
attributed to two speakers). HTML elements cannot overlap, so a page that highlights them needs
the body as flat runs, each covered by the same set of spans. ``segment()`` makes them: every
character outside a paragraph break belongs to exactly one run, and each span opens on its
first run and closes on its last.
"""

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import pairwise

# Paragraphs are separated by line breaks; the breaks themselves belong to no paragraph.
PARAGRAPH_BREAK = re.compile(r"[\r\n]+")


@dataclass(frozen=True)
class KeySpan:
    """A span of the text, ``[start, end)`` in code points, named by ``key`` (a statement's id)."""

    key: Hashable
    start: int
    end: int


@dataclass
class Run:
    """Consecutive characters of one paragraph covered by the same spans.

    ``keys`` are the covering spans, outermost first (earlier start, then later end, then
    input order); ``opens`` the spans whose first run this is, ``closes`` those whose last.
    """

    text: str
    start: int
    keys: tuple = ()
    opens: tuple = ()
    closes: tuple = ()

    @property
    def end(self) -> int:
        """Offset just past the run's last character."""
        return self.start + len(self.text)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the text's paragraphs (empty ones left out)."""
    found, position = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if match.start() > position:
            found.append((position, match.start()))
        position = match.end()
    if position < len(text):
        found.append((position, len(text)))
    return found


def segment(text: str, spans: Iterable[KeySpan]) -> list[list[Run]]:
    """The text's paragraphs, each as runs of characters covered by the same spans.

    Spans outside the text are clipped to it; a span covering nothing but paragraph breaks has
    no run (and so neither opens nor closes).
    """
    indexed = sorted(enumerate(spans), key=lambda item: (item[1].start, -item[1].end, item[0]))
    ordered = [span for _, span in indexed]
    cuts: set[int] = set()
    for span in ordered:
        cuts.update((max(0, min(span.start, len(text))), max(0, min(span.end, len(text)))))
    result: list[list[Run]] = []
    pending = iter(ordered)
    upcoming = next(pending, None)
    active: list[KeySpan] = []
    for first, last in paragraphs(text):
        bounds = sorted({first, last, *(cut for cut in cuts if first < cut < last)})
        runs = []
        for low, high in pairwise(bounds):
            while upcoming is not None and upcoming.start <= low:
                active.append(upcoming)
                upcoming = next(pending, None)
            # Still in start order: spans join in that order and only ever leave.
            active = [span for span in active if span.end > low]
            runs.append(Run(text[low:high], low, tuple(span.key for span in active)))
        result.append(runs)
    _mark_ends([run for runs in result for run in runs])
    return result


def _mark_ends(runs: list[Run]) -> None:
    """Record on each run the spans it opens (first run of the span) and closes (last run)."""
    first_run: dict[Hashable, int] = {}
    last_run: dict[Hashable, int] = {}
    for number, run in enumerate(runs):
        for key in run.keys:
            first_run.setdefault(key, number)
            last_run[key] = number
    for number, run in enumerate(runs):
        run.opens = tuple(key for key in run.keys if first_run[key] == number)
        run.closes = tuple(key for key in run.keys if last_run[key] == number)
