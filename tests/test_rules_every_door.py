"""Each rule that spans rows, through every door: the importer, the admin and the API.

Every test is parametrized over the three writers and asserts the same outcome, in the same
words: the rules have one owner (``briefing.services``) and no door may bend them.
The article here is constructed for the test (fictional people and places).
"""

import copy
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from briefing import rules, services
from briefing.models import Article, Meeting, Official, Statement
from tests.admin_forms import admin_url, form_data

pytestmark = pytest.mark.django_db

SLUG = "constructed-vantara-talks"
PHRASE = "We will act together"
BODY = (
    "Foreign ministers Ilse Varga and Tomas Brell met in Vantara on 3 March 2021.\n\n"
    f"“{PHRASE},” said Minister Varga after the talks.\n\n"
    "Brell agreed that the two countries would coordinate their response.\n\n"
    f"Later she repeated: “{PHRASE}.” The talks ended at noon."
)
FIXTURE = {
    "article": {
        "slug": SLUG,
        "title": "Constructed example: foreign ministers meet in Vantara",
        "publisher": "Constructed for the test suite",
        "body": BODY,
    },
    "officials": [
        {"slug": "ilse-varga", "name": "Ilse Varga", "title": "Foreign Minister"},
        {"slug": "tomas-brell", "name": "Tomas Brell", "title": "Foreign Minister"},
    ],
    "meetings": [
        {
            "slug": "varga-brell-vantara-2021-03-03",
            "title": "Varga and Brell in Vantara",
            "date": "2021-03-03",
            "kind": "bilateral_meeting",
            "city": "Vantara",
            "participants": [
                {"official": "ilse-varga", "role": "Foreign Minister"},
                {"official": "tomas-brell", "role": "Foreign Minister"},
            ],
        }
    ],
    "statements": [
        {
            "speaker": "ilse-varga",
            "meeting": "varga-brell-vantara-2021-03-03",
            "kind": "quote",
            "text": PHRASE,
            "start": BODY.index(PHRASE),
        },
        {
            "speaker": "tomas-brell",
            "meeting": "varga-brell-vantara-2021-03-03",
            "kind": "paraphrase",
            "text": "the two countries would coordinate their response",
        },
    ],
}
# Said by an editor, not the fixture: the importer must keep it too.
EDITOR_TEXT = "The talks ended at noon."


@dataclass
class Outcome:
    """What a door answered: accepted or not, and the messages it gave (field → messages)."""

    accepted: bool
    messages: dict[str, list[str]]

    def message(self, field: str) -> str:
        return " ".join(self.messages.get(field, []))


@pytest.fixture
def scene(tmp_path):
    """The constructed article, imported, plus one statement an editor added."""
    path = tmp_path / f"{SLUG}.json"
    path.write_text(json.dumps(FIXTURE, ensure_ascii=False), encoding="utf-8")
    services.article_import(path=path)
    article = Article.objects.get(slug=SLUG)
    services.statement_save(
        statement=Statement(
            article=article,
            speaker=Official.objects.get(slug="tomas-brell"),
            kind="paraphrase",
            text=EDITOR_TEXT,
        )
    )
    return article


class ApiDoor:
    """Writes as an API client with an editor's rights."""

    def __init__(self):
        self.client = APIClient()
        self.client.force_authenticate(User.objects.create_superuser("api-door"))

    def _outcome(self, response) -> Outcome:
        if response.status_code < 300:
            return Outcome(True, {})
        errors: dict[str, list[str]] = {}
        for error in response.json()["errors"]:
            field = error["field"].split(".")[0]
            errors.setdefault("official" if field == "participants" else field, []).append(error["message"])
        return Outcome(False, errors)

    def add_statement(self, article, speaker: str, text: str, start=None) -> Outcome:
        data = {"article": article.slug, "speaker": speaker, "kind": "quote", "text": text}
        if start is not None:
            data["start"] = start
        return self._outcome(self.client.post(reverse("statement-list"), data, format="json"))

    def change_body(self, article, body: str) -> Outcome:
        return self._outcome(
            self.client.patch(reverse("article-detail", args=[article.slug]), {"body": body}, format="json")
        )

    def set_participants(self, meeting, officials: list[str]) -> Outcome:
        data = {"participants": [{"official": slug, "role": "Minister"} for slug in officials]}
        return self._outcome(
            self.client.patch(reverse("meeting-detail", args=[meeting.slug]), data, format="json")
        )


