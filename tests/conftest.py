"""Shared fixtures: the database seeded once from the real article fixtures."""

import pytest
from django.core.management import call_command

from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic

BRIEFING_MODELS = [Organization, Official, Topic, Article, Meeting, Participation, Statement]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the test database once from `fixtures/articles/`; each test runs in a rollback."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


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
