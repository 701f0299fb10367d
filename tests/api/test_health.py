"""/healthz/ (liveness) and /readyz/ (readiness)."""

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse

NOT_READY = {
    "type": "https://summit-briefing.example/problems/not-ready",
    "title": "Service Unavailable",
    "status": 503,
    "code": "not_ready",
    "errors": [],
}


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: pytest-django fails the test if the view queries the database.
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_ok_when_database_is_up_and_migrated(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_503_not_ready_when_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.json() == {**NOT_READY, "detail": "The database is unreachable."}


@pytest.mark.django_db
def test_readyz_answers_503_not_ready_when_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json() == {**NOT_READY, "detail": "1 database migration(s) are not applied yet."}


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_probes_refuse_writes_with_405_problem(client, name):
    response = client.post(reverse(name))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {
        "type": "https://summit-briefing.example/problems/method-not-allowed",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": 'Method "POST" not allowed.',
        "code": "method_not_allowed",
        "errors": [],
    }


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_probes_answer_plain_http_when_everything_else_redirects_to_https(client, name):
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 301
