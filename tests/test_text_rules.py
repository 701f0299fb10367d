"""Text rules through every door (importer, admin, API): which characters labels may hold, and
verbatim text kept to the character.

* Names, titles, places, roles and URLs refuse control and bidirectional-formatting characters
  (briefing.validators); summaries and descriptions keep line breaks but refuse the rest.
* An article body and a statement's text are stored as published: nothing is refused or trimmed,
  and spaces at either end of a statement are part of what the article must contain.
"""

import json
import unicodedata

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from briefing.models import Article, Meeting, Official, Organization, Statement, Topic
from briefing.services import FixtureError, article_import
from tests.briefing.test_admin import admin_url, form_data
from tests.constructed import BODY, harbour_fixture

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Ana\u202eelpmaxE" reads as "AnaExample" reversed
MEETING = "constructed-harbour-meeting-2023-03-01"


def forbidden_message(character: str, position: int) -> str:
    name = unicodedata.name(character, "(a control character)")
    return (
        "Control and bidirectional-formatting characters are not allowed here "
        f"(found U+{ord(character):04X} {name} at position {position})."
    )


@pytest.fixture
def harbour(tmp_path):
    """The constructed fixture imported: its rows exist, and the file is there to alter."""
    path = tmp_path / "harbour.json"
    path.write_text(json.dumps(harbour_fixture()), encoding="utf-8")
    article_import(path=path)
    return path


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


# label: (model, slug, field, the fixture's place for it (list, index, key))
LABELS = {
    "organization name": (Organization, "constructed-harbour-board", "name", ("organizations", 0)),
    "organization abbreviation": (
        Organization,
        "constructed-harbour-board",
        "abbreviation",
        ("organizations", 0),
    ),
    "official name": (Official, "constructed-ana-example", "name", ("officials", 0)),
    "official title": (Official, "constructed-ana-example", "title", ("officials", 0)),
    "topic name": (Topic, "constructed-harbours", "name", ("topics", 0)),
    "topic description": (Topic, "constructed-harbours", "description", ("topics", 0)),
    "article title": (Article, "constructed-harbour-talks", "title", ("article", None)),
    "article publisher": (Article, "constructed-harbour-talks", "publisher", ("article", None)),
    "meeting title": (Meeting, MEETING, "title", ("meetings", 0)),
    "meeting location": (Meeting, MEETING, "location", ("meetings", 0)),
    "meeting city": (Meeting, MEETING, "city", ("meetings", 0)),
    "meeting summary": (Meeting, MEETING, "summary", ("meetings", 0)),
}
VALUE = f"Ana{RLO}elpmaxE"


def through_importer(path, model, slug, field, place, value):
    """Import the fixture with ``value`` in the field; the (record, field, message) refused."""
    data = json.loads(path.read_text(encoding="utf-8"))
    key, index = place
    (data[key] if index is None else data[key][index])[field] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FixtureError) as excinfo:
        article_import(path=path)
    return excinfo.value.record, excinfo.value.field, excinfo.value.message


def through_admin(client, model, slug, field, value):
    """Post the admin's change form with ``value`` in the field; the form's errors."""
    obj = model.objects.get(slug=slug)
    data = form_data(client.get(admin_url(model, "change", obj.pk)))
    data[field] = value
    response = client.post(admin_url(model, "change", obj.pk), data)
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def through_api(client, model, slug, field, value):
    """PATCH the field through the API; the status and the problem's errors."""
    basename = model._meta.model_name
    response = client.patch(reverse(f"{basename}-detail", args=[slug]), {field: value}, format="json")
    return response.status_code, response.json().get("errors")


@pytest.mark.parametrize("label", list(LABELS))
@pytest.mark.parametrize("door", ["importer", "admin", "API"])
def test_a_right_to_left_override_in_a_label_is_refused_through_every_door(
    harbour, admin_client, api, db_snapshot, door, label
):
    model, slug, field, place = LABELS[label]
    message = forbidden_message(RLO, 3)
    before = db_snapshot()

    if door == "importer":
        record = f"{place[0]}[{place[1]}]" if place[1] is not None else place[0]
        assert through_importer(harbour, model, slug, field, place, VALUE) == (record, field, message)
    elif door == "admin":
        assert through_admin(admin_client, model, slug, field, VALUE) == {field: [message]}
    else:
        assert through_api(api, model, slug, field, VALUE) == (
            400,
            [{"field": field, "code": "forbidden_character", "message": message}],
        )
    assert db_snapshot() == before


@pytest.mark.parametrize("door", ["importer", "admin", "API"])
def test_a_control_character_in_a_participants_role_is_refused_through_every_door(
    harbour, admin_client, api, db_snapshot, door
):
    value = "Harbour\x1b[31m minister"
    message = forbidden_message("\x1b", 7)
    meeting = Meeting.objects.get(slug=MEETING)
    before = db_snapshot()

    if door == "importer":
        data = harbour_fixture()
        data["meetings"][0]["participants"][0]["role"] = value
        harbour.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(FixtureError) as excinfo:
            article_import(path=harbour)
        assert (excinfo.value.field, excinfo.value.message) == ("role", message)
    elif door == "admin":
        data = form_data(admin_client.get(admin_url(Meeting, "change", meeting.pk)))
        data["participations-0-role"] = value
        response = admin_client.post(admin_url(Meeting, "change", meeting.pk), data)
        (formset,) = [
            inline.formset
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.prefix == "participations"
        ]
        assert formset.errors == [{"role": [message]}]
    else:
        participants = [{"official": "constructed-ana-example", "role": value}]
        assert through_api(api, Meeting, MEETING, "participants", participants) == (
            400,
            [{"field": "participants.0.role", "code": "forbidden_character", "message": message}],
        )
    assert db_snapshot() == before