class AdminDoor:
    """Writes as an editor in the Django admin, through its forms."""

    def __init__(self, client):
        self.client = client
        self.client.force_login(User.objects.create_superuser("admin-door"))

    def _outcome(self, response) -> Outcome:
        if response.status_code == 302:
            return Outcome(True, {})
        errors = {name: list(errs) for name, errs in response.context["adminform"].form.errors.items()}
        for inline in response.context["inline_admin_formsets"]:
            for form in inline.formset.forms:
                for name, errs in form.errors.items():
                    errors.setdefault(name, []).extend(errs)
        return Outcome(False, errors)

    def add_statement(self, article, speaker: str, text: str, start=None) -> Outcome:
        url = admin_url(Statement, "add")
        data = form_data(self.client.get(url)) | {
            "article": str(article.pk),
            "speaker": str(Official.objects.get(slug=speaker).pk),
            "kind": "quote",
            "text": text,
        }
        if start is not None:
            data["occurrence"] = str(start)
        return self._outcome(self.client.post(url, data))

    def change_body(self, article, body: str) -> Outcome:
        url = admin_url(Article, "change", article.pk)
        data = form_data(self.client.get(url)) | {"body": body}
        return self._outcome(self.client.post(url, data))

    def set_participants(self, meeting, officials: list[str]) -> Outcome:
        """The meeting's inline rows, set to ``officials`` in order (rows added as needed)."""
        url = admin_url(Meeting, "change", meeting.pk)
        data = form_data(self.client.get(url))
        initial = int(data["participations-INITIAL_FORMS"])
        data["participations-TOTAL_FORMS"] = str(max(initial, len(officials)))
        for i, slug in enumerate(officials):
            data |= {
                f"participations-{i}-official": str(Official.objects.get(slug=slug).pk),
                f"participations-{i}-role": "Minister",
                f"participations-{i}-position": str(i),
            }
        return self._outcome(self.client.post(url, data))


class ImporterDoor:
    """Writes as a fixture does: the constructed fixture, changed and imported again."""

    def __init__(self, tmp_path):
        self.path = tmp_path / "changed.json"

    def _import(self, data) -> Outcome:
        self.path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        try:
            report = services.article_import(path=self.path)
        except services.FixtureError as exc:
            return Outcome(False, {exc.field or "__all__": [exc.message]})
        kept_body = [note for note in report.notes if note.startswith("article.body")]
        return Outcome(not kept_body, {"body": kept_body} if kept_body else {})

    def add_statement(self, article, speaker: str, text: str, start=None) -> Outcome:
        data = copy.deepcopy(FIXTURE)
        row = {"speaker": speaker, "kind": "quote", "text": text}
        if start is not None:
            row["start"] = start
        data["statements"].append(row)
        # A fixture lists its statements in body order.
        data["statements"].sort(key=lambda r: r.get("start", BODY.find(r["text"])))
        return self._import(data)

    def change_body(self, article, body: str) -> Outcome:
        data = copy.deepcopy(FIXTURE)
        data["article"]["body"] = body
        for row in data["statements"]:
            if "start" in row:
                row["start"] = body.index(row["text"])
        return self._import(data)

    def set_participants(self, meeting, officials: list[str]) -> Outcome:
        data = copy.deepcopy(FIXTURE)
        data["meetings"][0]["participants"] = [{"official": slug, "role": "Minister"} for slug in officials]
        return self._import(data)


@pytest.fixture(params=["importer", "admin", "api"])
def door(request, client, tmp_path):
    return {"importer": lambda: ImporterDoor(tmp_path), "admin": lambda: AdminDoor(client), "api": ApiDoor}[
        request.param
    ]()


