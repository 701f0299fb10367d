"""The write API: permissions, domain rules, concurrency (ETag / If-Match), CSRF and history."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefing.models import Article, Meeting, Official, Statement

pytestmark = pytest.mark.django_db

ARTICLE = "nato-secretary-general-visits-washington-2022"
PENTAGON = "stoltenberg-austin-pentagon-meeting-2022-06-02"
BRIEFING_MODELS = ["organization", "official", "article", "topic", "meeting", "participation", "statement"]


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor():
    """A user with the editors' permissions: add, change and view on the briefing models."""
    user = User.objects.create_user("editor", password="pw-editor-1")
    codenames = [f"{verb}_{model}" for verb in ("add", "change", "view") for model in BRIEFING_MODELS]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="briefing", codename__in=codenames)
    )
    return user


@pytest.fixture
def clients(editor, admin_user):
    return {
        "anonymous": APIClient(),
        "reader": token_client(User.objects.create_user("reader")),
        "editor": token_client(editor),
        "superuser": token_client(admin_user),
    }


CREATE = {
    "organization": {"slug": "canada", "name": "Government of Canada", "kind": "government"},
    "official": {"slug": "new-official", "name": "New Official", "title": "Minister", "organization": "nato"},
    "topic": {"slug": "arctic", "name": "The Arctic", "parent": "deterrence-and-defence"},
    "article": {"slug": "new-article", "title": "A new article", "body": "The minister said hello."},
    "meeting": {
        "slug": "new-meeting",
        "title": "A new meeting",
        "date": "2022-06-03",
        "kind": "bilateral_meeting",
        "participants": [{"official": "jens-stoltenberg", "role": "NATO Secretary General"}],
    },
    "statement": {
        "article": ARTICLE,
        "speaker": "lloyd-austin",
        "meeting": PENTAGON,
        "kind": "paraphrase",
        "text": "I’ve never seen NATO more energized, more united",
    },
}
EXISTING = {
    "organization": "european-union",
    "official": "kamala-harris",
    "topic": "climate-security",
    "article": ARTICLE,
    "meeting": PENTAGON,
}
PATCH = {
    "organization": {"abbreviation": "EU."},
    "official": {"title": "Former Vice President"},
    "topic": {"description": "Climate and security."},
    "article": {"publisher": "NATO"},
    "meeting": {"summary": "Edited."},
    "statement": {"kind": "quote"},
}


def detail_url(name: str) -> str:
    key = EXISTING.get(name) or Statement.objects.get(position=1).pk
    return reverse(f"{name}-detail", args=[key])


@pytest.mark.parametrize("name", list(CREATE))
@pytest.mark.parametrize(
    ("role", "create", "patch", "delete"),
    [
        ("anonymous", 401, 401, 401),
        ("reader", 403, 403, 403),
        ("editor", 201, 200, 403),
        ("superuser", 201, 200, None),
    ],
)
def test_write_permissions(clients, db_snapshot, name, role, create, patch, delete):
    client = clients[role]
    before = db_snapshot()
    assert client.post(reverse(f"{name}-list"), CREATE[name], format="json").status_code == create
    assert client.patch(detail_url(name), PATCH[name], format="json").status_code == patch
    if delete is not None:
        assert client.delete(detail_url(name)).status_code == delete
    if create >= 400:
        assert db_snapshot() == before


def test_anonymous_write_is_a_401_problem_asking_for_a_token(clients):
    response = clients["anonymous"].post(reverse("topic-list"), CREATE["topic"], format="json")
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_superuser_deletes_an_unreferenced_topic(clients):
    assert clients["superuser"].delete(reverse("topic-detail", args=["climate-security"])).status_code == 204
    assert clients["superuser"].get(reverse("topic-detail", args=["climate-security"])).status_code == 404


def test_deleting_an_official_who_has_statements_is_a_409(clients, db_snapshot):
    before = db_snapshot()
    response = clients["superuser"].delete(reverse("official-detail", args=["lloyd-austin"]))
    assert response.status_code == 409
    assert response.json()["code"] == "protected"
    assert db_snapshot() == before


def test_created_statement_gets_its_offsets_and_the_full_representation(clients):
    response = clients["editor"].post(reverse("statement-list"), CREATE["statement"], format="json")
    body = response.json()
    article = Article.objects.get(slug=ARTICLE)
    assert article.body[body["start"] : body["end"]] == "I’ve never seen NATO more energized, more united"
    assert (body["date"], body["speaker"]["slug"]) == ("2022-06-02", "lloyd-austin")
    assert response["Location"] == body["url"]
    assert response["ETag"]


def test_created_statement_is_numbered_by_where_it_stands_in_the_body(clients):
    body = clients["editor"].post(reverse("statement-list"), CREATE["statement"], format="json").json()
    article = Article.objects.get(slug=ARTICLE)
    in_body_order = list(article.statements.order_by("start", "end", "id").values_list("pk", flat=True))
    assert body["position"] == in_body_order.index(body["id"]) + 1
    assert list(article.statements.order_by("position").values_list("pk", flat=True)) == in_body_order


def test_misquoted_statement_is_refused_and_nothing_changes(clients, db_snapshot):
    before = db_snapshot()
    data = {**CREATE["statement"], "text": "NATO has grown much stronger"}
    response = clients["editor"].post(reverse("statement-list"), data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "text",
            "code": "not_verbatim",
            "message": "This text does not occur verbatim in the article body: “NATO has grown much stronger”. "
            "The body has its first 15 characters (up to “NATO has grown ”), then “s” (U+0073 LATIN SMALL "
            "LETTER S) where the text has “m” (U+006D LATIN SMALL LETTER M). "
            "Quote it exactly as published (same quotes, dashes and spaces).",
        }
    ]
    assert db_snapshot() == before


