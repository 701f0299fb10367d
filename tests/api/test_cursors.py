"""Cursors in `next` and `previous` links are usable as they are, also cut out by hand.

A cursor was standard base64: its `=`, `+` and `/` are percent-encoded in a link (`%3D`), so
a cursor copied out of `next` and handed to a client (the generated SDK among them) that
encodes its parameters again arrived as `%253D` and was refused with a 400. Cursors are now
URL-safe base64 without padding, which a URL carries unchanged; cursors in the old encoding
are still accepted.
"""

import base64
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Unreserved characters (RFC 3986): nothing a link or a client would percent-encode.
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
LISTS = ["official-list", "statement-list", "meeting-list", "topic-list", "organization-list"]


def links(api, name: str, **params) -> list[str]:
    """Every `next` and `previous` link met paging through a list one item at a time."""
    found, url = [], reverse(name)
    body = api.get(url, {"page_size": 1, **params}).json()
    while body["next"]:
        found += [body["next"]] + ([body["previous"]] if body["previous"] else [])
        body = api.get(body["next"]).json()
    return found


def cut_by_hand(link: str) -> str:
    """The characters between `cursor=` and the next `&`, as a person copies them."""
    return link.split("cursor=", 1)[1].split("&", 1)[0]


@pytest.mark.parametrize("name", LISTS)
def test_every_cursor_in_a_link_is_url_safe_as_it_stands(api, name):
    cursors = [cut_by_hand(link) for link in links(api, name)]

    assert cursors
    assert [c for c in cursors if not URL_SAFE.fullmatch(c)] == []


@pytest.mark.parametrize("name", LISTS)
def test_a_cursor_cut_out_of_next_by_hand_gives_the_next_page(api, name):
    for link in links(api, name):
        followed = api.get(link).json()

        # The client encodes the parameter again, as the generated SDK does.
        handed = api.get(reverse(name), {"cursor": cut_by_hand(link), "page_size": 1})

        assert handed.status_code == 200, handed.content
        assert handed.json()["results"] == followed["results"]


@pytest.mark.parametrize("cursor", ["%%%", "not base64!", "bz0tMQ", "cj14", "===="])
def test_a_broken_cursor_is_a_400_problem(api, cursor):
    response = api.get(reverse("official-list"), {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "cursor",
            "code": "invalid",
            "message": "Invalid cursor: use the `next` or `previous` link as given, with the same ordering.",
        }
    ]


@pytest.mark.parametrize("name", ["statement-list", "meeting-list"])
def test_a_forged_cursor_position_the_ordering_cannot_read_is_a_400(api, name):
    forged = base64.urlsafe_b64encode(b"p=not-a-date").decode().rstrip("=")

    response = api.get(reverse(name), {"cursor": forged})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"
