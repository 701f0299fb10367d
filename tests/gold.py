"""The gold set (tests/data/gold/): loading its fixtures and reading their bodies the way
docs/annotation.md does — quoted passages, paragraphs, the labelled lists of a note.

Shared by the gold set's tests (tests/test_gold_set.py, tests/test_gold_coverage.py) and usable by
the drafter's scorer.
"""

import datetime
import functools
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold"
SCHEMA = ROOT / "fixtures" / "article.schema.json"
PATHS = sorted(GOLD.glob("*.json"))
NOTE_LABELS = ("Not speech:", "Not meetings:", "Beyond the text:")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [datetime.date(2000, n, 1).strftime("%B") for n in range(1, 13)]
NAME_SUFFIXES = {"II", "III", "IV", "Jr", "Jr.", "Sr", "Sr."}


@functools.cache
def load(path: Path) -> dict:
    """The parsed fixture at ``path``."""
    return json.loads(path.read_text(encoding="utf-8"))


def every(kind: str):
    """(fixture, record) for each record of ``kind`` in the whole set."""
    return [(data, row) for data in map(load, PATHS) for row in data.get(kind, [])]


def span(row: dict, key: str = "text", start: str = "start") -> tuple[int, int]:
    """The (start, end) a row's text claims."""
    return row[start], row[start] + len(row[key])


def paragraphs(body: str):
    """(offset, text) of each line of the body."""
    offset = 0
    for line in body.split("\n"):
        yield offset, line
        offset += len(line) + 1


def quoted_passages(body: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans between paired double quotation marks, and the single-quoted spans inside them.

    Curly and straight marks pair with each other (a typed “…" still closes). A paragraph that
    ends inside a quotation closes its passage at the paragraph end; the next paragraph must then
    reopen it. An apostrophe between letters, or after a letter with no single quote open, is not
    a quotation mark.
    """
    outer, inner, runs_on = [], [], False
    for offset, line in paragraphs(body):
        if not line.strip():
            continue
        if runs_on and not line.startswith(("“", '"')):
            raise ValueError(f"the quotation running on at {offset} is not reopened")
        opened = None
        for i, char in enumerate(line):
            if opened is None and char in '“"':
                opened = i + 1
            elif opened is None and char == "”":
                raise ValueError(f"a closing mark with no opening one at {offset + i}")
            elif opened is not None and char in '”"':
                outer.append((offset + opened, offset + i))
                opened = None
            elif opened is not None and char == "“":
                raise ValueError(f"a double quotation opened inside another at {offset + i}")
        runs_on = opened is not None
        if runs_on:
            outer.append((offset + opened, offset + len(line)))
    outer = sorted(outer + _top_level_single(body, outer))
    for start, end in outer:
        single = None
        for i in range(start, end):
            before, after = body[i - 1], body[i + 1] if i + 1 < len(body) else " "
            if body[i] in "‘'" and single is None and not before.isalnum():
                single = i + 1
            elif body[i] in "’'" and single is not None and not after.isalpha():
                inner.append((single, i))
                single = None
        if single is not None:
            raise ValueError(f"a single quotation opened at {single} is not closed")
    return outer, inner


def _top_level_single(body: str, outer: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Passages in single marks outside any double quotation (British style: she replied: ‘…’).

    A mark after a letter or digit never opens one, and one followed by a letter never closes one,
    so apostrophes (Belmark's, pilots’ union) are not marks.
    """
    found = []
    for offset, line in paragraphs(body):
        opened = None
        for i, char in enumerate(line):
            position = offset + i
            if any(a - 1 <= position <= b for a, b in outer):
                opened = None
                continue
            before = line[i - 1] if i else " "
            after = line[i + 1] if i + 1 < len(line) else " "
            if opened is None and char in "‘'" and not before.isalnum() and not after.isspace():
                opened = position + 1
            elif opened is not None and char in "’'" and not after.isalpha() and not before.isspace():
                found.append((opened, position))
                opened = None
    return found


def note_items(note: str, label: str) -> list[str]:
    """The [bracketed] items of one labelled section of a fixture's note."""
    if label not in note:
        return []
    section = note.split(label, 1)[1]
    for other in NOTE_LABELS:
        section = section.split(other, 1)[0]
    return re.findall(r"\[([^\]]+)\]", section)


def quotes(data: dict) -> list[dict]:
    """The fixture's direct quotations."""
    return [st for st in data["statements"] if st["kind"] == "quote"]
