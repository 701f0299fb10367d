"""The article-fixture importer: validates first, writes atomically, and is idempotent."""

import copy
import json

import jsonschema
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefing.models import Article, Meeting, Organization, Participation, Statement
from briefing.services import FixtureError, article_import, fixture_paths, fixture_schema
from tests.conftest import DATA, SEED_PATH, SEED_SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_data():
    """The seed article's fixture, parsed: a fresh copy to alter per test."""
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def write_fixture(tmp_path):
    def write(data, name="article.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize("path", [*fixture_paths(SEED_PATH.parent)], ids=lambda p: p.name)
def test_fixture_files_match_the_json_schema_of_their_format(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    schema = fixture_schema() if data.get("format") == 2 else fixture_schema(settings.FIXTURE_SCHEMA_V1_PATH)
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_schema_enums_match_the_model_choices():
    defs = fixture_schema()["$defs"]
    assert defs["meeting"]["properties"]["kind"]["enum"] == Meeting.Kind.values
    assert defs["statement"]["properties"]["kind"]["enum"] == Statement.Kind.values
    assert defs["organization"]["properties"]["kind"]["enum"] == Organization.Kind.values


def test_reimport_changes_nothing(db_snapshot):
    before = db_snapshot()
    report = article_import(path=SEED_PATH)
    assert (report.total("created"), report.total("updated"), report.total("deleted")) == (0, 0, 0)
    # 10 organizations, 8 officials, 8 posts, 8 memberships, 19 topics, 1 article, 4 meetings,
    # 10 participants, 40 statements, 57 mentions.
    assert report.total("unchanged") == 165
    assert db_snapshot() == before


def test_corrected_fixture_updates_rows_in_place(seed_data, write_fixture):
    participation = Participation.objects.get(official__slug="kamala-harris")
    statement = Statement.objects.get(article__slug=seed_data["article"]["slug"], position=1)
    seed_data["meetings"][2]["participants"][2]["role"] = "Vice President of the United States"
    seed_data["statements"][0]["topics"] = ["transatlantic-relations"]

    report = article_import(path=write_fixture(seed_data))

    participation.refresh_from_db()
    assert participation.role == "Vice President of the United States"
    assert list(Statement.objects.get(pk=statement.pk).topics.values_list("slug", flat=True)) == [
        "transatlantic-relations"
    ]
    assert report.total("created") == 0
    assert report.total("updated") == 2


def _as_new_article(data):
    """``data`` renamed into a new article reporting new meetings (the officials and topics stay)."""
    data["article"]["slug"] = "a-second-article"
    for meeting in data["meetings"]:
        meeting["slug"] += "-copy"
    for statement in data["statements"]:
        if statement.get("meeting"):
            statement["meeting"] += "-copy"
    return data


def test_repeated_phrase_without_start_is_refused_listing_its_occurrences(write_fixture, db_snapshot):
    body = "“We agree.” said the minister. “We agree.” said her counterpart."
    data = {
        "article": {"slug": "repeated-phrase", "title": "Agreement", "body": body},
        "statements": [{"speaker": "jens-stoltenberg", "kind": "quote", "text": "We agree."}],
    }
    error = _refusal(data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("statements[0]", "text")
    assert error.message == (
        "This text occurs 2 times in the article body; give `start` to say which one: "
        "start 1: “[We agree.]” said the minister. “We agree…; "
        "start 32: …e agree.” said the minister. “[We agree.]” said her counterpart.."
    )


def test_repeated_phrase_is_quoted_at_the_occurrence_its_start_names(write_fixture):
    body = "“We agree.” said the minister. “We agree.” said her counterpart."
    second = body.index("We agree.", 2)
    data = {
        "article": {"slug": "repeated-phrase", "title": "Agreement", "body": body},
        "statements": [
            {"speaker": "jens-stoltenberg", "kind": "quote", "text": "We agree.", "start": 1},
            {"speaker": "antony-blinken", "kind": "quote", "text": "We agree.", "start": second},
        ],
    }

    def spans():
        statements = Statement.objects.filter(article__slug="repeated-phrase").order_by("position")
        return list(statements.values_list("speaker__slug", "start", "end"))

    article_import(path=write_fixture(data))
    assert spans() == [("jens-stoltenberg", 1, 10), ("antony-blinken", second, second + 9)]

    # A corrected body (and starts) moves both spans; the statements keep their identity.
    ids = set(Statement.objects.filter(article__slug="repeated-phrase").values_list("pk", flat=True))
    data["article"]["body"] = "Washington. " + body
    data["statements"][0]["start"], data["statements"][1]["start"] = 13, second + 12
    article_import(path=write_fixture(data))
    assert spans() == [("jens-stoltenberg", 13, 22), ("antony-blinken", second + 12, second + 21)]
    assert set(Statement.objects.filter(article__slug="repeated-phrase").values_list("pk", flat=True)) == ids


def test_start_that_does_not_hold_the_text_is_refused(seed_data, write_fixture, db_snapshot):
    seed_data["statements"][0]["start"] = 3
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("statements[0]", "start")
    assert error.message.startswith("The text does not stand at offset 3 of the article body")


def test_two_speakers_of_one_reported_sentence_share_its_span():
    article = Article.objects.get(slug=SEED_SLUG)
    joint = list(article.statements.filter(position__in=[26, 27]).order_by("position"))
    assert [s.speaker.slug for s in joint] == ["antony-blinken", "jens-stoltenberg"]
    assert joint[0].text == joint[1].text
    assert (joint[0].start, joint[0].end) == (joint[1].start, joint[1].end)
    assert article.body[joint[0].start : joint[0].end] == joint[0].text


def test_new_article_takes_one_insert_per_statement_table_and_one_lookup_per_model(seed_data, write_fixture):
    path = write_fixture(_as_new_article(seed_data))
    with CaptureQueriesContext(connection) as ctx:
        article_import(path=path)

    def count(sql):
        return sum(sql in query["sql"] for query in ctx.captured_queries)

    assert Statement.objects.filter(article__slug="a-second-article").count() == 40
    # Slugs are resolved once per model, and the rows found are not proved to exist again.
    for table in ("official", "organization", "topic", "meeting"):
        assert count(f'FROM "briefing_{table}" WHERE "briefing_{table}"."slug" IN ') == 1
    for table in ("official", "meeting"):
        assert count(f'FROM "briefing_{table}" WHERE "briefing_{table}"."id" = ') == 0
    # The new article's row is locked once for all its statements, once for all its mentions.
    assert count('FROM "briefing_article" WHERE "briefing_article"."id" = ') == 2
    for table in ("statement", "statement_topics", "historicalstatement", "historicalstatement_topics"):
        assert count(f'INSERT INTO "briefing_{table}" ') == 1
    # The file's transaction is one savepoint (within the test's transaction); the others are
    # Django's, around each check constraint's query. None per save.
    assert count("SAVEPOINT") - count("RELEASE SAVEPOINT") == 1 + count('SELECT 1 AS "_check"')


def test_statement_dropped_from_fixture_is_deleted_while_no_editor_changed_it(seed_data, write_fixture):
    seed_data["statements"].pop()
    report = article_import(path=write_fixture(seed_data))
    assert Statement.objects.filter(article__slug=SEED_SLUG).count() == 39
    assert report.total("deleted") == 1


def _refusal(data, write_fixture, db_snapshot):
    """Import ``data``; return the FixtureError after checking the database did not change."""
    before = db_snapshot()
    with pytest.raises(FixtureError) as excinfo:
        article_import(path=write_fixture(data))
    assert db_snapshot() == before
    return excinfo.value


def test_quote_not_in_the_body_is_refused(seed_data, write_fixture, db_snapshot):
    seed_data["statements"][5]["text"] = "I am confident that we will find a way forward."
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("statements[5]", "text")
    assert "does not occur verbatim in the article body" in error.message


def test_quote_with_straight_apostrophe_is_refused(seed_data, write_fixture, db_snapshot):
    seed_data["statements"][8]["text"] = seed_data["statements"][8]["text"].replace("’", "'")
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("statements[8]", "text")


def test_unknown_speaker_slug_is_refused(seed_data, write_fixture, db_snapshot):
    seed_data["statements"][3]["speaker"] = "jens-stoltenburg"
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("statements[3]", "speaker")
    assert "unknown official slug “jens-stoltenburg”" in error.message


def test_impossible_date_is_refused(seed_data, write_fixture, db_snapshot):
    seed_data["meetings"][0]["date"] = "2022-02-30"
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("meetings[0]", "date")


def test_implausible_year_is_refused(seed_data, write_fixture, db_snapshot):
    seed_data["meetings"][0]["date"] = "0022-06-01"
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert error.record == "meetings[0]"
    assert "before 1900-01-01" in error.message


def test_fixture_breaking_the_schema_is_refused(seed_data, write_fixture, db_snapshot):
    del seed_data["statements"][2]["text"]
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert error.record == "statements[2]"
    assert "'text' is a required property" in error.message


def test_duplicate_participant_is_refused(seed_data, write_fixture, db_snapshot):
    participants = seed_data["meetings"][0]["participants"]
    participants.append(copy.deepcopy(participants[0]))
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("meetings[0].participants[2]", "official")


def test_statements_out_of_article_order_are_refused(seed_data, write_fixture, db_snapshot):
    statements = seed_data["statements"]
    statements[0], statements[1] = statements[1], statements[0]
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert error.record == "statements[1]"
    assert "order they appear" in error.message


def test_new_article_failing_at_its_last_statement_leaves_nothing(seed_data, write_fixture, db_snapshot):
    _as_new_article(seed_data)["statements"][-1]["text"] = "Words nobody said."
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert error.record == "statements[39]"


def test_new_article_with_statements_out_of_order_is_refused(seed_data, write_fixture, db_snapshot):
    statements = _as_new_article(seed_data)["statements"]
    statements[10], statements[11] = statements[11], statements[10]
    error = _refusal(seed_data, write_fixture, db_snapshot)
    assert (error.record, error.field) == ("statements[11]", "text")


def test_unreadable_json_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(FixtureError) as excinfo:
        article_import(path=path)
    assert str(path) in str(excinfo.value)


def test_seed_command_exits_with_the_error_naming_file_record_and_field(seed_data, write_fixture):
    seed_data["statements"][0]["speaker"] = "nobody"
    path = write_fixture(seed_data)
    with pytest.raises(CommandError, match=r"broken\.json: statements\[0\]\.speaker: unknown official"):
        call_command("seed", str(write_fixture(seed_data, name="broken.json")))
    assert path.exists()


def test_seed_check_validates_without_writing(seed_data, write_fixture, db_snapshot):
    seed_data["article"]["slug"] = "another-article"
    before = db_snapshot()
    call_command("seed", "--check", str(write_fixture(seed_data)))
    assert db_snapshot() == before


def test_import_records_one_creation_per_statement_in_the_history():
    records = Statement.history.filter(history_type="+", article__slug=SEED_SLUG)
    assert records.count() == 40
    assert set(records.values_list("history_change_reason", flat=True)) == {
        "import nato-secretary-general-visits-washington-2022.json"
    }
    assert Statement.history.count() == 40


def test_statement_creation_record_lists_its_topics():
    snapshot_model = Statement.history.model.topics.model
    for statement in Statement.objects.prefetch_related("topics"):
        created = statement.history.get(history_type="+")
        snapshot = snapshot_model.objects.filter(history=created).values_list("topic_id", flat=True)
        assert sorted(snapshot) == sorted(t.pk for t in statement.topics.all())
    assert snapshot_model.objects.count() == Statement.topics.through.objects.count() > 40


def test_new_article_is_recorded_like_the_seed(seed_data, write_fixture):
    article_import(path=write_fixture(_as_new_article(seed_data)))
    created = Statement.history.filter(article__slug="a-second-article", history_type="+")
    assert created.count() == 40
    assert set(created.values_list("history_change_reason", flat=True)) == {"import article.json"}
    statement = Statement.objects.get(article__slug="a-second-article", position=1)
    assert statement.history.get().topics.count() == statement.topics.count() > 0


def test_reimport_records_no_history():
    before = sum(model.history.count() for model in (Statement, Meeting, Participation, Organization))
    article_import(path=SEED_PATH)
    assert sum(model.history.count() for model in (Statement, Meeting, Participation, Organization)) == before


def test_corrected_fixture_is_recorded_as_one_change(seed_data, write_fixture):
    seed_data["statements"][0]["topics"] = ["transatlantic-relations"]
    article_import(path=write_fixture(seed_data))
    statement = Statement.objects.get(article__slug=SEED_SLUG, position=1)
    latest = statement.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "import article.json")
    assert statement.history.count() == 2


def test_upgrade_fixture_writes_version_2_that_matches_its_schema_and_imports_the_same(tmp_path, db_snapshot):
    v1 = DATA / "more" / "constructed-harbour-talks-lyskova-2021.json"
    upgraded = tmp_path / "upgraded.json"
    call_command("upgrade_fixture", str(v1), "--output", str(upgraded))
    data = json.loads(upgraded.read_text(encoding="utf-8"))
    assert data["format"] == 2
    jsonschema.validate(data, fixture_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    article_import(path=v1)
    after_v1 = db_snapshot()
    report = article_import(path=upgraded)

    assert (report.total("created"), report.total("updated"), report.total("deleted")) == (0, 0, 0)
    assert db_snapshot() == after_v1


def test_upgrade_fixture_refuses_a_file_already_in_version_2():
    with pytest.raises(CommandError, match="already in format version 2"):
        call_command("upgrade_fixture", str(SEED_PATH))
