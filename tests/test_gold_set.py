"""The gold set's annotations follow docs/annotation.md, file by file.

Each ``tests/data/gold/<slug>.json`` is a complete format-2 fixture and ``<slug>.txt`` the article
as the drafter reads it. Spans are verbatim and in body order, every passage in quotation marks
is a statement or is listed in the note as not speech, every printed surname is inside a mention,
and dates agree with the words the article reports. No database is needed.
"""

import datetime
import itertools
import json
import re
from collections import defaultdict

import jsonschema
import pytest

from tests.gold import (
    GOLD,
    MONTHS,
    NAME_SUFFIXES,
    PATHS,
    ROOT,
    SCHEMA,
    WEEKDAYS,
    load,
    note_items,
    quoted_passages,
    quotes,
    span,
)


@pytest.fixture(params=PATHS, ids=[p.stem for p in PATHS])
def gold(request) -> dict:
    """One gold fixture."""
    return load(request.param)


def test_gold_set_holds_the_seed_article_and_at_least_six_constructed_ones():
    constructed = [data for data in map(load, PATHS) if data.get("constructed")]
    assert "nato-secretary-general-visits-washington-2022" in {p.stem for p in PATHS}
    assert len(constructed) >= 6


def test_gold_fixture_matches_the_version_2_schema(gold):
    validator = jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text(encoding="utf-8")),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    assert [error.message for error in validator.iter_errors(gold)] == []
    assert gold["format"] == 2


def test_gold_text_file_holds_the_headline_a_blank_line_and_the_body(gold):
    text = (GOLD / f"{gold['article']['slug']}.txt").read_text(encoding="utf-8")
    assert text == f"{gold['article']['title']}\n\n{gold['article']['body']}\n"


def test_gold_constructed_article_is_marked_and_between_250_and_700_words(gold):
    if not gold.get("constructed"):
        pytest.skip("the seed article is real")
    assert gold["note"].startswith("Constructed example:")
    assert 250 <= len(gold["article"]["body"].split()) <= 700


def test_gold_fixtures_never_stand_in_the_served_fixture_folder():
    served = {p.name for p in (ROOT / "fixtures" / "articles").glob("*.json")}
    constructed = {p.name for p in PATHS if load(p).get("constructed")}
    assert served & constructed == set()


@pytest.mark.parametrize("kind", ["statements", "mentions"])
def test_gold_text_stands_at_its_start_or_occurs_once(gold, kind):
    body = gold["article"]["body"]
    for row in gold[kind]:
        if "start" in row:
            assert body[slice(*span(row))] == row["text"], row
        else:
            assert body.count(row["text"]) == 1, row


def test_gold_attribution_text_stands_at_its_start_or_occurs_once(gold):
    body = gold["article"]["body"]
    for st in gold["statements"]:
        if "attribution_start" in st:
            assert body[slice(*span(st, "attribution_text", "attribution_start"))] == st["attribution_text"]
        elif "attribution_text" in st:
            assert body.count(st["attribution_text"]) == 1, st


@pytest.mark.parametrize("kind", ["statements", "mentions"])
def test_gold_records_are_listed_in_body_order(gold, kind):
    starts = [row["start"] for row in gold[kind]]
    assert starts == sorted(starts)


def test_gold_mentions_do_not_overlap(gold):
    spans = [span(row) for row in gold["mentions"]]
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


def test_gold_attribution_is_none_exactly_when_the_speaker_is_unknown(gold):
    assert [st["speaker"] is None for st in gold["statements"]] == [
        st["attribution"] == "none" for st in gold["statements"]
    ]


def test_gold_continuation_opens_a_paragraph_after_the_same_speaker(gold):
    body, statements = gold["article"]["body"], gold["statements"]
    for previous, st in itertools.pairwise(statements):
        if st["attribution"] == "continuation":
            assert st["speaker"] == previous["speaker"] is not None
            assert body[st["start"] - 2 : st["start"]] in ("\n“", '\n"')
            assert "attribution_text" not in st
    assert statements[0]["attribution"] != "continuation"


def test_gold_mention_parts_occur_within_the_mention(gold):
    for mention in gold["mentions"]:
        for part in ("name_as_printed", "title_as_given", "honorifics"):
            assert mention.get(part, "") in mention["text"], (part, mention)
        assert mention.get("name_as_printed") or mention.get("title_as_given"), mention


