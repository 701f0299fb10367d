"""/topics/, /articles/ and /organizations/: representations, filters and query counts."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ARTICLE = "nato-secretary-general-visits-washington-2022"


def test_topic_detail_has_parent_children_and_counts(api):
    assert api.get(reverse("topic-detail", args=["madrid-summit"])).json() == {
        "slug": "madrid-summit",
        "url": "http://testserver/topics/madrid-summit/",
        "name": "Madrid Summit 2022",
        "description": "The NATO Summit of Allied leaders in Madrid, June 2022.",
        "parent": {
            "slug": "nato-meetings",
            "name": "NATO meetings",
            "url": "http://testserver/topics/nato-meetings/",
        },
        "children": [
            {
                "slug": "strategic-concept",
                "name": "Strategic Concept 2022",
                "url": "http://testserver/topics/strategic-concept/",
            }
        ],
        "meeting_count": 3,
        "statement_count": 3,
    }


def test_topics_filter_by_parent_lists_direct_sub_topics(api):
    response = api.get(reverse("topic-list"), {"parent": "russia-war-in-ukraine"})
    assert [t["slug"] for t in response.json()["results"]] == [
        "nato-unity",
        "humanitarian-crisis",
        "support-for-ukraine",
    ]


def test_topics_search(api):
    response = api.get(reverse("topic-list"), {"search": "cyber"})
    assert [t["slug"] for t in response.json()["results"]] == ["cyber-defence"]


def test_article_list_item_has_metadata_and_counts(api):
    assert api.get(reverse("article-list")).json()["results"] == [
        {
            "slug": ARTICLE,
            "url": f"http://testserver/articles/{ARTICLE}/",
            "title": "NATO Secretary General visits Washington D.C.",
            "publisher": "",
            "original_source": "",
            "source_url": None,
            "published_on": None,
            "meeting_count": 4,
            "statement_count": 40,
        }
    ]


def test_article_detail_has_body_meetings_and_statements_in_order(api):
    body = api.get(reverse("article-detail", args=[ARTICLE])).json()
    assert body["body"].startswith("NATO Secretary General Jens Stoltenberg meets with the President")
    assert len(body["meetings"]) == 4
    assert [s["start"] for s in body["statements"]] == sorted(s["start"] for s in body["statements"])
    assert all(body["body"][s["start"] : s["end"]] == s["text"] for s in body["statements"])


def test_organization_detail_lists_officials_and_sub_organizations(api):
    body = api.get(reverse("organization-detail", args=["united-states"])).json()
    assert body["parent"] is None
    assert [c["slug"] for c in body["children"]] == [
        "white-house",
        "us-department-of-defense",
        "us-department-of-state",
    ]
    assert body["officials"] == []
    assert body["official_count"] == 0


def test_organizations_filter_by_kind(api):
    response = api.get(reverse("organization-list"), {"kind": "intergovernmental"})
    assert [o["slug"] for o in response.json()["results"]] == ["european-union", "nato"]


@pytest.mark.parametrize(
    ("name", "detail_args"),
    [("topic", ["madrid-summit"]), ("article", [ARTICLE]), ("organization", ["nato"])],
)
def test_list_and_detail_query_counts_do_not_grow_with_page_size(queries_for, many_rows, name, detail_args):
    url = reverse(f"{name}-list")
    assert queries_for(f"{url}?page_size=1") == queries_for(f"{url}?page_size=50")
    assert queries_for(reverse(f"{name}-detail", args=detail_args)) <= 4
