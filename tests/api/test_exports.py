"""Exports and facets: CSV for every list, the iCalendar feed, facet counts."""

import csv
import datetime
import io

import icalendar
import pytest
from django.urls import reverse

from briefing.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db

PENTAGON = "stoltenberg-austin-pentagon-meeting-2022-06-02"


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_meetings_csv_has_flat_columns_and_honours_filters(api):
    rows = csv_rows(api.get(reverse("meeting-list"), {"format": "csv", "official": "lloyd-austin"}))
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [
        "slug", "url", "title", "date", "date_precision", "date_as_reported", "kind", "location", "city",
        "inferred", "summary", "participants", "participants_complete", "topics", "articles", "statement_count",
    ]  # fmt: skip
    assert (
        row["participants"]
        == "jens-stoltenberg (NATO Secretary General);lloyd-austin (US Secretary of Defense)"
    )
    assert row["topics"].split(";")[:2] == ["nato-unity", "burden-sharing"]
    assert (row["slug"], row["date"], row["statement_count"]) == (PENTAGON, "2022-06-02", "7")


def test_statements_csv_returns_every_row_not_a_page(api):
    rows = csv_rows(api.get(reverse("statement-list"), HTTP_ACCEPT="text/csv"))
    assert len(rows) == 40
    assert {r["speaker"] for r in rows} == {"jens-stoltenberg", "antony-blinken", "lloyd-austin"}


def test_csv_honours_sparse_fields(api):
    rows = csv_rows(api.get(reverse("official-list"), {"format": "csv", "fields": "slug,organization"}))
    assert rows[0] == {"slug": "antony-blinken", "organization": "us-department-of-state"}


@pytest.mark.parametrize("name", ["meeting", "statement", "official", "topic", "article", "organization"])
def test_every_list_exports_csv(api, name):
    assert csv_rows(api.get(reverse(f"{name}-list"), {"format": "csv"}))


def test_csv_queries_do_not_grow_with_rows(api, many_rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        csv_rows(api.get(reverse("meeting-list"), {"format": "csv"}))


def test_ical_feed_round_trips_the_meeting(api):
    response = api.get(reverse("meeting-calendar"), {"official": "lloyd-austin"})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Jens Stoltenberg meets Lloyd J. Austin III at the Pentagon"
    assert event.decoded("dtstart") == datetime.date(2022, 6, 2)
    assert event.decoded("dtend") == datetime.date(2022, 6, 3)
    assert str(event["location"]) == "The Pentagon, Washington D.C."
    assert str(event["url"]) == f"http://testserver/meetings/{PENTAGON}/"
    assert str(event["uid"]) == f"{PENTAGON}@testserver"
    assert "Lloyd J. Austin III (US Secretary of Defense)" in str(event["description"])


def test_ical_feed_holds_every_filtered_meeting(api):
    response = api.get(reverse("meeting-calendar"), {"date": "2022-06-01"})
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["uid"]).split("@")[0] for e in events) == [
        "stoltenberg-blinken-meeting-2022-06-01",
        "stoltenberg-blinken-press-conference-2022-06-01",
    ]


def test_ical_feed_refuses_an_unknown_filter_value(api):
    response = api.get(reverse("meeting-calendar"), {"official": "nobody"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "official"


def test_meeting_facets_count_the_whole_filtered_set(api):
    body = api.get(reverse("meeting-list"), {"facet": ["official", "date"], "page_size": 1}).json()
    assert len(body["results"]) == 1
    officials = {f["value"]: f["count"] for f in body["facets"]["official"]}
    assert officials["jens-stoltenberg"] == 4
    assert officials["antony-blinken"] == 2
    assert body["facets"]["date"] == [{"value": "2022-06", "label": "June 2022", "count": 4}]


def test_statement_facets_follow_the_filters(api):
    body = api.get(
        reverse("statement-list"), {"facet": ["speaker", "kind"], "topic": "nato-enlargement"}
    ).json()
    assert body["facets"]["speaker"] == [
        {"value": "jens-stoltenberg", "label": "Jens Stoltenberg", "count": 8},
        {"value": "antony-blinken", "label": "Antony Blinken", "count": 5},
    ]
    assert {f["value"]: f["label"] for f in body["facets"]["kind"]} == {
        "quote": "Direct quotation",
        "paraphrase": "Reported speech",
    }


def test_each_facet_is_one_query(queries_for, many_rows):
    url = reverse("meeting-list")
    assert queries_for(f"{url}?facet=topic&facet=city") == queries_for(url) + 2


def test_unknown_facet_is_a_400(api):
    response = api.get(reverse("meeting-list"), {"facet": "colour"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "facet"


def test_statement_facets_count_a_full_text_search(api):
    body = api.get(reverse("statement-list"), {"search": "bended knee", "facet": "speaker"}).json()
    assert len(body["results"]) == 1
    assert body["facets"]["speaker"] == [
        {"value": "lloyd-austin", "label": "Lloyd J. Austin III", "count": 1}
    ]


def test_ical_feed_leaves_out_meetings_without_a_known_day(api):
    factories.MeetingFactory(slug="some-wednesday", date=None, date_precision="unknown")
    factories.MeetingFactory(slug="in-july-2018", date=datetime.date(2018, 7, 1), date_precision="month")
    calendar = icalendar.Calendar.from_ical(api.get(reverse("meeting-calendar")).content)
    uids = {str(event["uid"]).split("@")[0] for event in calendar.walk("VEVENT")}
    assert uids == set(Meeting.objects.filter(date_precision="day").values_list("slug", flat=True))
    assert not {"some-wednesday", "in-july-2018"} & uids