def test_gold_every_printed_surname_is_inside_a_mention_of_its_official(gold):
    body = gold["article"]["body"]
    for official in gold["officials"]:
        surnames = set()
        for name in [official["name"], *official.get("aliases", [])]:
            words = [w for w in name.split() if w not in NAME_SUFFIXES]
            surnames.add(words[-1])
        covered = [span(m) for m in gold["mentions"] if m["official"] == official["slug"]]
        for surname in surnames:
            for found in re.finditer(rf"\b{re.escape(surname)}\b", body):
                assert any(a <= found.start() < b for a, b in covered), (surname, found.start())


def test_gold_references_name_records_of_the_same_file(gold):
    slugs = {
        kind: {row["slug"] for row in gold.get(kind, [])}
        for kind in ("officials", "posts", "meetings", "topics")
    }
    organizations = {row["slug"] for row in gold.get("organizations", [])}
    assert {m["official"] for m in gold["mentions"]} <= slugs["officials"]
    assert {st["speaker"] for st in gold["statements"]} - {None} <= slugs["officials"]
    assert {st["meeting"] for st in gold["statements"]} - {None} <= slugs["meetings"]
    for meeting in gold["meetings"]:
        assert {p["official"] for p in meeting["participants"]} <= slugs["officials"]
        assert {p["post"] for p in meeting["participants"]} - {None} <= slugs["posts"]
        assert set(meeting.get("topics", [])) <= slugs["topics"]
    for membership in gold.get("memberships", []):
        assert membership["official"] in slugs["officials"] and membership["post"] in slugs["posts"]
    for row in gold["officials"] + gold.get("posts", []):
        assert row.get("organization") in organizations | {None}


def test_gold_quote_statements_are_exactly_the_quoted_passages_that_are_speech(gold):
    body = gold["article"]["body"]
    outer, inner = quoted_passages(body)
    quoted = {span(st) for st in quotes(gold)}
    assert quoted <= set(outer), "a quote statement that is not a passage between quotation marks"
    not_speech = sorted({body[a:b] for a, b in outer if (a, b) not in quoted})
    nested_outside = {body[a:b] for a, b in inner if not any(s <= a and b <= e for s, e in quoted)}
    assert sorted(set(note_items(gold["note"], "Not speech:"))) == sorted({*not_speech, *nested_outside})


def test_gold_future_events_listed_as_not_meetings_occur_in_the_body(gold):
    for phrase in note_items(gold["note"], "Not meetings:"):
        assert phrase in gold["article"]["body"]


def test_gold_reported_day_and_month_agree_with_the_date(gold):
    rows = [*gold["meetings"], *gold["statements"]]
    for row in rows:
        reported, date = row.get("date_as_reported", ""), row.get("date")
        found = re.search(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)})|({'|'.join(MONTHS)}) (\d{{1,2}})\b", reported)
        if found:
            day = int(found.group(1) or found.group(4))
            month = MONTHS.index(found.group(2) or found.group(3)) + 1
            assert datetime.date.fromisoformat(date).timetuple()[1:3] == (month, day), row


def test_gold_reported_weekday_agrees_with_the_date_unless_the_note_explains(gold):
    for row in [*gold["meetings"], *gold["statements"]]:
        reported, date = row.get("date_as_reported", ""), row.get("date") or ""
        named = [day for day in WEEKDAYS if day in reported]
        if named and len(date) == 10:
            actual = WEEKDAYS[datetime.date.fromisoformat(date).weekday()]
            assert actual == named[0] or f"was a {actual}" in gold["note"], row


def test_gold_weekday_only_dates_are_the_last_such_day_up_to_publication(gold):
    published = gold["article"]["published_on"]
    for row in [*gold["meetings"], *gold["statements"]]:
        reported = row.get("date_as_reported", "")
        if not any(day in reported for day in WEEKDAYS) or re.search(r"\d", reported):
            continue
        if published is None:
            assert row["date"] is None, row
            continue
        date = datetime.date.fromisoformat(row["date"])
        assert 0 <= (datetime.date.fromisoformat(published) - date).days < 7, row
        assert WEEKDAYS[date.weekday()] in reported


def test_gold_meeting_with_unknown_date_claims_no_inferred_date(gold):
    for meeting in gold["meetings"]:
        if meeting["date"] is None:
            assert "date" not in meeting.get("inferred", []), meeting["slug"]


def test_gold_holders_of_one_post_do_not_overlap(gold):
    far = datetime.date.max.isoformat()
    held = defaultdict(list)
    for membership in gold.get("memberships", []):
        held[membership["post"]].append(membership)
    for rows in held.values():
        dated = [r for r in rows if r["start_date"] or r["end_date"]]
        for a in dated:
            for b in dated:
                if a["official"] != b["official"]:
                    assert (a["end_date"] or far) < (b["start_date"] or "") or (b["end_date"] or far) < (
                        a["start_date"] or ""
                    ), (a, b)
