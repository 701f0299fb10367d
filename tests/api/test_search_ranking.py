"""Full-text search ranks the newest matches (PostgreSQL): bounded work, every match by order."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from api.filters import StableOrderingFilter
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL"),
]

SENTENCES = {
    "often": "Zephyrine talks, zephyrine plans and zephyrine hopes filled the day.",
    "first": "The zephyrine question came up in the morning.",
    "second": "A zephyrine answer followed at noon.",
    "third": "Nobody mentioned anything zephyrine after dinner.",
}


@pytest.fixture
def matches(db):
    """Four matching statements; the oldest mentions the word three times, the others once."""
    source = factories.ArticleFactory(body=" ".join(SENTENCES.values()))
    speaker = factories.OfficialFactory()
    made = {}
    for days, (name, text) in enumerate(SENTENCES.items()):
        meeting = factories.MeetingFactory(date=datetime.date(2020, 1, 1) + datetime.timedelta(days=days))
        made[name] = factories.statement_for(source, speaker, meeting, text=text).pk
    return made


def found(api, **params) -> list[int]:
    response = api.get(reverse("statement-list"), {"search": "zephyrine", **params})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_search_ranks_every_match_when_they_are_few(api, matches):
    assert found(api)[0] == matches["often"]
    assert set(found(api)) == set(matches.values())


def test_search_ranks_only_the_newest_matches(api, matches, monkeypatch):
    monkeypatch.setattr(StableOrderingFilter, "RANKED_MATCHES", 3)

    # The oldest match ranks best, but is not among the three newest: relevance leaves it out.
    assert found(api) == [matches["third"], matches["second"], matches["first"]]


def test_search_with_an_ordering_returns_every_match(api, matches, monkeypatch):
    monkeypatch.setattr(StableOrderingFilter, "RANKED_MATCHES", 3)

    assert found(api, ordering="-date") == [matches[name] for name in ("third", "second", "first", "often")]
