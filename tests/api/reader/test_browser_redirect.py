"""Browsers at API addresses are sent to the reader; JSON clients get what they always got."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from api.reader.middleware import READER_PAGES

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
PENTAGON = "stoltenberg-austin-pentagon-meeting-2022-06-02"
WITHOUT_READER = [m for m in settings.MIDDLEWARE if m != "api.reader.middleware.BrowserToReaderMiddleware"]


def unsigned(content: bytes) -> bytes:
    """A body with each cursor's value blanked out."""
    return re.sub(rb"cursor=[^&\"]+", b"cursor=...", content)


def without_reader(url: str, **headers):
    """The answer to a GET of ``url`` by a site without the reader's middleware (a client of its own,
    since a client builds its middleware chain once)."""
    with override_settings(MIDDLEWARE=WITHOUT_READER):
        return Client().get(url, **headers)


@pytest.mark.parametrize(
    ("url", "page"),
    [
        ("/", "/read/"),
        (
            "/meetings/?official=jens-stoltenberg&official=lloyd-austin",
            "/read/meetings/?official=jens-stoltenberg&official=lloyd-austin",
        ),
        (f"/meetings/{PENTAGON}/", f"/read/meetings/{PENTAGON}/"),
        (f"/meetings/{PENTAGON}/briefing/", f"/read/meetings/{PENTAGON}/"),
        ("/officials/lloyd-austin/briefing/", "/read/officials/lloyd-austin/"),
        ("/topics/?parent=nato-enlargement", "/read/topics/?parent=nato-enlargement"),
        ("/statements/?search=Finland", "/read/statements/?search=Finland"),
        ("/statements/3/", "/read/statements/3/"),
        ("/articles/", "/read/articles/"),
    ],
)
def test_a_browser_opening_an_api_address_is_sent_to_its_reader_page(client, url, page):
    response = client.get(url, HTTP_ACCEPT=BROWSER)
    assert (response.status_code, response["Location"]) == (303, page)
    assert "Accept" in response["Vary"]


def test_html_alone_is_sent_to_the_reader_instead_of_a_406(client):
    response = client.get("/meetings/", HTTP_ACCEPT="text/html")
    assert (response.status_code, response["Location"]) == (303, "/read/meetings/")


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "application/json, text/html", "text/html;q=0.5, */*"]
)
@pytest.mark.parametrize(
    "url", ["/", "/meetings/?topic=nato-enlargement", f"/meetings/{PENTAGON}/", "/statements/?search=NATO"]
)
def test_json_clients_get_the_same_answer_as_without_the_reader(client, url, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    before = without_reader(url, **headers)
    after = client.get(url, **headers)
    # Cursors are signed with the time of signing: only their signatures may differ.
    assert (after.status_code, after["Content-Type"], unsigned(after.content)) == (
        before.status_code,
        before["Content-Type"],
        unsigned(before.content),
    )
    if after.content == before.content:
        assert after.get("ETag") == before.get("ETag")
    # A cache must not hand this JSON to a browser, which is sent elsewhere for the same address.
    assert ("Accept" in before["Vary"], "Accept" in after["Vary"]) == (False, True)
    assert after["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("url", "accept", "content_type"),
    [
        ("/meetings/?format=json", BROWSER, "application/json"),
        ("/meetings/?format=csv", BROWSER, "text/csv; charset=utf-8"),
        ("/meetings/", "text/csv", "text/csv; charset=utf-8"),
        (f"/meetings/{PENTAGON}/briefing/", "text/markdown, text/html;q=0.9", "text/markdown; charset=utf-8"),
        (f"/meetings/{PENTAGON}/briefing/?format=md", BROWSER, "text/markdown; charset=utf-8"),
    ],
)
def test_a_named_format_is_answered_even_to_a_browser(client, url, accept, content_type):
    response = client.get(url, HTTP_ACCEPT=accept)
    assert (response.status_code, response["Content-Type"]) == (200, content_type)
    assert "Accept" in response["Vary"]


def test_a_browsers_write_is_not_redirected(client):
    response = client.post("/topics/", {}, content_type="application/json", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("url", ["/organizations/", "/meetings.ics", "/export/popolo.json", "/schema/"])
def test_addresses_without_a_reader_page_are_left_alone(client, url):
    before = without_reader(url, HTTP_ACCEPT=BROWSER)
    after = client.get(url, HTTP_ACCEPT=BROWSER)
    assert (after.status_code, after.content, after.get("Vary")) == (
        before.status_code,
        before.content,
        before.get("Vary"),
    )


def test_every_api_route_with_a_reader_page_names_routes_that_exist():
    for api_route, page in READER_PAGES.items():
        kwargs = (
            {}
            if api_route.endswith(("-list", "-root"))
            else {"pk": 1}
            if "statement" in api_route
            else {"slug": "x"}
        )
        assert reverse(api_route, kwargs=kwargs)
        assert reverse(page, kwargs=kwargs)
