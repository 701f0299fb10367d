"""/meetings/: list, detail, filters, ordering, sparse fields and query counts."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PENTAGON = "stoltenberg-austin-pentagon-meeting-2022-06-02"
WHITE_HOUSE = "white-house-meeting-2022-06-02"
PRESS = "stoltenberg-blinken-press-conference-2022-06-01"
BLINKEN = "stoltenberg-blinken-meeting-2022-06-01"
ARTICLE = "nato-secretary-general-visits-washington-2022"


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_meeting_list_item_has_the_documented_representation(api):
    response = api.get(reverse("meeting-list"), {"official": "lloyd-austin"})
    assert response.json()["results"] == [
        {
            "slug": PENTAGON,
            "url": f"http://testserver/meetings/{PENTAGON}/",
            "title": "Jens Stoltenberg meets Lloyd J. Austin III at the Pentagon",
            "date": "2022-06-02",
            "kind": "bilateral_meeting",
            "location": "The Pentagon",
            "city": "Washington D.C.",
            "summary": "They addressed longer-term support for Ukraine, NATO's work to reset deterrence and "
            "defence, burden-sharing and defence spending, and preparations for the Madrid Summit.",
            "participants": [
                {
                    "official": {
                        "slug": "jens-stoltenberg",
                        "name": "Jens Stoltenberg",
                        "url": "http://testserver/officials/jens-stoltenberg/",
                    },
                    "role": "NATO Secretary General",
                },
                {
                    "official": {
                        "slug": "lloyd-austin",
                        "name": "Lloyd J. Austin III",
                        "url": "http://testserver/officials/lloyd-austin/",
                    },
                    "role": "US Secretary of Defense",
                },
            ],
            "topics": [
                {"slug": t, "name": n, "url": f"http://testserver/topics/{t}/"}
                for t, n in [
                    ("nato-unity", "Allied unity"),
                    ("burden-sharing", "Burden-sharing and defence spending"),
                    ("defence-ministerial", "Defence ministerial"),
                    ("deterrence-and-defence", "Deterrence and defence"),
                    ("madrid-summit", "Madrid Summit 2022"),
                    ("support-for-ukraine", "Support for Ukraine"),
                    ("transatlantic-relations", "Transatlantic relations and US leadership"),
                ]
            ],
            "articles": [
                {
                    "slug": ARTICLE,
                    "title": "NATO Secretary General visits Washington D.C.",
                    "url": f"http://testserver/articles/{ARTICLE}/",
                }
            ],
            "statement_count": 7,
        }
    ]


def test_meetings_list_newest_first_with_ties_broken_by_id(api):
    assert slugs(api.get(reverse("meeting-list"))) == [PENTAGON, WHITE_HOUSE, PRESS, BLINKEN]


def test_meetings_filter_by_two_officials_returns_only_shared_meetings(api):
    response = api.get(reverse("meeting-list"), {"official": ["jens-stoltenberg", "lloyd-austin"]})
    assert slugs(response) == [PENTAGON]


def test_meetings_filter_by_official_and_topic(api):
    response = api.get(reverse("meeting-list"), {"official": "antony-blinken", "topic": "madrid-summit"})
    assert slugs(response) == [PRESS]


def test_meetings_filter_by_topic_includes_sub_topics(api):
    # The Blinken meeting is tagged only with the sub-topic and the parent, the press conference
    # only with the sub-topic "finland-sweden-applications".
    response = api.get(reverse("meeting-list"), {"topic": "nato-enlargement"})
    assert slugs(response) == [WHITE_HOUSE, PRESS, BLINKEN]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date": "2022-06-01"}, [PRESS, BLINKEN]),
        ({"date_after": "2022-06-02"}, [PENTAGON, WHITE_HOUSE]),
        ({"date_before": "2022-06-01"}, [PRESS, BLINKEN]),
        ({"kind": "press_conference"}, [PRESS]),
        ({"city": "washington d.c."}, [PENTAGON, WHITE_HOUSE, PRESS, BLINKEN]),
        ({"article": ARTICLE}, [PENTAGON, WHITE_HOUSE, PRESS, BLINKEN]),
        ({"search": "white house"}, [WHITE_HOUSE]),
        ({"search": "pentagon"}, [PENTAGON]),
        ({"ordering": "date"}, [BLINKEN, PRESS, WHITE_HOUSE, PENTAGON]),
        ({"ordering": "title"}, [BLINKEN, WHITE_HOUSE, PENTAGON, PRESS]),
    ],
)
def test_meetings_filter(api, params, expected):
    assert slugs(api.get(reverse("meeting-list"), params)) == expected


def test_meetings_filter_with_unknown_official_is_a_400_naming_the_value(api):
    response = api.get(reverse("meeting-list"), {"official": "nobody"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "https://summit-briefing.example/problems/validation-error",
        "title": "Bad Request",
        "status": 400,
        "detail": "The request has invalid parameters or fields.",
        "code": "validation_error",
        "errors": [
            {
                "field": "official",
                "code": "invalid_choice",
                "message": "No official has the slug “nobody”. The officials are listed at /officials/.",
            }
        ],
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"topic": "no-such-topic"}, "topic"),
        ({"kind": "picnic"}, "kind"),
        ({"date": "2022-02-30"}, "date"),
        ({"date_after": "yesterday"}, "date_after"),
        ({"ordering": "summary"}, "ordering"),
        ({"colour": "blue"}, "colour"),
        ({"fields": "slug,colour"}, "fields"),
    ],
)
def test_meetings_bad_parameter_is_a_400_naming_it(api, params, field):
    response = api.get(reverse("meeting-list"), params)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_meeting_detail_adds_its_statements_in_article_order(api):
    response = api.get(reverse("meeting-detail", args=[PENTAGON]))
    body = response.json()
    assert body["statement_count"] == 7
    assert [s["text"][:30] for s in body["statements"]] == [
        "Mr. Stoltenberg thanked Secret",
        "You know — but as I think abou",
        "And I want to thank you for ta",
        "In the face of Russia’s unprov",
        "We couldn’t have done what’s b",
        "You know, Putin wanted to weak",
        "I know that there’s been a lot",
    ]
    first = body["statements"][1]
    assert first["speaker"]["slug"] == "lloyd-austin"
    assert first["kind"] == "quote"
    assert first["article"]["slug"] == ARTICLE
    assert first["end"] - first["start"] == len(first["text"])


def test_unknown_meeting_is_a_404_problem(api):
    response = api.get(reverse("meeting-detail", args=["no-such-meeting"]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["status"] == 404


def test_sparse_fields_return_only_what_was_asked(api):
    response = api.get(reverse("meeting-detail", args=[PENTAGON]), {"fields": "slug,date"})
    assert response.json() == {"slug": PENTAGON, "date": "2022-06-02"}


def test_omit_leaves_fields_out(api):
    response = api.get(reverse("meeting-list"), {"omit": "summary,participants,statement_count"})
    item = response.json()["results"][0]
    assert set(item) == {"slug", "url", "title", "date", "kind", "location", "city", "topics", "articles"}


def test_sparse_fields_shrink_the_queries(queries_for):
    full = queries_for(reverse("meeting-list"))
    trimmed = queries_for(reverse("meeting-list") + "?fields=slug,title")
    assert (full, trimmed) == (4, 1)


def test_meeting_list_queries_do_not_grow_with_page_size(queries_for, many_rows):
    url = reverse("meeting-list")
    assert queries_for(f"{url}?page_size=1") == queries_for(f"{url}?page_size=50") == 4


def test_meeting_detail_query_count_is_constant(queries_for, many_rows):
    assert queries_for(reverse("meeting-detail", args=[PENTAGON])) == 5
