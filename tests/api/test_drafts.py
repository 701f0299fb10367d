"""`/drafts/`: editors send an article's text and get a draft to review; no one else sees drafts."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefing.models import Article, Draft
from tests.gold import GOLD

pytestmark = pytest.mark.django_db

TEXT = (GOLD / "marisca-teravia-ferry-call-2022.txt").read_text(encoding="utf-8")


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor_api() -> APIClient:
    user = User.objects.create_user("drafting-editor")
    user.groups.add(Group.objects.get(name="Editors"))
    return token_client(user)


def test_an_editor_posts_text_and_gets_the_draft_with_its_location_and_review_page(editor_api):
    response = editor_api.post("/drafts/", {"text": TEXT, "published_on": "2022-11-30"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    draft = Draft.objects.get(pk=body["id"])
    assert response["Location"] == body["url"] == f"http://testserver/drafts/{draft.pk}/"
    assert body["status"] == "in_review"
    assert body["title"] == "Marisca and Teravia leaders agree to restore winter ferry routes"
    assert body["proposal"]["format"] == 2
    assert body["proposal"]["article"]["body"] == draft.body
    assert body["undecided"][0] == "statement 1"
    assert body["review_url"] == f"http://testserver/admin/briefing/draft/{draft.pk}/review/"


def test_every_proposed_quotation_in_the_answer_is_a_span_of_the_body(editor_api):
    proposal = editor_api.post("/drafts/", {"text": TEXT}, format="json").json()["proposal"]

    body = proposal["article"]["body"]
    assert proposal["statements"]
    assert all(body[s["start"] : s["start"] + len(s["text"])] == s["text"] for s in proposal["statements"])


def test_a_draft_is_not_in_the_public_collections(editor_api):
    before = Article.objects.count()

    editor_api.post("/drafts/", {"text": TEXT}, format="json")

    assert Article.objects.count() == before
    assert APIClient().get("/articles/?search=ferry").json()["results"] == []


def test_the_editor_reads_the_draft_back_and_no_shared_cache_keeps_it(editor_api):
    url = editor_api.post("/drafts/", {"text": TEXT}, format="json").json()["url"]

    response = editor_api.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Authorization" in response["Vary"]
    assert [d["url"] for d in editor_api.get("/drafts/").json()["results"]] == [url]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_clients_get_401_for_drafts(method):
    response = getattr(APIClient(), method)(
        "/drafts/", {"text": TEXT} if method == "post" else None, format="json"
    )

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_signed_in_reader_without_the_draft_permissions_gets_403():
    reader = token_client(User.objects.create_user("reader-only"))

    assert reader.get("/drafts/").status_code == 403
    assert reader.post("/drafts/", {"text": TEXT}, format="json").status_code == 403
    assert Draft.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field may not be blank."),
        ("Only a headline\n", "no body"),
    ],
)
def test_text_that_cannot_be_drafted_is_a_400_naming_the_field(editor_api, text, message):
    response = editor_api.post("/drafts/", {"text": text}, format="json")

    assert response.status_code == 400
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["text"]
    assert message in problem["errors"][0]["message"]
    assert Draft.objects.count() == 0


def test_text_without_quotations_is_an_honest_empty_draft(editor_api):
    text = "Ministers met\n\nThe ministers met in the capital on Tuesday and discussed trade.\n"

    response = editor_api.post("/drafts/", {"text": text, "published_on": "2023-03-01"}, format="json")

    assert response.status_code == 201
    assert response.json()["proposal"]["statements"] == []


def test_the_schema_documents_drafting_for_editors_only(api):
    schema = api.get("/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    post = schema["paths"]["/drafts/"]["post"]
    assert post["summary"] == "Draft an article"
    assert {"201", "400", "401", "403"} <= set(post["responses"])
    assert {} not in schema["paths"]["/drafts/"]["get"]["security"]


def test_an_unknown_query_parameter_on_drafts_is_a_400_naming_it(editor_api):
    url = editor_api.post("/drafts/", {"text": TEXT}, format="json").json()["url"]

    response = editor_api.get(url + "?omit=proposal")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "omit"


def test_a_draft_not_yet_published_says_article_null(editor_api):
    body = editor_api.post("/drafts/", {"text": TEXT}, format="json").json()

    assert (body["article"], body["published_at"]) == (None, None)


def test_the_location_of_a_new_draft_is_a_plain_string_as_wsgi_servers_require(editor_api):
    # Django's development server refuses a str subclass (DRF's Hyperlink) in a header: a 500.
    response = editor_api.post("/drafts/", {"text": TEXT}, format="json")

    assert type(response.headers["Location"]) is str
    assert type(response.json()["url"]) is str
