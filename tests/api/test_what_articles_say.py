"""What real articles say, answered over the API: unknown and partial dates, posts that change
hands, unnamed speakers, partial participant lists, inferred fields, original sources.

The articles are the constructed gold set (tests/data/gold/, fictional people and places).
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from briefing import services
from tests.conftest import DATA

pytestmark = pytest.mark.django_db

GOLD = DATA / "gold"
DEFENCE = "teravia-valdora-defence-ministers-solmere"  # no date given at all
TAMSIN = "tamsin-first-visit-to-corvenna-2024"  # a post handed over on 4 March 2024
FERRY = "marisca-teravia-ferry-call-2022"  # meetings dated to a year, a month, a day


@pytest.fixture
def gold(db):
    for slug in (DEFENCE, TAMSIN, FERRY):
        services.article_import(path=GOLD / f"{slug}.json")


def results(api, name: str, **params) -> list[dict]:
    response = api.get(reverse(name), {"page_size": 100, **params})
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_a_meeting_whose_date_the_article_does_not_give_is_kept_and_found_by_its_city(api, gold):
    (meeting,) = [
        m
        for m in results(api, "meeting-list", city="Solmere")
        if m["slug"] == "thorsen-rennick-solmere-talks"
    ]
    assert (meeting["date"], meeting["date_precision"], meeting["date_as_reported"]) == (
        None,
        "unknown",
        "on Wednesday",
    )


def test_a_partial_date_is_shown_at_its_precision_never_as_a_made_up_day(api, gold):
    dates = {m["slug"]: (m["date"], m["date_precision"]) for m in results(api, "meeting-list", article=FERRY)}
    assert dates == {
        "orsolo-brenn-2020": ("2020", "year"),
        "bastian-orsolo-solmere-2021-10": ("2021-10", "month"),
        "bastian-orsolo-call-2022-11-28": ("2022-11-28", "day"),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date": "2021-10"}, {"bastian-orsolo-solmere-2021-10"}),
        ({"date": "2021"}, {"bastian-orsolo-solmere-2021-10"}),
        # A month-dated meeting is not found by one of its days: the article does not say which.
        ({"date": "2021-10-15"}, set()),
        ({"date_after": "2021-10-01"}, {"bastian-orsolo-solmere-2021-10", "bastian-orsolo-call-2022-11-28"}),
        ({"date_after": "2021-10-02"}, {"bastian-orsolo-call-2022-11-28"}),
        ({"date_before": "2020-12-31"}, {"orsolo-brenn-2020"}),
        ({"date_precision": "year"}, {"orsolo-brenn-2020"}),
    ],
)
def test_date_filters_match_what_is_known_of_a_partial_date(api, gold, params, expected):
    assert {m["slug"] for m in results(api, "meeting-list", article=FERRY, **params)} == expected


def test_meetings_without_a_date_sort_as_the_oldest_and_their_pages_walk(api, gold):
    slugs, url = [], reverse("meeting-list")
    body = api.get(url, {"page_size": 2, "ordering": "-date"}).json()
    while True:
        slugs += [m["slug"] for m in body["results"]]
        if not body["next"]:
            break
        body = api.get(body["next"]).json()
    undated = {"rennick-brecke-skarholm", "thorsen-rennick-solmere-talks", "orsolo-receives-thorsen-rennick"}
    assert set(slugs[-len(undated) :]) == undated
    assert len(slugs) == len(set(slugs))


def test_who_held_a_post_on_a_day_follows_the_handover(api, gold):
    def holder(day: str) -> list[str]:
        return [o["slug"] for o in results(api, "official-list", post="brannock-foreign-minister", on=day)]

    assert holder("2024-03-04") == ["lior-tamsin"]
    # Koval held it until 3 March, but the article gives no first day: no day is claimed for him.
    assert holder("2024-03-03") == []


def test_a_statement_nobody_is_named_for_has_no_speaker_and_says_so(api, gold):
    unnamed = results(api, "statement-list", article=DEFENCE, attribution="none")
    assert unnamed
    assert {(s["speaker"], s["attribution"]) for s in unnamed} == {(None, "none")}


def test_a_statement_made_after_its_meeting_keeps_its_relation(api, gold):
    after = [s for s in results(api, "statement-list", article=TAMSIN) if s["meeting_relation"] == "after"]
    assert {s["speaker"]["slug"] for s in after} == {"oskar-rennick"}


def test_a_partial_participant_list_is_marked_partial(api, gold):
    meeting = api.get(reverse("meeting-detail", args=["tamsin-amara-amber-hall-2024-03-21"])).json()
    assert meeting["participants_complete"] is False


def test_an_inferred_city_is_marked_inferred(api, gold):
    meeting = api.get(reverse("meeting-detail", args=["rennick-brecke-skarholm"])).json()
    assert (meeting["city"], meeting["inferred"]) == ("Skarholm", ["city"])


def test_every_mention_is_a_span_of_its_article(api, gold):
    article = api.get(reverse("article-detail", args=[TAMSIN])).json()
    assert article["mentions"]
    assert all(article["body"][m["start"] : m["end"]] == m["text"] for m in article["mentions"])


def test_an_unnamed_speaker_can_be_written_through_the_api(gold):
    client = APIClient()
    client.force_authenticate(User.objects.create_superuser("unnamed-writer"))
    body = client.get(reverse("article-detail", args=[TAMSIN])).json()["body"]
    text = body[100:140]

    response = client.post(
        reverse("statement-list"),
        {"article": TAMSIN, "speaker": None, "kind": "paraphrase", "text": text, "start": 100},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["speaker"], response.json()["attribution"]) == (None, "none")


def test_a_meeting_with_a_month_for_a_date_can_be_written_through_the_api(gold):
    client = APIClient()
    client.force_authenticate(User.objects.create_superuser("month-writer"))
    response = client.post(
        reverse("meeting-list"),
        {
            "slug": "ferry-talks-later",
            "title": "Ferry talks, later",
            "date": "2023-02",
            "date_as_reported": "in February",
            "kind": "call",
            "participants": [{"official": "aurelio-bastian", "role": "Prime Minister"}],
            "participants_complete": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["date"], body["date_precision"], body["participants_complete"]) == (
        "2023-02",
        "month",
        False,
    )
