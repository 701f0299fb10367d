"""Walk every page of a list with the generated Python client.

Shipped inside the generated package as ``summit_briefing_client.pages`` (sdk/generate.sh
copies it there), so it imports the client's own types and nothing of the app::

    from summit_briefing_client import Client
    from summit_briefing_client.api.statements import statements_list
    from summit_briefing_client.pages import all_items

    api = Client(base_url="http://127.0.0.1:8000")
    for statement in all_items(statements_list, client=api, speaker="jens-stoltenberg"):
        print(statement.id, statement.text)

Any list operation works (``meetings_list``, ``officials_list``, the ``*_history`` ones …) with
its filters as keyword arguments. Each page's ``next`` link carries the position; its
``cursor`` parameter is passed back as it stands (cursors are URL-safe: nothing to decode).
"""

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .types import UNSET


class PageError(Exception):
    """A page answered something other than 200: ``response`` holds it (``parsed`` is a Problem)."""

    def __init__(self, response):
        self.response = response
        problem = response.parsed
        detail = getattr(problem, "detail", None) or response.content[:200]
        super().__init__(f"{response.status_code.value}: {detail}")


def cursor_of(link: str | None) -> str | None:
    """The ``cursor`` parameter of a ``next`` or ``previous`` link; None when there is no link."""
    if not link:
        return None
    return parse_qs(urlsplit(link).query).get("cursor", [None])[0]


def all_pages(operation, *, client, **params: Any) -> Iterator[Any]:
    """Each page of a list ``operation`` (a generated module such as ``meetings_list``), in order."""
    cursor = params.pop("cursor", UNSET)
    while True:
        response = operation.sync_detailed(client=client, cursor=cursor, **params)
        if response.status_code != HTTPStatus.OK:
            raise PageError(response)
        page = response.parsed
        yield page
        cursor = cursor_of(page.next_ or None)
        if cursor is None:
            return


def all_items(operation, *, client, **params: Any) -> Iterator[Any]:
    """Every item of a list ``operation``, page after page (``page_size`` up to 100 means fewer requests)."""
    for page in all_pages(operation, client=client, **params):
        yield from page.results
