"""Reading an article fixture file within limits, and showing file names and messages safely.

An editor's fixture is trusted to be well meant, not to be well formed: a file may be huge, nested
far beyond what the schema allows, not UTF-8, or named with terminal escape sequences. Each is
refused here with a ``FixtureInputError`` saying why, before anything is parsed that could blow
the stack (Python's ``json`` recurses once per level) or fill the memory:

* at most ``settings.FIXTURE_MAX_BYTES`` bytes (2 MiB by default; the largest real fixture is
  some 40 KB), and never more than that is read, whatever the file claims to be;
* at most ``MAX_DEPTH`` levels of arrays and objects (a valid fixture has 4), counted before
  parsing;
* UTF-8, and no lone surrogate (``"\\ud800"``), which no database can store.

``display`` makes any text safe to print or store for people to read: control, format and other
invisible characters become ``\\x1b``-style escapes.
"""

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings

#: Arrays and objects inside one another, at most. The schema's own structure needs 4.
MAX_DEPTH = 20

# A JSON string (with its escapes), to be skipped when counting brackets.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Shown as escapes: controls, format characters (bidirectional overrides, zero-width…),
# line/paragraph separators, surrogates, private-use and unassigned code points.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


class FixtureInputError(ValueError):
    """The file cannot be taken as a fixture; the message says why (without the file name)."""


def display(text: str) -> str:
    """``text`` with every invisible or control character written as an escape (``\\x1b``, ``\\u202e``).

    Idempotent, so a message may pass through it twice; meant for people, not to be parsed back.
    """
    return "".join(_escape(c) if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in text)


def _escape(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def read_fixture(path: Path | str) -> Any:
    """The parsed JSON of the fixture at ``path``, within the limits above; ``FixtureInputError`` if not."""
    limit = settings.FIXTURE_MAX_BYTES
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise FixtureInputError(f"cannot be read: {exc.strerror or exc.__class__.__name__}") from exc
    if len(raw) > limit:
        raise FixtureInputError(
            f"is larger than the limit of {limit:,} bytes (FIXTURE_MAX_BYTES); split the article or "
            "raise the limit"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureInputError(f"is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise FixtureInputError(
            f"nests arrays and objects {depth:,} levels deep; a fixture may use at most {MAX_DEPTH}"
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FixtureInputError(f"cannot be read as JSON: {exc}") from exc
    surrogate = _first_surrogate(data)
    if surrogate is not None:
        raise FixtureInputError(
            f"holds a lone surrogate ({_escape(surrogate)}), which is not a character and cannot be stored"
        )
    return data


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in the JSON ``text`` (0 for a scalar), without parsing it."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _first_surrogate(data: Any) -> str | None:
    """The first lone surrogate in any key or string of ``data`` (walked without recursion)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and (found := _SURROGATE.search(item)):
            return found.group()
    return None
