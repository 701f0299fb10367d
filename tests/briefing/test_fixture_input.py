"""Fixture files are read within documented limits, and their names are shown safely.

A fixture too large or nested too deep is refused with a FixtureError naming the file (never a
RecursionError traceback, never a 50 MB article); a file name with control characters is
escaped in every message, in the seed command's output and in the change history.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from briefing import fixture_input
from briefing.models import Article, Meeting
from briefing.services import FixtureError, article_import
from tests.constructed import harbour_fixture

pytestmark = pytest.mark.django_db

ESCAPE_NAME = "evil\x1b[2J\x1b[31m\u202etxt.json"
SHOWN_NAME = "evil\\x1b[2J\\x1b[31m\\u202etxt.json"


@pytest.fixture
def write(tmp_path):
    """Write text or JSON to a file in a fresh folder; its path."""

    def write_file(content, name="article.json"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return path

    return write_file


def refused(path, db_snapshot) -> FixtureError:
    """The FixtureError importing ``path`` raises, after checking that nothing changed."""
    before = db_snapshot()
    with pytest.raises(FixtureError) as excinfo:
        article_import(path=path)
    assert db_snapshot() == before
    return excinfo.value


def test_the_constructed_fixture_imports(write):
    report = article_import(path=write(harbour_fixture()))

    # An organization, an official, a topic, the article, a meeting, its participant, a statement.
    assert report.total("created") == 7
    assert Article.objects.get(slug="constructed-harbour-talks").statements.count() == 1


def test_default_size_limit_is_two_mebibytes(settings):
    assert settings.FIXTURE_MAX_BYTES == 2 * 1024 * 1024


def test_fixture_over_the_size_limit_is_refused_unread(write, db_snapshot, settings):
    # Regression: a 50 MB fixture used to import, and then be served as a 50 MB article.
    data = harbour_fixture()
    data["article"]["body"] += " " + "Padding. " * (settings.FIXTURE_MAX_BYTES // 9)
    path = write(data)

    error = refused(path, db_snapshot)

    assert (error.path, error.record, error.field) == (str(path), "file", None)
    assert error.message == (
        "is larger than the limit of 2,097,152 bytes (FIXTURE_MAX_BYTES); split the article or raise the limit"
    )


def test_fixture_of_exactly_the_size_limit_is_read(write, settings):
    path = write(harbour_fixture())
    settings.FIXTURE_MAX_BYTES = path.stat().st_size

    assert article_import(path=path).total("created") == 7


def test_size_limit_holds_for_files_that_do_not_say_their_size(settings):
    # /dev/zero says it is empty and never ends: only the limit's worth is read.
    settings.FIXTURE_MAX_BYTES = 1000

    with pytest.raises(fixture_input.FixtureInputError, match="larger than the limit of 1,000 bytes"):
        fixture_input.read_fixture("/dev/zero")


def test_fixture_nested_100000_deep_is_refused_without_a_traceback(write, db_snapshot):
    # Regression: this ended in a RecursionError traceback.
    error = refused(write("[" * 100_000 + "]" * 100_000), db_snapshot)

    assert error.message == "nests arrays and objects 100,000 levels deep; a fixture may use at most 20"


@pytest.mark.parametrize(("depth", "refused_by"), [(20, "schema"), (21, "depth")])
def test_nesting_limit_is_exactly_max_depth(write, db_snapshot, depth, refused_by):
    data = harbour_fixture()
    data["article"]["title"] = json.loads("[" * (depth - 2) + "]" * (depth - 2)) if depth > 2 else []

    error = refused(write(data), db_snapshot)

    assert error.message.startswith("does not match the schema" if refused_by == "schema" else "nests arrays")


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"a": ["[[[[{{{{", 'quote \\" [[[', {"b": "]]]]"}]})

    assert fixture_input.nesting_depth(text) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", "is not UTF-8 text: invalid start byte at byte 0"),
        (b'{"article": ', "cannot be read as JSON: Expecting value: line 1 column 13 (char 12)"),
        (b'{"article": {"title": "\\ud800"}}', "holds a lone surrogate (\\ud800), which is not a character"),
    ],
    ids=["not UTF-8", "truncated JSON", "lone surrogate"],
)
def test_unreadable_fixture_is_refused_saying_why(write, db_snapshot, content, message):
    assert refused(write(content), db_snapshot).message.startswith(message)


def test_missing_file_is_refused_without_echoing_its_name_raw(tmp_path, db_snapshot):
    error = refused(tmp_path / ESCAPE_NAME, db_snapshot)

    assert str(error) == f"{tmp_path}/{SHOWN_NAME}: file: cannot be read: No such file or directory"


def test_file_name_with_escape_sequences_is_shown_escaped_in_the_seed_output(write):
    out = io.StringIO()

    call_command("seed", str(write(harbour_fixture(), name=ESCAPE_NAME)), stdout=out)

    assert SHOWN_NAME in out.getvalue()
    assert "\x1b" not in out.getvalue() and "\u202e" not in out.getvalue()


def test_file_name_with_escape_sequences_is_stored_escaped_in_the_history_reason(write):
    article_import(path=write(harbour_fixture(), name=ESCAPE_NAME))

    meeting = Meeting.objects.get(slug="constructed-harbour-meeting-2023-03-01")
    assert meeting.history.get().history_change_reason == f"import {SHOWN_NAME}"


def test_seed_error_quoting_the_fixture_is_escaped(write):
    data = harbour_fixture()
    data["statements"][0]["text"] = "the talks went \x1b[31mbadly"

    with pytest.raises(CommandError) as excinfo:
        call_command("seed", str(write(data, name=ESCAPE_NAME)))

    assert "\x1b" not in str(excinfo.value)
    assert SHOWN_NAME in str(excinfo.value) and "went \\x1b[31mbadly" in str(excinfo.value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain name.json", "plain name.json"),
        ("Zoë 李 🎉.json", "Zoë 李 🎉.json"),
        ("tab\there", "tab\\x09here"),
        ("bell\x07", "bell\\x07"),
        ("c1\x9bcsi", "c1\\x9bcsi"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("lone\udcff", "lone\\udcff"),
    ],
)
def test_display_escapes_invisible_characters_only(text, shown):
    assert fixture_input.display(text) == shown
    assert fixture_input.display(shown) == shown
