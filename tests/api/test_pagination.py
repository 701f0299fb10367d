"""Cursor pagination: the cursors the API issues walk every list; any other cursor is a 400 problem.

A cursor carries a position that goes into the page's query, so one the API did not issue (for
this list, in this order) must be refused before it gets there, never answered with a 500.
"""

import base64
import datetime

import pytest
from django.urls import reverse

from api.urls import router
from tests import factories

pytestmark = pytest.mark.django_db


def drf_cursor(querystring: str) -> str:
    """A cursor in DRF's own unsigned format (base64 of a query string), as the issue forged them."""
    return base64.b64encode(querystring.encode()).decode()


FORGED = {
    "not base64": "not-a-cursor",
    "date position that is no date": drf_cursor("p=notadate"),
    "number position that is no number": drf_cursor("p=abc"),
    "offset that is no number": drf_cursor("o=x"),
    "negative offset": drf_cursor("o=-5"),
    "direction that is no flag": drf_cursor("r=maybe"),
    "position too large for any column": drf_cursor("p=" + "9" * 40),
    "valid in DRF's format but unsigned": drf_cursor("o=1"),
    "NUL": "\x00",
    "non-ASCII": "é",
    "empty": "",
    "very long": "A" * 5000,
}

# Every list, in its default order and in each order it offers.
LISTS = [
    (basename, ordering)
    for _, viewset, basename in router.registry
    for ordering in [None, *viewset.ordering_fields, *(f"-{f}" for f in viewset.ordering_fields)]
]

INVALID_CURSOR = {
    "type": "https://summit-briefing.example/problems/validation-error",
    "title": "Bad Request",
    "status": 400,
    "detail": "The request has invalid parameters or fields.",
    "code": "validation_error",
    "errors": [
        {
            "field": "cursor",
            "code": "invalid",
            "message": "Invalid cursor: use the `next` or `previous` link as given, with the same ordering.",
        }
    ],
}


def list_query(ordering: str | None, **params) -> dict:
    return {**({"ordering": ordering} if ordering else {}), **params}


def history_url(basename: str) -> str:
    """The history of some object of the collection (the seed data has one of each)."""
    viewset = dict((b, v) for _, v, b in router.registry)[basename]
    obj = viewset.queryset.model.objects.order_by("pk").first()
    key = getattr(obj, viewset.lookup_field if viewset.lookup_field != "pk" else "pk")
    return reverse(f"{basename}-history", args=[key])


@pytest.mark.parametrize("cursor", list(FORGED.values()), ids=list(FORGED))
@pytest.mark.parametrize(("basename", "ordering"), LISTS)
def test_forged_cursor_on_any_list_and_order_is_a_400_problem(api, basename, ordering, cursor):
    response = api.get(reverse(f"{basename}-list"), list_query(ordering, cursor=cursor))

    assert (response.status_code, response.json()) == (400, INVALID_CURSOR)


@pytest.mark.parametrize("cursor", list(FORGED.values()), ids=list(FORGED))
@pytest.mark.parametrize("basename", [basename for _, _, basename in router.registry])
def test_forged_cursor_on_any_history_is_a_400_problem(api, basename, cursor):
    response = api.get(history_url(basename), {"cursor": cursor})

    assert (response.status_code, response.json()) == (400, INVALID_CURSOR)


def walk(api, url: str, params: dict, link: str = "next") -> list[dict]:
    """Every page from ``url`` on, following ``link``; each answer must be a 200."""
    pages, response = [], api.get(url, params)
    while True:
        assert response.status_code == 200, (response.request, response.content[:300])
        pages.append(response.json())
        if not pages[-1][link]:
            return pages
        response = api.get(pages[-1][link])


@pytest.fixture
def rows_without_dates(db):
    """Articles without a publication date and statements without a date, which sort first."""
    for _ in range(3):
        article = factories.ArticleFactory(published_on=None)
        factories.statement_for(article, factories.OfficialFactory())


@pytest.mark.parametrize(("basename", "ordering"), LISTS)
def test_issued_cursors_walk_every_list_losing_nothing(api, rows_without_dates, basename, ordering):
    url = reverse(f"{basename}-list")
    everything = api.get(url, list_query(ordering, page_size=100)).json()["results"]

    pages = walk(api, url, list_query(ordering, page_size=3))

    assert [item for page in pages for item in page["results"]] == everything


def test_issued_cursors_walk_a_history_page_by_page(api):
    topic = factories.TopicFactory()
    for n in range(4):
        topic.description = f"Edit {n}."
        topic.save()
    url = reverse("topic-history", args=[topic.slug])

    pages = walk(api, url, {"page_size": 1})

    assert [page["results"][0]["type"] for page in pages] == ["changed"] * 4 + ["created"]


def test_cursor_issued_for_one_order_is_refused_in_another(api):
    url = reverse("meeting-list")
    cursor = (
        api.get(url, {"ordering": "title", "page_size": 1}).json()["next"].split("cursor=")[1].split("&")[0]
    )

    response = api.get(url, {"ordering": "date", "page_size": 1, "cursor": cursor})

    assert (response.status_code, response.json()) == (400, INVALID_CURSOR)


def test_cursor_issued_for_one_list_is_refused_by_another(api):
    cursor = api.get(reverse("official-list"), {"page_size": 1}).json()["next"].split("cursor=")[1]

    response = api.get(reverse("topic-list"), {"page_size": 1, "cursor": cursor})

    assert (response.status_code, response.json()) == (400, INVALID_CURSOR)


def test_cursor_with_a_tampered_signature_is_refused(api):
    url = reverse("statement-list")
    cursor = api.get(url, {"page_size": 1}).json()["next"].split("cursor=")[1].split("&")[0]
    tampered = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")

    response = api.get(url, {"page_size": 1, "cursor": tampered})

    assert (response.status_code, response.json()) == (400, INVALID_CURSOR)


def test_statement_search_results_walk_by_cursor_losing_nothing(api, rows_without_dates):
    # On PostgreSQL the order is by relevance, a float the cursor must carry faithfully.
    url = reverse("statement-list")
    everything = api.get(url, {"search": "NATO", "page_size": 100}).json()["results"]

    pages = walk(api, url, {"search": "NATO", "page_size": 4})

    assert len(everything) > 4
    assert [item for page in pages for item in page["results"]] == everything


def test_articles_without_a_publication_date_sort_as_the_oldest(api, rows_without_dates):
    factories.ArticleFactory(published_on=datetime.date(2020, 5, 1))
    response = api.get(reverse("article-list"), {"ordering": "published_on", "page_size": 100})

    dates = [item["published_on"] for item in response.json()["results"]]
    known = [d for d in dates if d is not None]
    assert dates == [None] * (len(dates) - len(known)) + sorted(known)
    assert len(known) < len(dates)
