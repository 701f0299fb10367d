"""Shared fixtures: the database seeded once from the suite's own copy of the seed article.

The suite never reads ``fixtures/articles/`` for its data (settings_test points the importer at
``tests/data/articles/``): the shipped set grows, and adding an article must not break a test.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from briefing.models import (
    Article,
    Meeting,
    Membership,
    Mention,
    Official,
    Organization,
    Participation,
    Post,
    Statement,
    Topic,
)

BRIEFING_MODELS = [
    Organization, Official, Post, Membership, Topic, Article, Mention, Meeting, Participation, Statement,
]  # fmt: skip


DATA = Path(__file__).resolve().parent / "data"
# The seed article (NATO Secretary General in Washington, 1–2 June 2022), as the suite knows it.
SEED_PATH = DATA / "articles" / "nato-secretary-general-visits-washington-2022.json"
SEED_SLUG = SEED_PATH.stem


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the test database once from `tests/data/articles/`; each test runs in a rollback."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture(scope="module")
def reseeded_after_flush(django_db_setup, django_db_blocker) -> Iterator[None]:
    """For a module of transactional tests: seed before them, and again (with the groups the
    migrations made) after Django's flush at their end, so later tests find the seeded database.

    Module scope, because a function fixture's teardown would run before the flush.
    """
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        groups = {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }
    yield
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        for name, permissions in groups.items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.set(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in permissions
            )


def snapshot() -> dict:
    """Every briefing row (and many-to-many link) as plain values, to prove nothing changed."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in BRIEFING_MODELS}
    for model, name in [(Meeting, "topics"), (Meeting, "articles"), (Statement, "topics")]:
        through = getattr(model, name).through
        rows[through.__name__] = list(through.objects.order_by("pk").values())
    return rows


@pytest.fixture
def db_snapshot():
    """A callable returning the current snapshot (see `snapshot`)."""
    return snapshot


@pytest.fixture
def api():
    """A DRF test client."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def queries_for(api):
    """Return how many SQL queries a GET of the url takes (asserting it succeeded)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200, response.content
        return len(ctx)

    return count


@pytest.fixture
def many_rows(db):
    """55 synthetic meetings, each with 2 participants, 2 topics, an article and a statement."""
    from tests import factories

    topics = factories.TopicFactory.create_batch(3)
    for i in range(55):
        meeting = factories.MeetingFactory()
        article = factories.ArticleFactory()
        meeting.articles.add(article)
        meeting.topics.set(topics[: 1 + i % 2] + topics[2:])
        for official in factories.OfficialFactory.create_batch(2):
            factories.ParticipationFactory(meeting=meeting, official=official)
        statement = factories.statement_for(article, official, meeting)
        statement.topics.set(topics[:2])