def spans_hold(article: Article) -> bool:
    article.refresh_from_db()
    return all(article.body[s.start : s.end] == s.text for s in article.statements.all())


def numbered_in_body_order(article: Article) -> bool:
    by_position = list(article.statements.order_by("position").values_list("pk", flat=True))
    by_span = list(article.statements.order_by("start", "end", "id").values_list("pk", flat=True))
    positions = list(article.statements.order_by("position").values_list("position", flat=True))
    return by_position == by_span and positions == list(range(1, len(positions) + 1))


def test_statement_not_in_the_body_is_refused_with_where_it_differs(door, scene, db_snapshot):
    before = db_snapshot()
    outcome = door.add_statement(scene, "ilse-varga", "We will act  together")
    assert not outcome.accepted
    assert outcome.message("text") == (
        "This text does not occur verbatim in the article body: “We will act  together”. The body has its "
        "first 12 characters (up to “We will act ”), then “t” (U+0074 LATIN SMALL LETTER T) where the text "
        "has “ ” (U+0020 SPACE). Quote it exactly as published (same quotes, dashes and spaces)."
    )
    assert db_snapshot() == before


def test_text_the_body_holds_twice_is_refused_without_a_start_listing_both(door, scene, db_snapshot):
    before = db_snapshot()
    outcome = door.add_statement(scene, "tomas-brell", PHRASE)
    first, second = BODY.index(PHRASE), BODY.rindex(PHRASE)
    assert not outcome.accepted
    message = outcome.message("text")
    assert message.startswith("This text occurs 2 times in the article body; give `start` to say which one: ")
    assert f"start {first}: …" in message and f"start {second}: …" in message
    assert db_snapshot() == before


def test_text_the_body_holds_twice_takes_the_occurrence_its_start_names(door, scene):
    second = BODY.rindex(PHRASE)
    outcome = door.add_statement(scene, "tomas-brell", PHRASE, start=second)
    assert outcome.accepted, outcome.messages
    statement = scene.statements.get(speaker__slug="tomas-brell", text=PHRASE)
    assert (statement.start, statement.end) == (second, second + len(PHRASE))
    assert numbered_in_body_order(scene)


def test_statements_are_numbered_in_body_order_whoever_adds_one(door, scene):
    outcome = door.add_statement(scene, "ilse-varga", "Foreign ministers Ilse Varga and Tomas Brell met")
    assert outcome.accepted, outcome.messages
    assert scene.statements.get(text__startswith="Foreign ministers").position == 1
    assert numbered_in_body_order(scene)


def test_body_edit_moves_every_span_with_the_text(door, scene):
    outcome = door.change_body(scene, "VANTARA (Constructed Wire) — " + BODY)
    assert outcome.accepted, outcome.messages
    assert scene.statements.count() == 3
    assert spans_hold(scene)
    assert numbered_in_body_order(scene)


def test_body_edit_that_loses_a_statement_is_refused_naming_it(door, scene, db_snapshot):
    before = db_snapshot()
    outcome = door.change_body(scene, BODY.replace(EDITOR_TEXT, "The talks ended in the afternoon."))
    assert not outcome.accepted
    assert "Statement #3 (id " in outcome.message("body")
    assert "“The talks ended at noon.”: This text does not occur verbatim" in outcome.message("body")
    Article.objects.get(slug=SLUG)  # still there
    assert spans_hold(scene)
    if isinstance(door, ImporterDoor):  # the importer keeps the body and says so; nothing else differs
        return
    assert db_snapshot() == before


def test_official_listed_twice_in_a_meeting_is_refused_in_one_wording(door, scene, db_snapshot):
    meeting = Meeting.objects.get(slug="varga-brell-vantara-2021-03-03")
    before = db_snapshot()
    outcome = door.set_participants(meeting, ["ilse-varga", "tomas-brell", "ilse-varga"])
    assert not outcome.accepted
    assert outcome.message("official") == rules.ONCE_PER_MEETING
    assert db_snapshot() == before