@pytest.mark.parametrize(
    "character",
    ["\x1b", "\x07", "\x7f", "\x9b", "\n", "\r", "\t", "\u2028", "\u2029", "\u200e", "\u200f", "\u202a", "\u202b",
     "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"],
    ids=lambda c: f"U+{ord(c):04X}",
)  # fmt: skip
def test_each_forbidden_character_is_refused_in_a_name(harbour, api, character):
    status, errors = through_api(api, Official, "constructed-ana-example", "name", f"Ana{character}Example")

    assert (status, errors) == (
        400,
        [{"field": "name", "code": "forbidden_character", "message": forbidden_message(character, 3)}],
    )


@pytest.mark.parametrize(
    "name",
    [
        "Zoë Škoda",  # accents, precomposed
        "Zoe\u0308",  # accents, decomposed (combining mark)
        "محمد\u200cرضا",  # Persian with a zero-width non-joiner, part of the spelling
        "李明",
        "Ana 👩\u200d⚕️",  # an emoji sequence joined by a zero-width joiner
        "Jean-Luc O’Neill",
    ],
)
def test_real_names_in_any_script_are_accepted(harbour, api, name):
    assert through_api(api, Official, "constructed-ana-example", "name", name)[0] == 200
    assert Official.objects.get(slug="constructed-ana-example").name == name


def test_prose_keeps_its_line_breaks_and_tabs(harbour, api):
    summary = "First point.\n\tSecond point.\r\nThird."

    assert through_api(api, Meeting, MEETING, "summary", summary)[0] == 200
    assert Meeting.objects.get(slug=MEETING).summary == summary


def test_a_slug_with_a_bidirectional_override_is_refused_through_every_door(
    harbour, admin_client, api, db_snapshot
):
    before = db_snapshot()

    importer = through_importer(
        harbour, Topic, "constructed-harbours", "slug", ("topics", 0), f"harbours{RLO}"
    )
    admin = through_admin(admin_client, Topic, "constructed-harbours", "slug", f"harbours{RLO}")
    status, errors = through_api(api, Topic, "constructed-harbours", "slug", f"harbours{RLO}")

    assert importer[:2] == ("topics[0]", "slug")
    assert list(admin) == ["slug"]
    assert (status, [e["field"] for e in errors]) == (400, ["slug"])
    assert db_snapshot() == before


def test_an_article_body_is_stored_as_published_control_characters_and_all(api):
    body = f"  Constructed: a body quoting {RLO}reversed text{RLO} and a bell\x07, as published.  "
    response = api.post(
        reverse("article-list"),
        {"slug": "constructed-odd-body", "title": "Odd body", "body": body},
        format="json",
    )

    assert response.status_code == 201
    assert Article.objects.get(slug="constructed-odd-body").body == body


# -- verbatim text: never trimmed ---------------------------------------------------------------


def test_statement_text_keeps_its_surrounding_spaces_through_the_api(harbour, api):
    # Regression: the API trimmed them silently, storing another text than the one sent.
    text = " She said the talks went well. "
    response = api.post(
        reverse("statement-list"),
        {
            "article": "constructed-harbour-talks",
            "speaker": "constructed-ana-example",
            "kind": "quote",
            "text": text,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    statement = Statement.objects.get(pk=response.json()["id"])
    assert statement.text == text
    assert BODY[statement.start : statement.end] == text


@pytest.mark.parametrize("door", ["admin", "API"])
def test_statement_text_with_spaces_the_article_lacks_is_refused_not_trimmed(
    harbour, admin_client, api, db_snapshot, door
):
    # "the talks went well" is in the body; with two trailing spaces it is not.
    text = "the talks went well  "
    statement = Statement.objects.get(article__slug="constructed-harbour-talks")
    before = db_snapshot()

    if door == "admin":
        data = form_data(admin_client.get(admin_url(Statement, "change", statement.pk)))
        data["text"] = text
        response = admin_client.post(admin_url(Statement, "change", statement.pk), data)
        assert list(response.context["adminform"].form.errors) == ["text"]
    else:
        response = api.patch(reverse("statement-detail", args=[statement.pk]), {"text": text}, format="json")
        assert (response.status_code, [e["code"] for e in response.json()["errors"]]) == (
            400,
            ["not_verbatim"],
        )
    assert db_snapshot() == before


def test_statement_text_keeps_its_surrounding_spaces_through_the_admin(harbour, admin_client):
    statement = Statement.objects.get(article__slug="constructed-harbour-talks")
    data = form_data(admin_client.get(admin_url(Statement, "change", statement.pk)))
    data["text"] = " the talks went well."

    response = admin_client.post(admin_url(Statement, "change", statement.pk), data)

    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.text, BODY[statement.start : statement.end]) == (" the talks went well.",) * 2


def test_statement_text_of_only_spaces_is_refused(harbour, api, db_snapshot):
    # The body has runs of single spaces; a statement must still say something.
    before = db_snapshot()
    response = api.post(
        reverse("statement-list"),
        {
            "article": "constructed-harbour-talks",
            "speaker": "constructed-ana-example",
            "kind": "quote",
            "text": " ",
        },
        format="json",
    )

    assert (response.status_code, response.json()["errors"]) == (
        400,
        [{"field": "text", "code": "blank", "message": "The text is only white space."}],
    )
    assert db_snapshot() == before


def test_article_body_keeps_its_surrounding_spaces_through_the_admin(harbour, admin_client):
    article = Article.objects.get(slug="constructed-harbour-talks")
    data = form_data(admin_client.get(admin_url(Article, "change", article.pk)))
    data["body"] = BODY + "  "

    response = admin_client.post(admin_url(Article, "change", article.pk), data)

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body == BODY + "  "