def test_statement_text_edit_recomputes_its_offsets(clients):
    statement = Statement.objects.get(text__startswith="I am confident that")
    response = clients["editor"].patch(
        reverse("statement-detail", args=[statement.pk]), {"text": "a united way forward."}, format="json"
    )
    statement.refresh_from_db()
    assert response.status_code == 200
    assert (statement.start, statement.end) == (1473, 1494)


def test_read_only_fields_in_a_body_are_ignored(clients):
    data = {**CREATE["statement"], "end": 3, "id": 999999, "position": 1}
    body = clients["editor"].post(reverse("statement-list"), data, format="json").json()
    assert body["id"] != 999999
    assert body["end"] == body["start"] + len(CREATE["statement"]["text"])
    assert body["position"] != 1


def test_meeting_created_with_participants_and_role_at_the_time(clients):
    data = {
        **CREATE["meeting"],
        "participants": [
            {"official": "jens-stoltenberg", "role": "NATO Secretary General"},
            {"official": "antony-blinken", "role": "US Secretary of State"},
        ],
        "topics": ["madrid-summit"],
        "articles": [ARTICLE],
    }
    body = clients["editor"].post(reverse("meeting-list"), data, format="json").json()
    assert [(p["official"]["slug"], p["role"]) for p in body["participants"]] == [
        ("jens-stoltenberg", "NATO Secretary General"),
        ("antony-blinken", "US Secretary of State"),
    ]
    assert [t["slug"] for t in body["topics"]] == ["madrid-summit"]


def test_duplicate_participant_is_refused_and_nothing_changes(clients, db_snapshot):
    before = db_snapshot()
    data = {
        **CREATE["meeting"],
        "participants": [
            {"official": "jens-stoltenberg", "role": "NATO Secretary General"},
            {"official": "jens-stoltenberg", "role": "Secretary General"},
        ],
    }
    response = clients["editor"].post(reverse("meeting-list"), data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "participants.1.official",
            "code": "invalid",
            "message": "This official is already a participant of this meeting.",
        }
    ]
    assert db_snapshot() == before


def test_duplicate_slug_is_a_400(clients):
    response = clients["editor"].post(
        reverse("topic-list"), {"slug": "china", "name": "China"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "slug"


def test_impossible_date_is_a_400(clients):
    response = clients["editor"].post(
        reverse("meeting-list"), {**CREATE["meeting"], "date": "2022-02-30"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date"


def test_form_encoded_body_is_a_415(clients):
    response = clients["editor"].post(reverse("topic-list"), {"slug": "x", "name": "X"})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_stale_if_match_is_a_412_and_changes_nothing(clients):
    client, url = clients["editor"], reverse("official-detail", args=["kamala-harris"])
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"title": "First edit"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    response = client.patch(url, {"name": "Second edit"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert Official.objects.get(slug="kamala-harris").name == "Kamala Harris"


def test_current_if_match_is_accepted_and_the_answer_carries_the_new_etag(clients):
    client, url = clients["editor"], reverse("official-detail", args=["kamala-harris"])
    response = client.patch(url, {"title": "VP"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200
    assert response["ETag"] == client.get(url)["ETag"]


def test_if_none_match_with_the_current_etag_is_a_304(api):
    url = reverse("meeting-detail", args=[PENTAGON])
    assert api.get(url, HTTP_IF_NONE_MATCH=api.get(url)["ETag"]).status_code == 304


def test_list_answers_carry_an_etag(api):
    url = reverse("meeting-list")
    assert api.get(url, HTTP_IF_NONE_MATCH=api.get(url)["ETag"]).status_code == 304


def test_session_write_without_csrf_token_is_refused(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("topic-list"), {"slug": "x-topic", "name": "X"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF Failed: CSRF cookie not set."


def test_session_write_with_csrf_token_is_accepted(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/admin/login/")  # sets the CSRF cookie, as a browser page would
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("topic-list"), {"slug": "x-topic", "name": "X"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_api_change_is_in_the_history_with_user_and_values(clients):
    statement = Statement.objects.get(text__startswith="I am confident that")
    url = reverse("statement-detail", args=[statement.pk])
    clients["editor"].patch(url, {"kind": "paraphrase", "topics": ["nato-enlargement"]}, format="json")
    entries = clients["editor"].get(reverse("statement-history", args=[statement.pk])).json()["results"]
    latest, imported = entries[0], entries[-1]
    assert (latest["type"], latest["user"], latest["reason"]) == ("changed", "editor", None)
    enlargement = Meeting.topics.field.related_model.objects.get(slug="nato-enlargement").pk
    applications = Meeting.topics.field.related_model.objects.get(slug="finland-sweden-applications").pk
    assert latest["changes"] == [
        {"field": "kind", "old": "quote", "new": "paraphrase"},
        {"field": "topics", "old": [applications], "new": [enlargement]},
    ]
    assert (imported["type"], imported["user"], imported["reason"]) == (
        "created",
        None,
        "import nato-secretary-general-visits-washington-2022.json",
    )


def test_history_queries_do_not_grow_with_page_size(clients, queries_for):
    url = reverse("official-detail", args=["kamala-harris"])
    for title in ("One", "Two", "Three"):
        clients["editor"].patch(url, {"title": title}, format="json")
    history_url = reverse("official-history", args=["kamala-harris"])
    assert queries_for(f"{history_url}?page_size=1") == queries_for(f"{history_url}?page_size=4")


def test_history_of_an_object_without_records_is_an_empty_page(api):
    from briefing.models import Topic

    topic = Topic.objects.get(slug="china")
    topic.history.all().delete()
    response = api.get(reverse("topic-history", args=["china"]))
    assert (response.status_code, response.json()["results"]) == (200, [])
