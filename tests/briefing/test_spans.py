"""Finding a verbatim span, refusing one, and carrying spans over a body edit (briefing.spans)."""

import pytest
from django.core.exceptions import ValidationError

from briefing import spans

BODY = "Ministers met. “We agree,” said one. Later: “We agree.” And then  they left."


def test_text_found_once_is_located_exactly():
    assert spans.locate(BODY, "said one") == spans.Span(27, 35)


def test_text_found_twice_without_a_start_is_ambiguous_listing_both_occurrences():
    with pytest.raises(ValidationError) as excinfo:
        spans.locate(BODY, "We agree")
    assert excinfo.value.code == "ambiguous"
    assert excinfo.value.params["occurrences"] == [16, 45]
    assert excinfo.value.messages == [
        "This text occurs 2 times in the article body; give `start` to say which one: "
        "start 16: Ministers met. “[We agree],” said one. Later: “We agree.…; "
        "start 45: …“We agree,” said one. Later: “[We agree].” And then  they left.."
    ]


def test_start_chooses_the_occurrence():
    assert spans.locate(BODY, "We agree", start=45) == spans.Span(45, 53)


def test_start_that_does_not_hold_the_text_is_refused_saying_where_it_occurs():
    with pytest.raises(ValidationError) as excinfo:
        spans.locate(BODY, "We agree", start=17)
    assert excinfo.value.code == "not_at_start"
    assert excinfo.value.messages == [
        "The text does not stand at offset 17 of the article body (there it reads “e agree,”). "
        "It occurs at start 16, 45."
    ]


def test_hint_keeps_a_stored_span_while_it_still_holds_the_text():
    assert spans.locate(BODY, "We agree", hint=45) == spans.Span(45, 53)


def test_refusal_of_a_near_quote_shows_the_doubled_space_that_differs():
    with pytest.raises(ValidationError) as excinfo:
        spans.locate(BODY, "And then they left.")
    assert excinfo.value.code == "not_verbatim"
    assert excinfo.value.messages == [
        "This text does not occur verbatim in the article body: “And then they left.”. The body has its "
        "first 9 characters (up to “And then ”), then “ ” (U+0020 SPACE) where the text has “t” (U+0074 "
        "LATIN SMALL LETTER T). Quote it exactly as published (same quotes, dashes and spaces)."
    ]


def test_refusal_keeps_line_breaks_and_double_spaces_visible_in_the_snippet():
    assert spans.exact_snippet("one  two\nthree") == "one  two\\nthree"


def test_prefix_added_to_the_body_moves_every_span_by_its_length():
    new = "DATELINE — " + BODY
    moved = spans.remap(BODY, new, [(16, 24, "We agree"), (45, 53, "We agree")])
    assert moved == [spans.Span(27, 35), spans.Span(56, 64)]


def test_span_in_a_reordered_passage_is_found_again_where_its_text_is_unique():
    old = "First point. “Alpha,” she said.\n\nSecond point. “Beta,” he said."
    new = "Second point. “Beta,” he said.\n\nFirst point. “Alpha,” she said."
    (alpha,) = spans.remap(old, new, [(14, 19, "Alpha")])
    assert new[alpha.start : alpha.end] == "Alpha"


def test_span_whose_text_the_edit_removed_is_refused():
    (result,) = spans.remap(BODY, BODY.replace("said one", "said two"), [(27, 35, "said one")])
    assert isinstance(result, ValidationError)
    assert result.code == "not_verbatim"


def test_span_moved_with_the_words_the_edit_kept_around_it():
    new = BODY.replace("Ministers met. “We agree,”", "“We agree,” ministers said first.")
    (result,) = spans.remap(BODY, new, [(16, 24, "We agree")])
    assert result == spans.Span(1, 9)


def test_span_whose_passage_was_removed_and_whose_text_occurs_twice_is_refused_as_ambiguous():
    new = BODY.replace("Ministers met. “We agree,” said one. ", "") + " “We agree” was said again."
    (result,) = spans.remap(BODY, new, [(16, 24, "We agree")])
    assert isinstance(result, ValidationError)
    assert result.code == "ambiguous"
