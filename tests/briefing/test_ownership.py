"""Who owns which data: an import never deletes, unlinks or reverts what an editor changed.

Restarting ``make run`` (and the image's ``SEED=1``) re-imports every fixture; these tests are
what an editor's work survives. A fixture changes a field only while the database still holds
what that fixture wrote; everything else is kept, and the report says so.
"""

import json
import shutil

import pytest
from django.core.management import call_command

from briefing import services
from briefing.models import Article, ImportRecord, Meeting, Official, Statement
from tests import factories
from tests.conftest import DATA, SEED_PATH, SEED_SLUG

pytestmark = pytest.mark.django_db

HARBOUR = DATA / "more" / "constructed-harbour-talks-lyskova-2021.json"
GRAIN = DATA / "more" / "constructed-grain-corridor-call-2021.json"
WHITE_HOUSE = "white-house-meeting-2022-06-02"


def history_count() -> int:
    return sum(model.history.count() for model in (Statement, Meeting, Official, Article))


def reseed():
    """What restarting `make run` does: import every fixture the suite ships, again."""
    return services.article_import(path=SEED_PATH)


def test_reseed_keeps_a_statement_an_editor_added(capsys):
    article = Article.objects.get(slug=SEED_SLUG)
    added = factories.statement_for(
        article,
        Official.objects.get(slug="jens-stoltenberg"),
        text="the implications of Russia’s war in Ukraine",
    )

    call_command("seed")

    assert Statement.objects.filter(pk=added.pk).exists()
    assert "0 deleted" in capsys.readouterr().out


def test_reseed_reports_the_editors_statement_as_kept():
    article = Article.objects.get(slug=SEED_SLUG)
    factories.statement_for(
        article,
        Official.objects.get(slug="jens-stoltenberg"),
        text="preparations for the NATO Summit in Madrid",
    )
    report = reseed()
    assert (report.total("deleted"), report.total("kept")) == (0, 1)
    assert any("added by an editor" in note for note in report.notes)


def test_reseed_keeps_an_article_an_editor_linked_to_a_meeting():
    other = factories.ArticleFactory()
    meeting = Meeting.objects.get(slug=WHITE_HOUSE)
    services.meeting_save(meeting=meeting, articles=[*meeting.articles.all(), other])
    reseed()
    assert set(meeting.articles.values_list("slug", flat=True)) == {SEED_SLUG, other.slug}


def test_reseed_keeps_a_meeting_an_editor_linked_to_the_article():
    meeting = factories.MeetingFactory()
    services.meeting_save(meeting=meeting, articles=[Article.objects.get(slug=SEED_SLUG)])
    reseed()
    assert list(meeting.articles.values_list("slug", flat=True)) == [SEED_SLUG]


def test_reseed_keeps_edited_names_and_titles_and_says_so():
    official = Official.objects.get(slug="lloyd-austin")
    official.name, official.title = "Lloyd James Austin III", "Former US Secretary of Defense"
    services.record_save(instance=official)
    meeting = Meeting.objects.get(slug=WHITE_HOUSE)
    meeting.title = "Stoltenberg at the White House"
    services.meeting_save(meeting=meeting)

    report = reseed()

    official.refresh_from_db()
    meeting.refresh_from_db()
    assert (official.name, official.title) == ("Lloyd James Austin III", "Former US Secretary of Defense")
    assert meeting.title == "Stoltenberg at the White House"
    assert report.total("updated") == 0
    notes = [note.split(":")[0] for note in report.notes]
    assert {"officials[5].name", "officials[5].title", "meetings[2].title"} <= set(notes)


def test_reseed_does_not_bring_back_a_statement_an_editor_deleted():
    statement = Statement.objects.get(article__slug=SEED_SLUG, position=3)
    text = statement.text
    services.statement_delete(statement=statement)
    report = reseed()
    assert not Statement.objects.filter(article__slug=SEED_SLUG, text=text).exists()
    assert any("deleted by an editor" in note for note in report.notes)


def test_reseed_keeps_a_participant_an_editor_added():
    meeting = Meeting.objects.get(slug=WHITE_HOUSE)
    blinken = Official.objects.get(slug="antony-blinken")
    rows = [(p.official, p.role) for p in meeting.participations.all()]
    services.meeting_participants_set(
        meeting=meeting, participants=[*rows, (blinken, "US Secretary of State")]
    )
    reseed()
    assert meeting.participations.filter(official=blinken).exists()


def test_corrected_fixture_still_changes_the_fields_no_editor_touched(tmp_path):
    official = Official.objects.get(slug="lloyd-austin")
    official.title = "Former US Secretary of Defense"
    services.record_save(instance=official)
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    data["officials"][5]["name"] = "Lloyd J. Austin"
    data["officials"][5]["title"] = "Secretary of Defense"
    path = tmp_path / SEED_PATH.name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    services.article_import(path=path)

    official.refresh_from_db()
    assert (official.name, official.title) == ("Lloyd J. Austin", "Former US Secretary of Defense")


