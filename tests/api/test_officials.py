"""/officials/: list, detail with meetings and recent statements, filters, query counts."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_official_list_item_has_counts_and_organization(api):
    response = api.get(reverse("official-list"), {"search": "austin"})
    assert response.json()["results"] == [
        {
            "slug": "lloyd-austin",
            "url": "http://testserver/officials/lloyd-austin/",
            "name": "Lloyd J. Austin III",
            "title": "US Secretary of Defense",
            "organization": {
                "slug": "us-department-of-defense",
                "name": "U.S. Department of Defense",
                "url": "http://testserver/organizations/us-department-of-defense/",
            },
            "meeting_count": 1,
            "statement_count": 6,
        }
    ]


def test_official_detail_lists_meetings_with_the_role_held(api):
    body = api.get(reverse("official-detail", args=["antony-blinken"])).json()
    assert [(m["meeting"]["slug"], m["role"]) for m in body["meetings"]] == [
        ("stoltenberg-blinken-press-conference-2022-06-01", "US Secretary of State"),
        ("stoltenberg-blinken-meeting-2022-06-01", "US Secretary of State"),
    ]
    assert (body["meeting_count"], body["statement_count"]) == (2, 16)


def test_official_detail_shows_ten_most_recent_statements(api):
    body = api.get(reverse("official-detail", args=["jens-stoltenberg"])).json()
    dates = [s["date"] for s in body["recent_statements"]]
    assert len(dates) == 10
    assert dates[:2] == ["2022-06-02", "2022-06-02"]
    assert dates == sorted(dates, key=lambda d: d or "", reverse=True)


def test_officials_filter_by_organization(api):
    response = api.get(reverse("official-list"), {"organization": "white-house"})
    assert [o["slug"] for o in response.json()["results"]] == ["jake-sullivan", "joe-biden", "kamala-harris"]


def test_officials_filter_by_unknown_organization_is_a_400(api):
    response = api.get(reverse("official-list"), {"organization": "kremlin"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "organization"


def test_official_list_queries_do_not_grow_with_page_size(queries_for, many_rows):
    url = reverse("official-list")
    # The page's keys, then its rows with their organizations and counts.
    assert queries_for(f"{url}?page_size=1") == queries_for(f"{url}?page_size=50") == 2


def test_official_detail_query_count_is_constant(queries_for, many_rows):
    assert queries_for(reverse("official-detail", args=["jens-stoltenberg"])) == 3


def test_official_detail_lists_at_most_twenty_latest_meetings(api):
    from briefing.models import Official
    from tests import factories

    official = Official.objects.get(slug="jake-sullivan")
    for meeting in factories.MeetingFactory.create_batch(25):
        factories.ParticipationFactory(meeting=meeting, official=official, role="National Security Adviser")
    body = api.get(reverse("official-detail", args=["jake-sullivan"])).json()
    dates = [m["meeting"]["date"] for m in body["meetings"]]
    assert body["meeting_count"] == 26
    assert len(dates) == 20
    assert dates == sorted(dates, reverse=True)
