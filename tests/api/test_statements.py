"""/statements/: representation, filters, full-text search, pagination and query counts."""

import pytest
from django.db import connection
from django.urls import reverse

from briefing.models import Statement

pytestmark = pytest.mark.django_db

PRESS = "stoltenberg-blinken-press-conference-2022-06-01"
ARTICLE = "nato-secretary-general-visits-washington-2022"


def texts(response):
    assert response.status_code == 200, response.content
    return [item["text"] for item in response.json()["results"]]


def test_statement_detail_has_the_documented_representation(api):
    statement = Statement.objects.get(text__startswith="I am confident that we will find")
    response = api.get(reverse("statement-detail", args=[statement.pk]))
    meeting = "stoltenberg-blinken-meeting-2022-06-01"
    assert response.json() == {
        "id": statement.pk,
        "url": f"http://testserver/statements/{statement.pk}/",
        "text": "I am confident that we will find a united way forward.",
        "kind": "quote",
        "speaker": {
            "slug": "jens-stoltenberg",
            "name": "Jens Stoltenberg",
            "url": "http://testserver/officials/jens-stoltenberg/",
        },
        "meeting": {
            "slug": meeting,
            "title": "Jens Stoltenberg meets Antony Blinken",
            "date": "2022-06-01",
            "url": f"http://testserver/meetings/{meeting}/",
        },
        "article": {
            "slug": ARTICLE,
            "title": "NATO Secretary General visits Washington D.C.",
            "url": f"http://testserver/articles/{ARTICLE}/",
        },
        "topics": [
            {
                "slug": "finland-sweden-applications",
                "name": "Finland and Sweden's membership applications",
                "url": "http://testserver/topics/finland-sweden-applications/",
            }
        ],
        "date": "2022-06-01",
        "position": 6,
        "start": 1440,
        "end": 1494,
    }


def test_statement_without_a_meeting_has_null_meeting_and_date(api):
    statement = Statement.objects.get(text__startswith="We must continue to invest")
    body = api.get(reverse("statement-detail", args=[statement.pk])).json()
    assert (body["meeting"], body["date"]) == (None, None)


def test_statements_filter_by_speaker_and_meeting(api):
    response = api.get(
        reverse("statement-list"),
        {"speaker": "jens-stoltenberg", "meeting": PRESS, "kind": "quote", "ordering": "position"},
    )
    assert [t[:25] for t in texts(response)] == [
        "Today, we also discussed ",
        "We will agree NATO’s next",
        "The United States is play",
        "I also welcome the latest",
        "Let me thank the United S",
        "For the seventh consecuti",
        "President Putin wanted le",
        "The decisions by Finland ",
    ]


def test_statements_filter_by_topic_includes_sub_topics(api):
    response = api.get(reverse("statement-list"), {"topic": "nato-enlargement", "page_size": 100})
    speakers = {item["speaker"]["slug"] for item in response.json()["results"]}
    assert len(response.json()["results"]) == 13
    assert speakers == {"jens-stoltenberg", "antony-blinken"}


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"kind": "paraphrase"}, 10),
        ({"date_after": "2022-06-02"}, 9),
        ({"date_before": "2022-06-01"}, 30),
        ({"article": ARTICLE}, 40),
        ({"speaker": "lloyd-austin"}, 6),
    ],
)
def test_statements_filter_counts(api, params, count):
    response = api.get(reverse("statement-list"), {**params, "page_size": 100})
    assert len(response.json()["results"]) == count


def test_statements_search_finds_the_words(api):
    assert texts(api.get(reverse("statement-list"), {"search": "bended knee"})) == [
        "We couldn’t have done what’s been done, Jens, quite frankly, without your strong leadership. "
        "And that’s why we got on bended knee and asked you to stay a year longer, and we’re grateful "
        "for you doing that."
    ]


def test_statements_search_with_no_match_is_empty(api):
    assert texts(api.get(reverse("statement-list"), {"search": "';DROP TABLE briefing_statement;--"})) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ts_rank's order (SQLite ranks by bm25; tests/briefing/test_search.py stems on both)",
)
def test_statements_full_text_search_stems_and_ranks(api):
    # "applying" matches "apply" only through stemming; the statement naming both countries twice ranks first.
    results = texts(api.get(reverse("statement-list"), {"search": "Sweden applying"}))
    assert results[0].startswith("The decisions by Finland and Sweden to apply")
    assert all("Sweden" in text for text in results)


def test_paging_through_statements_loses_and_repeats_nothing(api):
    seen, url = [], reverse("statement-list") + "?page_size=7"
    while url:
        body = api.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 40
    assert set(seen) == set(Statement.objects.values_list("pk", flat=True))


def test_paging_back_returns_the_previous_page(api):
    first = api.get(reverse("statement-list"), {"page_size": 5}).json()
    second = api.get(first["next"]).json()
    assert api.get(second["previous"]).json()["results"] == first["results"]


@pytest.mark.parametrize("page_size", ["0", "-1", "101", "10000000000000000000000", "ten"])
def test_out_of_range_page_size_is_a_400(api, page_size):
    response = api.get(reverse("statement-list"), {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "page_size", "code": "invalid", "message": "Must be a whole number from 1 to 100."}
    ]


def test_forged_cursor_is_a_400(api):
    response = api.get(reverse("statement-list"), {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_statement_list_queries_do_not_grow_with_page_size(queries_for, many_rows):
    url = reverse("statement-list")
    # The page's keys, its rows with speaker, meeting and article, their topics.
    assert queries_for(f"{url}?page_size=1") == queries_for(f"{url}?page_size=50") == 3
