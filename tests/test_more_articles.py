"""The corpus grows: with two more articles in the import folder, seeding, the API and the
exports behave, and seeding again changes nothing.

The two extra articles are constructed for the suite (tests/data/more/, fictional people and
places); the seed article comes from the suite's copy. Nothing here reads fixtures/articles/.
"""

import csv
import io
import json
import shutil

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from briefing.models import Article, Meeting, Official, Statement
from briefing.services import fixture_paths
from tests.api.test_popolo import popolo_errors
from tests.conftest import DATA, SEED_PATH

pytestmark = pytest.mark.django_db

MORE = sorted((DATA / "more").glob("*.json"))


@pytest.fixture
def three_articles(tmp_path, settings):
    """An import folder with the seed article and the two constructed ones, seeded."""
    for path in (SEED_PATH, *MORE):
        shutil.copy(path, tmp_path / path.name)
    settings.FIXTURE_ARTICLES_DIR = tmp_path
    call_command("seed", verbosity=0)
    return tmp_path


def test_seeding_the_folder_imports_every_article_in_it(three_articles):
    slugs = {
        json.loads(p.read_text(encoding="utf-8"))["article"]["slug"] for p in fixture_paths(three_articles)
    }
    assert set(Article.objects.values_list("slug", flat=True)) == slugs
    assert len(slugs) == 3


def test_seeding_the_folder_again_writes_nothing(three_articles, db_snapshot, capsys):
    before = db_snapshot()
    call_command("seed")
    out = capsys.readouterr().out
    assert db_snapshot() == before
    assert out.count("0 created, 0 updated") == 3


def test_api_lists_and_details_every_article_and_its_meetings(three_articles, api):
    articles = api.get(reverse("article-list"), {"page_size": 100}).json()["results"]
    assert {a["slug"] for a in articles} == set(Article.objects.values_list("slug", flat=True))
    for article in Article.objects.all():
        detail = api.get(reverse("article-detail", args=[article.slug])).json()
        assert [s["id"] for s in detail["statements"]] == list(
            article.statements.order_by("position").values_list("pk", flat=True)
        )
        for meeting in detail["meetings"]:
            assert api.get(reverse("meeting-detail", args=[meeting["slug"]])).status_code == 200


def test_statements_of_every_article_are_verbatim_spans(three_articles, api):
    for item in api.get(reverse("statement-list"), {"page_size": 100}).json()["results"]:
        body = api.get(reverse("article-detail", args=[item["article"]["slug"]])).json()["body"]
        assert body[item["start"] : item["end"]] == item["text"]


def test_an_official_named_by_two_articles_lists_the_meetings_of_both(three_articles, api):
    varo = api.get(reverse("official-detail", args=["piet-varo"])).json()
    assert {m["meeting"]["slug"] for m in varo["meetings"]} == {
        "dunmore-varo-lyskova-2021-09-14",
        "varo-quist-call-2021-10-02",
    }


def test_popolo_export_holds_every_article_and_is_valid(three_articles, api):
    export = api.get(reverse("popolo-export")).json()
    assert {p["id"] for p in export["persons"]} >= set(Official.objects.values_list("slug", flat=True))
    assert len(export["speeches"]) == Statement.objects.count()
    assert [e for person in export["persons"] for e in popolo_errors("person", person)] == []


def test_calendar_and_csv_hold_every_meeting(three_articles, api):
    calendar = icalendar.Calendar.from_ical(api.get(reverse("meeting-calendar")).content)
    assert len(calendar.walk("VEVENT")) == Meeting.objects.count()
    response = api.get(reverse("meeting-list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["slug"] for row in rows} == set(Meeting.objects.values_list("slug", flat=True))
