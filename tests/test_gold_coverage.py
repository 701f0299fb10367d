"""The gold set covers every case of issues 12 and 13, several times where it can.

Each case counts the records of the whole set that exercise it; a case below its minimum fails,
so an edit to the gold set cannot silently lose coverage the drafter is scored on.
"""

import datetime
import itertools
import re
from collections import defaultdict

import pytest

from tests.gold import PATHS, WEEKDAYS, every, load, note_items, span


def _meetings(test):
    return sum(bool(test(m, d)) for d, m in every("meetings"))


def _statements(test, constructed_only=False):
    return sum(
        bool(test(s, d)) for d, s in every("statements") if d.get("constructed") or not constructed_only
    )


def _mentions(test):
    return sum(bool(test(m, d)) for d, m in every("mentions"))


def _official(data, mention):
    """The canonical name of the official a mention names."""
    return next(o["name"] for o in data["officials"] if o["slug"] == mention["official"])


def _pairs(test):
    """Adjacent statement pairs (a, b, body) for which ``test`` holds."""
    return sum(
        bool(test(a, b, d["article"]["body"]))
        for d in map(load, PATHS)
        for a, b in itertools.pairwise(d["statements"])
    )


def _opened_with(mark, closed=None):
    def test(st, data):
        body = data["article"]["body"]
        start, end = span(st)
        return (
            st["kind"] == "quote"
            and body[start - 1] == mark
            and (closed is None or body[end : end + 1] == closed)
        )

    return test


def _title_sets():
    titles = defaultdict(lambda: defaultdict(set))
    for data, mention in every("mentions"):
        if mention.get("title_as_given"):
            titles[mention["official"]][data["article"]["slug"]].add(mention["title_as_given"])
    return sum(len({frozenset(t) for t in by_article.values()}) > 1 for by_article in titles.values())


def _successions():
    found = 0
    for data in map(load, PATHS):
        held = defaultdict(list)
        for membership in data.get("memberships", []):
            held[membership["post"]].append(membership)
        for rows in held.values():
            found += any(
                a["official"] != b["official"]
                and a["end_date"]
                and b["start_date"]
                and a["end_date"] < b["start_date"]
                for a in rows
                for b in rows
            )
    return found


def _surname_only():
    found = 0
    for data in map(load, PATHS):
        for official in data["officials"]:
            printed = [m["name_as_printed"] for m in data["mentions"] if m["official"] == official["slug"]]
            found += (
                bool(printed)
                and all(len(n.split()) <= 1 for n in printed)
                and len(official["name"].split()) > 1
            )
    return found


def _all_count(label):
    return sum(len(note_items(d["note"], label)) for d in map(load, PATHS))


