"""Bad input gets a clear 4xx in the problem format, and changes nothing."""

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ARTICLE = "nato-secretary-general-visits-washington-2022"
TOPIC = {"slug": "arctic", "name": "The Arctic"}
STATEMENT = {
    "article": ARTICLE,
    "speaker": "lloyd-austin",
    "kind": "paraphrase",
    "text": "NATO has grown stronger and more united",
}


@pytest.fixture
def editor_client():
    user = User.objects.create_user("bad-input-editor")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="briefing"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# (case, method, path, body (bytes or JSON-able), content type, expected status, problem code, field)
CASES = [
    ("malformed JSON", "post", "/topics/", b'{"slug": "x", ', "application/json", 400, "parse_error", None),
    ("JSON of the wrong shape", "post", "/topics/", [1, 2], None, 400, "validation_error", None),
    (
        "deeply nested JSON",
        "post",
        "/topics/",
        nested(100_000).encode(),
        "application/json",
        400,
        "parse_error",
        None,
    ),
    (
        "form-encoded body",
        "post",
        "/topics/",
        b"slug=x&name=y",
        "application/x-www-form-urlencoded",
        415,
        "unsupported_media_type",
        None,
    ),
    ("plain-text body", "post", "/topics/", b"hello", "text/plain", 415, "unsupported_media_type", None),
    (
        "oversize body",
        "post",
        "/topics/",
        {**TOPIC, "description": "x" * (2 * 1024 * 1024)},
        None,
        413,
        "request_too_large",
        None,
    ),
    (
        "impossible date in body",
        "post",
        "/meetings/",
        {"slug": "m", "title": "M", "kind": "other", "date": "2022-02-30"},
        None,
        400,
        "validation_error",
        "date",
    ),
    (
        "year 0022 in body",
        "post",
        "/meetings/",
        {"slug": "m", "title": "M", "kind": "other", "date": "0022-06-01"},
        None,
        400,
        "validation_error",
        None,
    ),
    (
        "unknown slug in body",
        "post",
        "/statements/",
        {**STATEMENT, "speaker": "nobody"},
        None,
        400,
        "validation_error",
        "speaker",
    ),
    (
        "SQL in a slug",
        "post",
        "/topics/",
        {"slug": "x'; DROP TABLE briefing_topic;--", "name": "X"},
        None,
        400,
        "validation_error",
        "slug",
    ),
    (
        "NUL character",
        "post",
        "/topics/",
        {"slug": "nul", "name": "a\u0000b"},
        None,
        400,
        "validation_error",
        "name",
    ),
    (
        "overlong field",
        "post",
        "/topics/",
        {"slug": "long", "name": "x" * 201},
        None,
        400,
        "validation_error",
        "name",
    ),
    (
        "misquoted statement",
        "post",
        "/statements/",
        {**STATEMENT, "text": "NATO has grown weaker"},
        None,
        400,
        "validation_error",
        "text",
    ),
    (
        "duplicate slug",
        "post",
        "/topics/",
        {"slug": "china", "name": "China again"},
        None,
        400,
        "validation_error",
        "slug",
    ),
    (
        "missing required field",
        "post",
        "/topics/",
        {"slug": "no-name"},
        None,
        400,
        "validation_error",
        "name",
    ),
    (
        "unknown enum value",
        "post",
        "/meetings/",
        {"slug": "m", "title": "M", "kind": "picnic", "date": "2022-06-01"},
        None,
        400,
        "validation_error",
        "kind",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "code", "field"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_write_is_a_4xx_problem_and_changes_nothing(
    editor_client, db_snapshot, method, path, body, content_type, status, code, field
):
    before = db_snapshot()
    if content_type is None:
        body, content_type = json.dumps(body).encode(), "application/json"
    response = getattr(editor_client, method)(path, data=body, content_type=content_type)
    assert response.status_code == status, response.content[:300]
    problem = response.json()
    assert (problem["status"], problem["code"]) == (status, code)
    if field:
        assert field in [error["field"] for error in problem["errors"]]
    assert db_snapshot() == before


# (case, query, expected field at fault)
BAD_QUERIES = [
    ("invalid date filter", {"date": "2022-13-01"}, "date"),
    ("impossible date filter", {"date_after": "2022-02-30"}, "date_after"),
    ("unknown slug filter", {"official": "nobody"}, "official"),
    ("unknown enum filter", {"kind": "picnic"}, "kind"),
    ("unknown parameter", {"offset": "10"}, "offset"),
    ("negative page size", {"page_size": "-1"}, "page_size"),
    ("zero page size", {"page_size": "0"}, "page_size"),
    ("huge page size", {"page_size": "1" + "0" * 40}, "page_size"),
    ("forged cursor", {"cursor": "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ"}, "cursor"),
    ("unknown ordering", {"ordering": "password"}, "ordering"),
    ("unknown field", {"fields": "slug,secret"}, "fields"),
    ("NUL in a filter", {"city": "a\x00b"}, "city"),
]


@pytest.mark.parametrize(
    ("query", "field"), [case[1:] for case in BAD_QUERIES], ids=[c[0] for c in BAD_QUERIES]
)
def test_bad_query_is_a_400_naming_the_parameter(api, query, field):
    response = api.get(reverse("meeting-list"), query)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "validation_error"
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    "search", ["'; DROP TABLE briefing_statement;--", "<script>alert(1)</script>", "🎉 Zoë 李 \u202e", "%_\\"]
)
def test_hostile_search_text_is_just_text(api, db_snapshot, search):
    before = db_snapshot()
    response = api.get(reverse("statement-list"), {"search": search})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert db_snapshot() == before


def test_emoji_and_script_like_text_are_stored_and_returned_verbatim(editor_client):
    name = "<script>alert('x')</script> 🎉 Zoë"
    response = editor_client.post(reverse("topic-list"), {"slug": "odd", "name": name}, format="json")
    assert response.status_code == 201
    assert editor_client.get(reverse("topic-detail", args=["odd"])).json()["name"] == name


@pytest.mark.parametrize(
    ("client_kind", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("bad token", 401, "authentication_failed"),
        ("no permission", 403, "permission_denied"),
    ],
)
def test_unauthorised_write_is_refused_and_changes_nothing(db_snapshot, client_kind, status, code):
    client = APIClient()
    if client_kind == "bad token":
        client.credentials(HTTP_AUTHORIZATION="Token deadbeef")
    elif client_kind == "no permission":
        user = User.objects.create_user("reader")
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    before = db_snapshot()
    response = client.post(reverse("topic-list"), TOPIC, format="json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert db_snapshot() == before


def test_session_write_without_csrf_is_refused_and_changes_nothing(db_snapshot):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("boss", password="pw-boss-1"))
    before = db_snapshot()
    response = client.post(reverse("topic-list"), TOPIC, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert response.json()["detail"].startswith("CSRF Failed")
    assert db_snapshot() == before


def test_server_error_body_has_no_trace_or_sql(api, monkeypatch):
    from api import views

    def explode(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM briefing_statement")

    monkeypatch.setattr(views.TopicViewSet, "list", explode)
    api.raise_request_exception = False
    response = api.get(reverse("topic-list"))
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert b"SELECT" not in response.content
    assert b"Traceback" not in response.content
