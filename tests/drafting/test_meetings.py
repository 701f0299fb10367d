"""Meetings in a draft: who, when (resolved or honestly unknown), and what is not a meeting."""

import datetime

import pytest

from briefing.drafting.dates import find_date
from tests.drafting.helpers import draft

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime.date(2023, 6, 14)


def test_printed_day_and_month_win_over_a_contradicting_weekday_and_the_mismatch_is_noted():
    found = find_date("met on Tuesday, 4 October, at the start", 0, datetime.date(2023, 10, 6), set())
    assert (found.value, found.text) == ("2023-10-04", "on Tuesday, 4 October")
    assert found.notes == [
        "“on Tuesday, 4 October”: 4 October 2023 was a Wednesday; the printed day is kept."
    ]


def test_weekday_alone_is_the_latest_such_day_on_or_before_publication():
    found = find_date("agreed on Monday to share data", 0, WEDNESDAY, set())
    assert (found.value, found.inferred) == ("2023-06-12", True)


def test_weekday_without_a_publication_date_stays_unknown():
    found = find_date("met in Solmere on Wednesday", 0, None, set())
    assert (found.value, found.text) == (None, "on Wednesday")


def test_relative_month_keeps_only_the_month():
    assert find_date("spoke earlier this month", 0, WEDNESDAY, set()).value == "2023-06"


def test_meeting_is_drafted_with_participants_date_venue_and_city():
    body = "Foreign Minister Ilsa Varn received Foreign Minister Matt Koll at the Palace of the Tides in Corvenna on Thursday (18 May)."
    (meeting,) = draft(body, published_on=datetime.date(2023, 5, 19))["meetings"]
    assert {k: meeting[k] for k in ("date", "date_as_reported", "kind", "location", "city", "inferred")} == {
        "date": "2023-05-18",
        "date_as_reported": "on Thursday (18 May)",
        "kind": "bilateral_meeting",
        "location": "Palace of the Tides",
        "city": "Corvenna",
        "inferred": [],
    }
    assert [p["official"] for p in meeting["participants"]] == ["ilsa-varn", "matt-koll"]


def test_the_evening_before_is_anchored_to_the_meeting_it_precedes():
    body = (
        "Foreign Minister Ilsa Varn received Foreign Minister Matt Koll in Corvenna on Thursday (18 May).\n\n"
        "The talks followed a working dinner the evening before, hosted by Ambassador Tobi Wrenn, "
        "at which the two ministers agreed the agenda."
    )
    _, dinner = draft(body, published_on=datetime.date(2023, 5, 19))["meetings"]
    assert (dinner["date"], dinner["date_as_reported"], dinner["inferred"]) == (
        "2023-05-17",
        "the evening before",
        ["date"],
    )
    assert {p["official"] for p in dinner["participants"]} == {"tobi-wrenn", "ilsa-varn", "matt-koll"}


def test_a_date_anchored_to_an_undated_meeting_stays_unknown():
    body = "Minister Anja Thors hosted General Oskar Renn in Solmere on Wednesday.\n\nThe day before, Renn had met Admiral Sunna Breck."
    meetings = draft(body, published_on=None)["meetings"]
    assert [m["date"] for m in meetings] == [None, None]


@pytest.mark.parametrize(
    "body",
    [
        "Lior Tamm will travel on to Solmere on Monday for talks with President Nadia Orsa.",
        "Koval Brenner and Kasimir Dahl are due to meet again at the summit, which will be held in June.",
        "Halvor Brent has offered to host Lior Tamm for a technical meeting in the autumn.",
    ],
)
def test_future_or_offered_events_are_not_meetings(body):
    assert draft(body, published_on=WEDNESDAY)["meetings"] == []


def test_a_telephone_call_is_a_call_without_a_city():
    body = "PORT ADAINE, 30 November — Prime Minister Aurel Bastin and President Nadia Orsa agreed in a telephone call on Monday evening."
    (call,) = draft(body, published_on=datetime.date(2022, 11, 30))["meetings"]
    assert (call["kind"], call["date"], call["date_as_reported"], call["city"]) == (
        "call",
        "2022-11-28",
        "on Monday evening",
        "",
    )


def test_participants_joined_by_including_mark_the_list_incomplete():
    body = (
        "Minister Ada Koll and her counterpart, Kas Dahl, agreed on Monday to share data.\n\n"
        "The two ministers were joined at the talks by officials, among them Admiral Joss Harr."
    )
    (meeting,) = draft(body, published_on=WEDNESDAY)["meetings"]
    assert meeting["participants_complete"] is False
    assert [p["official"] for p in meeting["participants"]] == ["ada-koll", "kas-dahl", "joss-harr"]


def test_ministers_meeting_with_no_names_takes_the_ministers_named_next():
    body = (
        "GENEVA, March 3 (Reuters) - Foreign ministers from Arlania and Besk met in Geneva on Thursday.\n\n"
        "“We listened,” Arlanian Foreign Minister Kira Holt told reporters. Her Beskian counterpart, "
        "Omar Pell, was more upbeat."
    )
    (meeting,) = draft(body, published_on=datetime.date(2023, 3, 4))["meetings"]
    assert (meeting["date"], meeting["date_as_reported"], meeting["city"]) == (
        "2023-03-02",
        "on Thursday",
        "Geneva",
    )
    assert [p["official"] for p in meeting["participants"]] == ["kira-holt", "omar-pell"]


def test_yesterday_and_last_weekday_resolve_against_publication():
    thursday = datetime.date(2023, 9, 14)
    assert find_date("held talks in Berlin yesterday", 0, thursday, set()).value == "2023-09-13"
    assert find_date("sat down with him last Tuesday", 0, thursday, set()).value == "2023-09-12"
    assert find_date("sat down with him last Thursday", 0, thursday, set()).value == "2023-09-07"