CASES = {
    "meeting date not given (date null, words kept)": (
        2,
        lambda: _meetings(lambda m, d: m["date"] is None and m.get("date_as_reported")),
    ),
    "meeting with no date words at all": (
        1,
        lambda: _meetings(lambda m, d: m["date"] is None and not m.get("date_as_reported")),
    ),
    "day and month without a year": (
        2,
        lambda: _meetings(
            lambda m, d: (
                len(m["date"] or "") == 10
                and re.search(r"\d", m.get("date_as_reported", ""))
                and not re.search(r"\d{4}", m.get("date_as_reported", ""))
            )
        ),
    ),
    "date anchored to another meeting": (
        2,
        lambda: _meetings(
            lambda m, d: re.search(
                r"(evening|day) before|Later on|after the talks|end of the day", m.get("date_as_reported", "")
            )
        ),
    ),
    "weekday-only date": (
        2,
        lambda: _meetings(
            lambda m, d: (
                re.fullmatch(rf"on ({'|'.join(WEEKDAYS)})( evening)?", m.get("date_as_reported", ""))
                and m["date"]
            )
        ),
    ),
    "weekday contradicting the printed day": (
        1,
        lambda: _meetings(
            lambda m, d: (
                len(m["date"] or "") == 10
                and re.search(r"\d", m.get("date_as_reported", ""))
                and any(day in m.get("date_as_reported", "") for day in WEEKDAYS)
                and WEEKDAYS[datetime.date.fromisoformat(m["date"]).weekday()] not in m["date_as_reported"]
            )
        ),
    ),
    "month precision": (2, lambda: _meetings(lambda m, d: re.fullmatch(r"\d{4}-\d{2}", m["date"] or ""))),
    "year precision": (2, lambda: _meetings(lambda m, d: re.fullmatch(r"\d{4}", m["date"] or ""))),
    "future event that is not a meeting": (5, lambda: _all_count("Not meetings:")),
    "scare quotes, titles, nicknames (not speech)": (6, lambda: _all_count("Not speech:")),
    "article with no publication date": (
        1,
        lambda: sum(d["article"]["published_on"] is None and d.get("constructed") for d in map(load, PATHS)),
    ),
    **{
        f"constructed statements attributed by {method}": (
            3,
            lambda method=method: _statements(lambda s, d: s["attribution"] == method, True),
        )
        for method in ("name", "title", "pronoun", "continuation", "none")
    },
    "unnamed speaker of a direct quote": (
        2,
        lambda: _statements(lambda s, d: s["speaker"] is None and s["kind"] == "quote"),
    ),
    "according to X": (
        3,
        lambda: _statements(lambda s, d: s.get("attribution_text", "").lower().startswith("according to")),
    ),
    "speaker named before the quote": (
        2,
        lambda: _pairs(
            lambda a, b, body: (
                b["kind"] == "quote"
                and b["attribution"] in ("name", "title")
                and b.get("attribution_start", len(body)) + len(b.get("attribution_text", "")) <= b["start"]
                and b.get("attribution_start") != a.get("attribution_start")
            )
        ),
    ),
    "speaker named after the quote": (
        5,
        lambda: _statements(
            lambda s, d: (
                s["attribution"] == "name"
                and s["kind"] == "quote"
                and s.get("attribution_start", -1) >= s["start"] + len(s["text"])
            )
        ),
    ),
    "quote interrupted by its attribution": (
        3,
        lambda: _pairs(
            lambda a, b, body: (
                a["kind"] == b["kind"] == "quote"
                and "attribution_start" in a
                and a["attribution_start"] == b.get("attribution_start")
                and re.fullmatch(r'[”"] ', body[a["start"] + len(a["text"]) : a["attribution_start"]])
                and re.fullmatch(
                    r', [“"]', body[a["attribution_start"] + len(a["attribution_text"]) : b["start"]]
                )
            )
        ),
    ),
    "quotation over two paragraphs": (
        3,
        lambda: _pairs(
            lambda a, b, body: (
                b["attribution"] == "continuation"
                and body[a["start"] + len(a["text"]) : a["start"] + len(a["text"]) + 1] in ("\n", "")
            )
        ),
    ),
    "single quotes nested in a quotation": (
        2,
        lambda: _statements(
            lambda s, d: re.search(r"(^|\W)[‘'][^’']+[’'](\W|$)", s["text"]) and s["kind"] == "quote"
        ),
    ),
    "straight quotation marks": (3, lambda: _statements(_opened_with('"'))),
    "curly quotation marks": (10, lambda: _statements(_opened_with("“"))),
    "curly opening closed by a straight mark": (1, lambda: _statements(_opened_with("“", '"'))),
    "one official, different titles in different articles": (3, _title_sets),
    "honorifics": (6, lambda: len({m.get("honorifics") for _, m in every("mentions")} - {None})),
    "a given name printed without the surname": (
        2,
        lambda: _mentions(
            lambda m, d: (
                len(_official(d, m).split()) > 1 and m["name_as_printed"] == _official(d, m).split()[0]
            )
        ),
    ),
    "an official printed only by surname in an article": (1, _surname_only),
    "title-only mention": (5, lambda: _mentions(lambda m, d: not m["name_as_printed"])),
    "appositive title in a mention": (3, lambda: _mentions(lambda m, d: ", " in m["text"])),
    "partial participant list": (3, lambda: _meetings(lambda m, d: m.get("participants_complete") is False)),
    "city inferred from a venue": (2, lambda: _meetings(lambda m, d: "city" in m.get("inferred", []))),
    "original source": (
        2,
        lambda: sum(
            bool(d["article"].get("original_source"))
            and d["article"].get("original_source", "") in d["article"]["body"]
            for d in map(load, PATHS)
        ),
    ),
    "statement made after the meeting": (
        3,
        lambda: _statements(lambda s, d: s.get("meeting_relation") == "after"),
    ),
    "statement made before the meeting": (
        2,
        lambda: _statements(lambda s, d: s.get("meeting_relation") == "before"),
    ),
    "statement about a meeting": (2, lambda: _statements(lambda s, d: s.get("meeting_relation") == "about")),
    "statement with its own date": (1, lambda: _statements(lambda s, d: s.get("date"))),
    "post that changed hands, with dates": (2, _successions),
}


@pytest.mark.parametrize("case", list(CASES))
def test_gold_set_covers_case(case):
    minimum, count = CASES[case]
    assert count() >= minimum
