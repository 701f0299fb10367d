"""Which passages a draft holds as quotations, with their exact offsets."""

import pytest

from tests.drafting.helpers import draft, quotes, statement

pytestmark = pytest.mark.django_db


def test_interrupted_quotation_gives_two_statements_with_exact_starts():
    body = "“We will sign,” Mira Castell said at the end of the talks, “when the union has seen the text.”"
    fixture = draft(body)
    assert quotes(fixture) == [("We will sign,", 1), ("when the union has seen the text.", 60)]
    first, second = fixture["statements"]
    assert (
        first["attribution_text"] == second["attribution_text"] == "Mira Castell said at the end of the talks"
    )


def test_curly_opening_and_straight_closing_mark_make_one_quotation():
    fixture = draft('“The fees have waited long enough," Varo Lind said.')
    assert quotes(fixture) == [("The fees have waited long enough,", 1)]


def test_straight_quotes_with_no_space_before_the_attribution():
    fixture = draft('"We\'re not there yet,"Dane Orrin said.')
    assert quotes(fixture) == [("We're not there yet,", 1)]
    assert statement(fixture, "We're")["attribution_text"] == "Dane Orrin said"


def test_quotation_over_paragraphs_is_one_statement_per_paragraph_and_continues_its_speaker():
    body = "Dr Ona Wilde was candid:\n\n“We trained too few pilots.\n\n“And we are paying for it now.”"
    fixture = draft(body)
    assert quotes(fixture) == [("We trained too few pilots.", 27), ("And we are paying for it now.", 56)]
    first, second = fixture["statements"]
    assert (first["attribution"], first["attribution_text"]) == ("name", "Dr Ona Wilde was candid")
    assert (second["attribution"], second["speaker"]) == ("continuation", first["speaker"])
    assert "attribution_text" not in second


def test_nested_single_quotes_stay_inside_the_outer_quotation():
    body = "“The ‘spirit of the Narrows’ was never a slogan,” the diplomat said."
    assert quotes(draft(body)) == [("The ‘spirit of the Narrows’ was never a slogan,", 1)]


@pytest.mark.parametrize(
    "body",
    [
        "The data will travel over what officials call the “blue corridor”, a secure link.",
        "Its legal basis is a protocol titled “Arrangement on Patrol Information”.",
        "General Tor Hale, known in the navy as “the Quartermaster”, arrived late.",
        "The figures are in the council’s annual “State of the Coast” report.",
        "The exercise, code-named “Grey Heron”, starts in May.",
    ],
)
def test_scare_quotes_titles_and_nicknames_are_not_statements(body):
    fixture = draft(body)
    assert fixture["statements"] == []
    assert "Not speech: [" in fixture["note"]


def test_short_fragment_given_to_a_speaker_is_a_statement():
    fixture = draft("Speaking in Solmere, Nadia Orsen called the agreement “overdue”.")
    assert quotes(fixture) == [("overdue", 55)]
    assert statement(fixture, "overdue")["attribution_text"] == "Nadia Orsen called the agreement"


def test_text_with_no_quotation_marks_gives_an_honest_empty_draft():
    fixture = draft("The ministers met on Monday. Nobody was quoted.")
    assert fixture["statements"] == []


def test_unbalanced_mark_is_left_out_with_a_warning_in_the_note():
    body = "“This quotation never closes, Ann Bell said.\n\nThe talks ended on Monday."
    fixture = draft(body)
    assert fixture["statements"] == []
    assert "The quotation opened at offset 0 is never closed; it was left out." in fixture["note"]


def test_a_stray_closing_mark_is_ignored_and_reported():
    fixture = draft("Prices rose” on Monday. “Good,” said Lena Voss.")
    assert quotes(fixture) == [("Good,", 25)]
    assert "A closing quotation mark at offset 11 has no opening mark; ignored." in fixture["note"]


def test_a_few_words_nobody_is_said_to_have_said_are_scare_quotes():
    fixture = draft("Critics pointed to the deal’s “sunset clause” on Monday.")
    assert fixture["statements"] == []
    assert "[sunset clause] (scare quotes: no one is reported saying them)" in fixture["note"]


def test_a_reopened_paragraph_that_names_its_speaker_is_attributed_by_name():
    body = "“We will act, Mateo Koll said.\n\n“Next week,” said Kas Dahl."
    second = draft(body)["statements"][1]
    assert (second["text"], second["speaker"], second["attribution"]) == ("Next week,", "kas-dahl", "name")


def test_top_level_single_quotes_after_a_reporting_verb_are_speech_and_apostrophes_are_not():
    body = (
        "Belmark's President Rowena Quill met Idris Vahl on Monday. Asked about the cost, she replied: "
        "‘It is more affordable than another winter like the last one.’ The pilots’ union's view was 'mixed'."
    )
    assert [text for text, _ in quotes(draft(body))] == [
        "It is more affordable than another winter like the last one."
    ]
