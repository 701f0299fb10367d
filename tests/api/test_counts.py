"""`?count=true`: an opt-in total on every list, bounded in cost (counted up to a cap)."""

import pytest
from django.urls import reverse

from api import counting
from briefing.models import Article, Meeting, Official, Organization, Statement, Topic
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = {
    "meeting-list": Meeting,
    "statement-list": Statement,
    "official-list": Official,
    "topic-list": Topic,
    "article-list": Article,
    "organization-list": Organization,
}


@pytest.mark.parametrize(("name", "model"), LISTS.items())
def test_count_true_adds_the_number_of_items_the_filters_select(api, name, model):
    body = api.get(reverse(name), {"count": "true", "page_size": 1}).json()

    assert (body["count"], body["count_exact"]) == (model.objects.count(), True)
    assert list(body)[:2] == ["count", "count_exact"]


def test_count_counts_the_filtered_set_not_the_page(api):
    article = factories.ArticleFactory()
    meetings = factories.MeetingFactory.create_batch(7)
    article.meetings.add(*meetings)

    body = api.get(reverse("meeting-list"), {"article": article.slug, "count": "true", "page_size": 2}).json()

    assert (body["count"], body["count_exact"], len(body["results"])) == (7, True, 2)


def test_beyond_the_cap_the_count_says_at_least_the_cap(api, monkeypatch):
    monkeypatch.setattr(counting.CountingPaginationMixin, "count_cap", 3)
    article = factories.ArticleFactory()
    article.meetings.add(*factories.MeetingFactory.create_batch(5))

    body = api.get(reverse("meeting-list"), {"article": article.slug, "count": "true"}).json()

    assert (body["count"], body["count_exact"]) == (3, False)


def test_the_cap_is_ten_thousand():
    assert counting.COUNT_CAP == 10_000


def test_without_count_a_list_has_no_count(api):
    body = api.get(reverse("meeting-list"), {"count": "false"}).json()

    assert "count" not in body
    assert "count_exact" not in body
    assert list(body) == ["next", "previous", "results"]


def test_count_costs_one_query_whatever_the_page_size(queries_for, many_rows):
    url = reverse("meeting-list")

    assert queries_for(f"{url}?page_size=1&count=true") == queries_for(f"{url}?page_size=1") + 1
    assert queries_for(f"{url}?page_size=50&count=true") == queries_for(f"{url}?page_size=1&count=true")


def test_count_works_with_search_and_facets(api):
    body = api.get(
        reverse("statement-list"), {"search": "bended knee", "facet": "speaker", "count": "true"}
    ).json()

    assert (body["count"], body["count_exact"]) == (1, True)
    assert body["facets"]["speaker"][0]["count"] == 1


def test_a_count_that_is_not_true_or_false_is_a_400_naming_it(api):
    response = api.get(reverse("meeting-list"), {"count": "maybe"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "count", "code": "invalid", "message": "Must be true or false, not “maybe”."}
    ]


def test_a_history_list_counts_its_records(api, admin_user):
    api.force_authenticate(admin_user)
    api.patch(reverse("topic-detail", args=["nato-enlargement"]), {"description": "Edited."}, format="json")

    body = api.get(reverse("topic-history", args=["nato-enlargement"]), {"count": "true"}).json()

    assert (body["count"], body["count_exact"]) == (len(body["results"]), True)
    assert body["count"] >= 1