def test_the_possessor_of_a_title_is_not_a_participant():
    body = (
        "Kowal’s foreign minister, Piotr Zielin, sat down with his German counterpart, Lena Hoff, on Tuesday."
    )
    (meeting,) = draft(body, published_on=datetime.date(2023, 9, 14))["meetings"]
    assert [p["official"] for p in meeting["participants"]] == ["piotr-zielin", "lena-hoff"]


def test_a_future_event_left_out_is_listed_under_not_meetings_in_the_note():
    fixture = draft("Lior Tamm will travel on to Solmere on Monday for talks with President Nadia Orsa.")
    assert (
        "Not meetings: [Lior Tamm will travel on to Solmere on Monday for talks with President Nadia Orsa]"
        " (future or planned)." in fixture["note"]
    )


def test_a_welcome_is_a_meeting_and_later_that_day_takes_its_date():
    body = (
        "Prime Minister Rachel Adair welcomed President Thabo Nkosi of Zanara to Downing Street on Monday 6 November.\n\n"
        "Later that day, the Prime Minister spoke by phone with Chancellor Ingrid Falk of Norrland."
    )
    visit, call = draft(body, published_on=datetime.date(2023, 11, 8))["meetings"]
    assert (visit["kind"], visit["date"], visit["date_as_reported"]) == (
        "bilateral_meeting",
        "2023-11-06",
        "on Monday 6 November",
    )
    assert (call["kind"], call["date"], call["inferred"]) == ("call", "2023-11-06", ["date"])
    assert [p["official"] for p in call["participants"]] == ["rachel-adair", "ingrid-falk"]


@pytest.mark.parametrize(
    ("venue", "location"),
    [
        ("the Council's headquarters", "the Council's headquarters"),
        ("the Castel Brun air base", "Castel Brun air base"),
        ("the Council's", ""),
    ],
)
def test_a_venue_is_its_whole_noun_phrase_or_nothing(venue, location):
    body = f"Kowal Brenner met Anna Roth at {venue} on Monday."
    assert [m["location"] for m in draft(body)["meetings"]] == [location]


def test_a_dateline_after_a_credit_line_is_still_the_dateline_and_its_day_is_not_a_meeting_date():
    body = (
        "Courtesy: Office of the President of Belmark\n\n"
        "GLASSPORT, 22 October — President Rowena Quill welcomed Prime Minister Idris Vahl to the "
        "Amber Palace on Monday."
    )
    (meeting,) = draft(body, published_on=datetime.date(2023, 10, 23))["meetings"]
    assert (meeting["date"], meeting["date_as_reported"], meeting["location"]) == (
        "2023-10-23",
        "on Monday",
        "Amber Palace",
    )


def test_a_press_conference_after_the_signing_takes_the_signing_day():
    body = (
        "Defence Secretary Jan Hale and Defence Minister Ola Berg met at the Castel Brun air base on 3 February.\n\n"
        "“We fly together,” Hale said at a joint press conference after the signing."
    )
    dates = {m["kind"]: m["date"] for m in draft(body, published_on=datetime.date(2024, 2, 5))["meetings"]}
    assert dates == {"bilateral_meeting": "2024-02-03", "press_conference": "2024-02-03"}


def test_a_statement_is_linked_to_a_meeting_only_where_its_attributing_words_say_so():
    body = (
        "Foreign Minister Lisbet Harrow met Foreign Minister Tomas Eklund in Velmora on Tuesday.\n\n"
        "“The corridor is no favour,” Harrow told reporters after the talks.\n\n"
        "“We have talked since 2019,” Eklund said."
    )
    fixture = draft(body)
    (meeting,) = fixture["meetings"]
    links = [(s.get("meeting"), s.get("meeting_relation")) for s in fixture["statements"]]
    assert links == [(meeting["slug"], "after"), (None, None)]


def test_earlier_in_the_day_takes_the_main_meetings_day():
    body = (
        "Minister Marta Keller received Ambassador Henrik van der Berg at the Ministry on Monday. "
        "Earlier in the day, Keller spoke by telephone with Foreign Minister Pavel Rusnak."
    )
    dates = {m["kind"]: m["date"] for m in draft(body)["meetings"]}
    assert dates == {"bilateral_meeting": "2023-06-12", "call": "2023-06-12"}


def test_two_officials_who_reached_agreement_in_a_place_on_a_day_met():
    fixture = draft(
        "Trade Minister Lena Hart and Minister for Commerce Piet Dorn reached agreement in Varn on Monday "
        "to end the dispute. “It is done,” Hart said."
    )
    [meeting] = fixture["meetings"]
    assert ([p["official"] for p in meeting["participants"]], meeting["date"], meeting["city"]) == (
        ["lena-hart", "piet-dorn"],
        "2023-06-12",
        "Varn",
    )


def test_one_official_who_reached_agreement_is_not_a_meeting():
    fixture = draft(
        "Trade Minister Lena Hart reached agreement with the unions on Monday. “It is done,” Hart said."
    )
    assert fixture["meetings"] == []


def test_an_official_who_arrived_for_talks_with_another_is_in_the_talks_on_the_day_of_arrival():
    fixture = draft(
        "Premier Tane Rua of Oska arrived in Port Vell on 11 June for two days of talks with "
        "Vellan Chancellor Mira Holt. “We came to listen,” Rua said."
    )
    [meeting] = [m for m in fixture["meetings"] if m["kind"] == "bilateral_meeting"]
    assert (
        [p["official"] for p in meeting["participants"]],
        meeting["date"],
        meeting["date_as_reported"],
    ) == (["tane-rua", "mira-holt"], "2023-06-11", "on 11 June")