def test_seeding_two_fixtures_that_name_one_official_differently_twice_changes_nothing():
    services.article_import(path=HARBOUR)
    services.article_import(path=GRAIN)
    before = history_count()
    varo = Official.objects.get(slug="piet-varo")

    # Twice more: a fixture that found a field someone else's never takes it over later.
    reports = [services.article_import(path=path) for _ in range(2) for path in (HARBOUR, GRAIN)]

    assert [(r.total("created"), r.total("updated"), r.total("deleted")) for r in reports] == [(0, 0, 0)] * 4
    assert history_count() == before
    varo.refresh_from_db()
    # The first fixture to name him set his title; the other's wording is not flipped in.
    assert varo.title == "Chancellor of the Ostmark Federation"


def _normalised(fixture: dict) -> dict:
    """A fixture as data, in format version 2: records keyed by slug, links as sets, defaults
    filled in, offsets only where the file gives them."""
    fixture = services.fixtures.fixture_upgrade(fixture) if fixture.get("format", 1) == 1 else fixture
    defaults = {
        "organizations": {"abbreviation": "", "kind": "other", "parent": None},
        "officials": {"aliases": [], "title": "", "organization": None},
        "posts": {"organization": None},
        "topics": {"description": "", "parent": None},
        "meetings": {
            "location": "", "city": "", "summary": "", "topics": [], "date_as_reported": "",
            "participants_complete": True, "inferred": [],
        },
    }  # fmt: skip
    data = {
        key: {row["slug"]: {**defaults[key], **row} for row in fixture.get(key, [])}
        for key in ("organizations", "officials", "posts", "topics", "meetings")
    }
    for meeting in data["meetings"].values():
        meeting["topics"] = sorted(meeting["topics"])
        meeting["participants"] = [{"post": None, **p} for p in meeting["participants"]]
    data["article"] = {
        "publisher": "",
        "original_source": "",
        "url": "",
        "published_on": None,
        **fixture["article"],
    }
    data["memberships"] = [
        {"start_date": None, "end_date": None, "source": "", **m} for m in fixture.get("memberships", [])
    ]
    data["mentions"] = [
        {"name_as_printed": "", "title_as_given": "", "honorifics": "", **m}
        for m in fixture.get("mentions", [])
    ]
    data["statements"] = [
        {"meeting": None, "topics": [], **({"meeting_relation": "at"} if row.get("meeting") else {}), **row}
        for row in fixture["statements"]
    ]
    for row in data["statements"]:
        row["topics"] = sorted(row["topics"])
    return data


@pytest.mark.parametrize("path", [SEED_PATH, HARBOUR, GRAIN], ids=lambda p: p.stem)
def test_exporting_a_freshly_imported_fixture_gives_its_data_back(path):
    services.article_import(path=path)
    fixture = json.loads(path.read_text(encoding="utf-8"))
    exported = services.fixture_export(article=Article.objects.get(slug=fixture["article"]["slug"]))
    expected = _normalised(fixture)
    got = _normalised(exported)
    assert got == expected


def test_importing_an_exported_fixture_changes_nothing(tmp_path, db_snapshot):
    article = Article.objects.get(slug=SEED_SLUG)
    factories.statement_for(
        article, Official.objects.get(slug="jens-stoltenberg"), text="senior U.S. officials"
    )
    meeting = Meeting.objects.get(slug=WHITE_HOUSE)
    meeting.summary = "Edited by an editor."
    services.meeting_save(meeting=meeting)
    path = tmp_path / "exported.json"
    call_command("export_fixture", SEED_SLUG, "--output", str(path))
    before, records = db_snapshot(), history_count()

    report = services.article_import(path=path)

    assert (report.total("created"), report.total("updated"), report.total("deleted")) == (0, 0, 0)
    assert db_snapshot() == before
    assert history_count() == records


def test_a_committed_export_makes_the_editors_values_the_fixtures_own(tmp_path):
    meeting = Meeting.objects.get(slug=WHITE_HOUSE)
    meeting.summary = "Curated summary."
    services.meeting_save(meeting=meeting)
    exported = services.fixture_export(article=Article.objects.get(slug=SEED_SLUG))
    path = tmp_path / SEED_PATH.name
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    services.article_import(path=path)

    # The committed fixture now owns the curated value, so its next correction applies.
    exported["meetings"][[m["slug"] for m in exported["meetings"]].index(WHITE_HOUSE)]["summary"] = (
        "Corrected."
    )
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    services.article_import(path=path)

    meeting.refresh_from_db()
    assert meeting.summary == "Corrected."


def test_import_records_name_the_fixture_and_the_values_it_wrote():
    record = ImportRecord.objects.get(source=SEED_SLUG, model="official", key="jens-stoltenberg")
    official = Official.objects.get(slug="jens-stoltenberg")
    assert record.object_id == official.pk
    assert record.values == {
        "name": "Jens Stoltenberg",
        "title": "NATO Secretary General",
        "organization": official.organization_id,
    }


def test_seed_of_a_folder_with_more_fixtures_adds_only_what_is_new(tmp_path, settings):
    for path in (SEED_PATH, HARBOUR, GRAIN):
        shutil.copy(path, tmp_path / path.name)
    settings.FIXTURE_ARTICLES_DIR = tmp_path

    call_command("seed", verbosity=0)
    before = history_count()
    call_command("seed", verbosity=0)

    assert Article.objects.count() == 3
    assert history_count() == before
