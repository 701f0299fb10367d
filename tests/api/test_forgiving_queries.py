"""Queries forgive what people type and say what went wrong: partial cities, suggestions, formats.

Frictions from a first hour with the API: ``city=Washington`` found nothing (only the exact
"Washington D.C." did), meeting search ignored the city, ``speaker=Stoltenberg`` answered
"Select a valid choice" without the value or a suggestion, and ``date=June 2022`` "Enter a
valid date." without the format.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefing.models import Official
from briefing.suggestions import CANDIDATES, closest_slugs
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


def error(response) -> dict:
    """The one entry of a 400's `errors`."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    [entry] = body["errors"]
    return entry


@pytest.fixture
def capitals():
    """Two meetings in a constructed article: one in Washington D.C., one in Brussels."""
    article = factories.ArticleFactory()
    washington = factories.MeetingFactory(city="Washington D.C.", title="Talks", summary="")
    brussels = factories.MeetingFactory(city="Brussels", title="Talks", summary="")
    article.meetings.add(washington, brussels)
    return article, washington, brussels


@pytest.mark.parametrize("city", ["Washington", "washington", "WASHINGTON D.C.", "ington d"])
def test_city_matches_part_of_the_name_ignoring_case(api, capitals, city):
    article, washington, _ = capitals

    response = api.get(reverse("meeting-list"), {"city": city, "article": article.slug})

    assert slugs(response) == [washington.slug]


def test_meeting_search_covers_the_city(api, capitals):
    article, _, brussels = capitals

    response = api.get(reverse("meeting-list"), {"search": "brussels talks", "article": article.slug})

    assert slugs(response) == [brussels.slug]


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("speaker", "Stoltenberg", "No official has the slug “Stoltenberg”. Did you mean jens-stoltenberg?"),
        (
            "speaker",
            "Jens Stoltenberg",
            "No official has the slug “Jens Stoltenberg”. Did you mean jens-stoltenberg?",
        ),
        ("speaker", "lloyd-austen", "No official has the slug “lloyd-austen”. Did you mean lloyd-austin?"),
        (
            "topic",
            "nato-enlargment",
            "No topic has the slug “nato-enlargment”. Did you mean nato-enlargement?",
        ),
        ("speaker", "zzzzzz", "No official has the slug “zzzzzz”. The officials are listed at /officials/."),
    ],
)
def test_an_unknown_slug_names_the_value_and_suggests_the_closest(api, param, value, message):
    entry = error(api.get(reverse("statement-list"), {param: value}))

    assert entry == {"field": param, "code": "invalid_choice", "message": message}


def test_an_unknown_slug_among_repeated_officials_is_named_with_a_suggestion(api):
    entry = error(api.get(reverse("meeting-list"), {"official": ["jens-stoltenberg", "antony-blinkn"]}))

    assert entry == {
        "field": "official",
        "code": "invalid_choice",
        "message": "No official has the slug “antony-blinkn”. Did you mean antony-blinken?",
    }


def test_suggestions_read_a_bounded_number_of_slugs_in_at_most_three_queries():
    factories.OfficialFactory.create_batch(CANDIDATES + 50, name="Someone")

    with CaptureQueriesContext(connection) as queries:
        suggested = closest_slugs(Official.objects.all(), "synthetic-official-x")

    assert len(queries) == 3
    assert all(f"LIMIT {CANDIDATES}" in query["sql"] for query in queries)
    assert len(suggested) == 3
    assert all(slug.startswith("synthetic-official-") for slug in suggested)


@pytest.mark.parametrize(
    ("param", "value"),
    [("date", "June 2022"), ("date_after", "yesterday"), ("date_before", "2022-02-30")],
)
def test_a_malformed_date_shows_the_value_and_the_format(api, param, value):
    entry = error(api.get(reverse("meeting-list"), {param: value}))

    assert entry == {
        "field": param,
        "code": "invalid",
        "message": f"“{value}” is not a date: use YYYY-MM-DD, e.g. 2022-06-01.",
    }


def test_an_unknown_kind_names_the_value_and_lists_the_kinds(api):
    entry = error(api.get(reverse("statement-list"), {"kind": "rumour"}))

    assert entry == {
        "field": "kind",
        "code": "invalid_choice",
        "message": "“rumour” is not a kind of statement. Choose from: quote, paraphrase.",
    }


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("date", "50%", "“50%” is not a date: use YYYY-MM-DD, e.g. 2022-06-01."),
        (
            "speaker",
            "100%-sure",
            "No official has the slug “100%-sure”. The officials are listed at /officials/.",
        ),
    ],
)
def test_a_value_with_a_percent_sign_is_named_in_a_400_not_a_500(api, param, value, message):
    # Found by schemathesis: django-filter %-formats each message, and the value was in it.
    url = reverse("meeting-calendar") if param == "date" else reverse("statement-list")

    entry = error(api.get(url, {param: value}))

    assert entry["message"] == message
