"""`manage.py draft`: a draft on standard output or in a file, and clear errors without tracebacks."""

import json

import pytest
from django.core.management import CommandError, call_command

from briefing.services import fixture_validate
from tests.gold import GOLD

pytestmark = pytest.mark.django_db
ARTICLE = GOLD / "tamsin-first-visit-to-corvenna-2024.txt"


def test_draft_command_writes_the_draft_to_the_output_file(tmp_path, capsys):
    out = tmp_path / "draft.json"
    call_command(
        "draft", str(ARTICLE), "--published-on", "2024-03-22", "--publisher", "Ledger", "--output", str(out)
    )
    fixture = json.loads(out.read_text(encoding="utf-8"))
    assert fixture_validate(fixture, str(out))["article"] == {
        "slug": "new-brannock-foreign-minister-makes-first-visit-to-corvenna",
        "title": "New Brannock foreign minister makes first visit to Corvenna",
        "publisher": "Ledger",
        "url": "",
        "published_on": "2024-03-22",
        "body": fixture["article"]["body"],
    }
    assert capsys.readouterr().out == ""


def test_draft_command_prints_the_draft_without_output(capsys):
    call_command("draft", str(ARTICLE), "--title", "Given title")
    fixture = json.loads(capsys.readouterr().out)
    assert fixture["article"]["title"] == "Given title"
    assert fixture["article"]["body"].startswith("New Brannock foreign minister")


def test_draft_command_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Headline\n\nCaf\xe9".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin1\.txt: The article is not UTF-8 text"):
        call_command("draft", str(path))


def test_draft_command_refuses_ten_megabytes_without_reading_them(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Headline\n\n" + b"x" * (10 * 1024 * 1024))
    with pytest.raises(CommandError, match=r"at most 262,144 bytes"):
        call_command("draft", str(path))


def test_draft_command_refuses_a_bad_publication_date():
    with pytest.raises(CommandError, match=r"--published-on '2024-13-01' is not a date \(YYYY-MM-DD\)"):
        call_command("draft", str(ARTICLE), "--published-on", "2024-13-01")


def test_draft_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.txt: No such file or directory"):
        call_command("draft", str(tmp_path / "missing.txt"))


def test_a_slug_made_from_the_title_never_lands_on_a_stored_article():
    from briefing.drafting import draft_fixture
    from tests.factories import ArticleFactory

    ArticleFactory(slug="talks-in-corvenna")
    assert (
        draft_fixture(title="Talks in Corvenna", body="Nothing quoted.")["article"]["slug"]
        == "talks-in-corvenna-2"
    )
