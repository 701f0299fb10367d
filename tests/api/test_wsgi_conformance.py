"""Every answer is valid WSGI (PEP 3333), as the strictest documented server requires.

The test client does not check what Django hands the server; ``wsgiref.validate`` does (exact
``str`` header values among others), in process and on the suite's database. Django's
development server applies the same header check, and once answered every create with a 500
because a ``Location`` value was a ``str`` subclass (tests/test_documented_servers.py runs the
real servers).
"""

import io
import json
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

ARTICLE = "nato-secretary-general-visits-washington-2022"
PENTAGON = "stoltenberg-austin-pentagon-meeting-2022-06-02"


def wsgi_request(
    method: str, path: str, *, body: dict | None = None, token: str | None = None, query: str = ""
):
    """(status, headers, body) of one request through Django under a PEP 3333 validator."""
    payload = json.dumps(body).encode() if body is not None else b""
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "HTTP_HOST": "testserver",
        "CONTENT_LENGTH": str(len(payload)),
        "wsgi.input": io.BytesIO(payload),
    }
    if body is not None:
        environ["CONTENT_TYPE"] = "application/json"
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Token {token}"
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)
        return lambda data: None

    # As Django's test client does: the end of a request must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        chunks = validator(WSGIHandler())(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            chunks.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return int(answer["status"].split()[0]), dict(answer["headers"]), content


@pytest.fixture
def superuser_token(admin_user):
    return Token.objects.create(user=admin_user).key


CREATES = {
    "topic": {"slug": "arctic-security", "name": "Arctic security"},
    "organization": {"slug": "canada", "name": "Government of Canada", "kind": "government"},
    "statement": {
        "article": ARTICLE,
        "speaker": "lloyd-austin",
        "kind": "paraphrase",
        "text": "I’ve never seen NATO more energized, more united",
    },
}


@pytest.mark.parametrize("basename", CREATES)
def test_a_create_answers_201_with_a_native_string_location(basename, superuser_token):
    status, headers, content = wsgi_request(
        "POST", reverse(f"{basename}-list"), body=CREATES[basename], token=superuser_token
    )

    assert status == 201, content
    assert type(headers["Location"]) is str
    assert headers["Location"] == json.loads(content)["url"]


@pytest.mark.parametrize(
    ("path", "query", "expected", "content_type"),
    [
        (reverse("meeting-list"), "facet=city", 200, "application/json"),
        (reverse("meeting-detail", args=[PENTAGON]), "", 200, "application/json"),
        (reverse("statement-list"), "format=csv", 200, "text/csv; charset=utf-8"),
        (reverse("meeting-calendar"), "", 200, "text/calendar; charset=utf-8"),
        (
            reverse("topic-briefing", args=["nato-enlargement"]),
            "format=md",
            200,
            "text/markdown; charset=utf-8",
        ),
        ("/nope/", "", 404, "application/json"),
        (reverse("meeting-list"), "official=nobody", 400, "application/json"),
    ],
)
def test_reads_and_errors_are_valid_wsgi(path, query, expected, content_type):
    status, headers, content = wsgi_request("GET", path, query=query)

    assert (status, headers["Content-Type"]) == (expected, content_type)
    assert content


def test_an_update_and_a_delete_are_valid_wsgi(superuser_token):
    path = reverse("statement-list")
    _, _, created = wsgi_request("POST", path, body=CREATES["statement"], token=superuser_token)
    detail = reverse("statement-detail", args=[json.loads(created)["id"]])

    patched = wsgi_request("PATCH", detail, body={"kind": "quote"}, token=superuser_token)
    deleted = wsgi_request("DELETE", detail, token=superuser_token)

    assert patched[0] == 200
    assert deleted[0] == 204
