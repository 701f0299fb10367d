"""The README holds: its example requests answer, its links lead somewhere, no settings to type.

A newcomer runs the README's commands as written. Its `curl` reads are requested in process on
the seeded database (which holds the seed article they talk about); writes are tested through
the real servers in tests/test_documented_servers.py.
"""

import re
import shlex
from urllib.parse import urlsplit

import pytest

from tests.processes import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
BASE = "http://127.0.0.1:8000"


def curl_reads() -> list[str]:
    """The path and query of every `curl` line of the README that only reads (no -X, no -d)."""
    reads = []
    for line in README.splitlines():
        if line.startswith("curl ") and " -X " not in line and " -d " not in line:
            [url] = [word for word in shlex.split(line)[1:] if word.startswith(BASE)]
            reads.append(url.removeprefix(BASE))
    return reads


def test_the_readme_shows_briefings_exports_facets_and_counts():
    paths = " ".join(curl_reads())

    for needle in (
        "/briefing/",
        "format=md",
        "format=csv",
        "/meetings.ics",
        "/export/popolo.json",
        "facet=",
        "count=true",
    ):
        assert needle in paths, needle


@pytest.mark.django_db
@pytest.mark.parametrize("path", curl_reads())
def test_every_example_request_of_the_readme_answers_200(api, path):
    response = api.get(path)

    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, body[:500]
    assert body


def test_every_link_of_the_readme_to_a_file_leads_to_one():
    targets = [t for t in re.findall(r"\]\(([^)]+)\)", README) if not urlsplit(t).scheme]

    assert targets
    assert [t for t in targets if not (REPO / t.split("#")[0]).exists()] == []


def test_the_readme_links_every_document_in_docs():
    linked = set(re.findall(r"\]\((docs/[^)#]+)", README))

    assert sorted(f"docs/{path.name}" for path in (REPO / "docs").glob("*.md")) == sorted(
        link for link in linked if link.endswith(".md")
    )


def test_no_command_of_the_readme_needs_settings_typed_before_it():
    assert re.findall(r"DEBUG=\S+ \S*(?:python|manage\.py)", README) == []
