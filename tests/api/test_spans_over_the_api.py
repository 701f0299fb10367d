"""Provenance over the write API: body edits move every span, ambiguous quotes need a start.

Each test is a reproduction from issue #11 that used to break the promise that a statement is
the exact span of its article (seed article, the suite's copy).
"""

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.urls import reverse
from rest_framework.test import APIClient

from briefing.models import Article, Statement
from tests.admin_forms import admin_url, form_data
from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_api():
    client = APIClient()
    client.force_authenticate(User.objects.create_superuser("span-editor"))
    return client


def spans_hold(article: Article) -> list[int]:
    """Ids of the article's statements whose span does not hold their text (none, we hope)."""
    article.refresh_from_db()
    return [s.pk for s in article.statements.all() if article.body[s.start : s.end] != s.text]


def test_body_patch_adding_a_prefix_moves_all_40_spans(editor_api):
    article = Article.objects.get(slug=SEED_SLUG)
    response = editor_api.patch(
        reverse("article-detail", args=[SEED_SLUG]),
        {"body": "WASHINGTON (NATO) — " + article.body},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert article.statements.count() == 40
    assert spans_hold(article) == []
    statement = response.json()["statements"][0]
    assert response.json()["body"][statement["start"] : statement["end"]] == statement["text"]


def test_body_patch_reordering_paragraphs_moves_spans_or_is_refused_never_empty(editor_api):
    article = Article.objects.get(slug=SEED_SLUG)
    paragraphs = article.body.split("\n\n")
    reordered = "\n\n".join(paragraphs[len(paragraphs) // 2 :] + paragraphs[: len(paragraphs) // 2])
    response = editor_api.patch(
        reverse("article-detail", args=[SEED_SLUG]), {"body": reordered}, format="json"
    )
    assert response.status_code in (200, 400)
    assert spans_hold(article) == []
    assert not article.statements.filter(start__gte=F("end")).exists()
    positions = list(article.statements.order_by("start", "end", "id").values_list("position", flat=True))
    assert positions == list(range(1, 41))


def test_statement_whose_text_the_body_holds_seven_times_is_a_400_listing_each(editor_api, db_snapshot):
    before = db_snapshot()
    response = editor_api.post(
        reverse("statement-list"),
        {"article": SEED_SLUG, "speaker": "jens-stoltenberg", "kind": "quote", "text": "Finland and Sweden"},
        format="json",
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("text", "ambiguous")
    body = Article.objects.get(slug=SEED_SLUG).body
    offsets = [i for i in range(len(body)) if body.startswith("Finland and Sweden", i)]
    assert len(offsets) == 7
    assert error["message"].startswith("This text occurs 7 times in the article body; give `start`")
    assert all(f"start {offset}: " in error["message"] for offset in offsets)
    assert db_snapshot() == before


def test_statement_with_a_start_is_anchored_where_the_editor_means(editor_api):
    body = Article.objects.get(slug=SEED_SLUG).body
    fifth = [i for i in range(len(body)) if body.startswith("Finland and Sweden", i)][4]
    response = editor_api.post(
        reverse("statement-list"),
        {
            "article": SEED_SLUG,
            "speaker": "jens-stoltenberg",
            "kind": "quote",
            "text": "Finland and Sweden",
            "start": fifth,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["start"], response.json()["end"]) == (fifth, fifth + len("Finland and Sweden"))


def test_statement_with_the_text_of_the_first_takes_its_place_in_body_order(editor_api):
    first = Statement.objects.get(article__slug=SEED_SLUG, position=1)
    response = editor_api.post(
        reverse("statement-list"),
        {
            "article": SEED_SLUG,
            "speaker": "antony-blinken",
            "kind": "quote",
            "text": first.text,
            "position": 41,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["position"] == 2  # next to the statement it shares the span with
    first.refresh_from_db()
    assert first.position == 1


def test_admin_lists_the_occurrences_of_an_ambiguous_text_to_pick_from(client):
    client.force_login(User.objects.create_superuser("span-admin"))
    article = Article.objects.get(slug=SEED_SLUG)
    data = form_data(client.get(admin_url(Statement, "add"))) | {
        "article": str(article.pk),
        "speaker": str(article.statements.first().speaker_id),
        "kind": "quote",
        "text": "Finland and Sweden",
    }
    response = client.post(admin_url(Statement, "add"), data)
    form = response.context["adminform"].form
    assert form.errors["text"][0].startswith("This text occurs 7 times in the article body")
    choices = [value for value, _ in form.fields["occurrence"].choices]
    assert choices == [
        i for i in range(len(article.body)) if article.body.startswith("Finland and Sweden", i)
    ]

    response = client.post(admin_url(Statement, "add"), data | {"occurrence": str(choices[4])})
    assert response.status_code == 302
    assert Statement.objects.get(article=article, text="Finland and Sweden").start == choices[4]
