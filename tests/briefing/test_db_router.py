"""Read-replica routing decisions and read-your-writes marks, in-process.

No replica server runs here, so these cover the decisions that send a read to the primary, and
the marks a write leaves on its client. tests/test_replicas.py runs the whole path against a
real hot standby (reads on the standby, lag, failover).
"""

import hashlib
import math
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefing import db_router, middleware, replicas
from briefing.models import Meeting, Topic

ROUTING_MIDDLEWARE = "briefing.middleware.ReplicaRoutingMiddleware"
WINDOW = 7.5


@pytest.fixture
def with_replica(settings):
    """Settings as DATABASE_REPLICA_URLS makes them, for one replica that no test connects to."""
    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.DATABASE_ROUTERS = ["briefing.db_router.ReplicaRouter"]
    settings.READ_YOUR_WRITES_SECONDS = WINDOW
    settings.DATABASE_ROUTING_HEADER = True
    settings.CACHES = {
        **settings.CACHES,
        middleware.CACHE_ALIAS: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    index = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:index], ROUTING_MIDDLEWARE, *settings.MIDDLEWARE[index:]]
    replicas.monitor.forget()
    yield
    db_router.close_scope()
    replicas.monitor.forget()


@pytest.fixture
def router(with_replica):
    """The router, with replica_1 recorded as healthy: only a rule can keep a read off it."""
    replicas.monitor.record(replicas.Health("replica_1", replicas.OK, 0.0, 0))
    return db_router.ReplicaRouter()


@pytest.fixture
def editor_token(db):
    """The Authorization header of a user who may add topics."""
    from django.contrib.auth.models import Permission

    user = User.objects.create_user("replica-editor")
    user.user_permissions.set(Permission.objects.filter(codename="add_topic"))
    return f"Token {Token.objects.create(user=user).key}"


def test_reads_outside_a_request_go_to_the_primary(router):
    assert router.db_for_read(Meeting) == "default"


def test_reads_of_a_request_pinned_to_the_primary_go_to_the_primary(router):
    scope = db_router.open_scope(primary_only=True)

    assert router.db_for_read(Meeting) == "default"
    assert list(scope.read_from) == ["default"]


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(router):
    scope = db_router.open_scope(primary_only=False)

    assert router.db_for_write(Topic) == "default"
    assert router.db_for_read(Meeting) == "default"
    assert scope.wrote is True


@pytest.mark.django_db
def test_reads_inside_transaction_atomic_go_to_the_primary(router):
    db_router.open_scope(primary_only=False)

    with transaction.atomic():
        assert router.db_for_read(Meeting) == "default"


def test_database_cache_reads_and_writes_stay_on_the_primary_and_are_no_write_of_the_request(router):
    from django.core.cache.backends.db import DatabaseCache

    cache_model = DatabaseCache("briefing_throttle_cache", {}).cache_model_class
    scope = db_router.open_scope(primary_only=False)

    assert router.db_for_write(cache_model) == "default"
    assert router.db_for_read(cache_model) == "default"
    assert (scope.wrote, scope.read_from) == (False, {})


def test_reads_go_to_the_primary_while_every_replica_is_down(router):
    replicas.monitor.mark_down("replica_1", "connection refused")
    scope = db_router.open_scope(primary_only=False)

    assert router.db_for_read(Meeting) == "default"
    assert scope.replica == "default"


def test_a_replica_check_is_reused_within_replica_check_seconds(router):
    recorded = replicas.Health("replica_1", replicas.LAGGING, 9.0, 4096)
    replicas.monitor.record(recorded)

    assert replicas.monitor.health("replica_1") is recorded
    assert replicas.monitor.usable_replicas() == []


@pytest.mark.parametrize(("database", "allowed"), [("default", True), ("replica_1", False)])
def test_migrations_run_only_on_the_primary(router, database, allowed):
    assert router.allow_migrate(database, "briefing") is allowed


def test_objects_from_the_primary_and_a_replica_may_be_related(router):
    from_primary, from_replica = Topic(), Topic()
    from_primary._state.db, from_replica._state.db = "default", "replica_1"

    assert router.allow_relation(from_primary, from_replica) is True


@pytest.mark.django_db
def test_a_write_marks_its_client_by_signed_cookie_and_by_its_token(with_replica, editor_token):
    client = APIClient()

    response = client.post(
        reverse("topic-list"),
        {"slug": "constructed-sticky-topic", "name": "Constructed sticky topic"},
        format="json",
        HTTP_AUTHORIZATION=editor_token,
    )

    assert response.status_code == 201, response.content
    cookie = response.cookies[middleware.COOKIE_NAME]
    assert cookie["max-age"] == math.ceil(WINDOW)
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")
    later = RequestFactory().get("/meetings/")
    later.COOKIES[middleware.COOKIE_NAME] = cookie.value
    assert middleware.wrote_recently(later) is True
    marker = hashlib.sha256(editor_token.encode()).hexdigest()
    assert caches[middleware.CACHE_ALIAS].get(marker) == 1
    assert response[middleware.ROUTING_HEADER] == "default"


@pytest.mark.django_db
def test_a_refused_write_and_a_read_mark_nobody(with_replica, editor_token):
    client = APIClient()

    refused = client.post(reverse("topic-list"), {"name": ""}, format="json", HTTP_AUTHORIZATION=editor_token)
    read = client.get(reverse("topic-list"), HTTP_AUTHORIZATION=editor_token)

    assert (refused.status_code, read.status_code) == (400, 200)
    assert middleware.COOKIE_NAME not in refused.cookies
    assert middleware.COOKIE_NAME not in read.cookies
    assert caches[middleware.CACHE_ALIAS].get(hashlib.sha256(editor_token.encode()).hexdigest()) is None


def test_a_client_with_a_fresh_signed_cookie_wrote_recently(with_replica):
    request = RequestFactory().get("/meetings/")
    request.COOKIES[middleware.COOKIE_NAME] = _signed_cookie()

    assert middleware.wrote_recently(request) is True


def test_a_forged_or_expired_cookie_pins_nobody(with_replica, monkeypatch):
    forged = RequestFactory().get("/meetings/")
    forged.COOKIES[middleware.COOKIE_NAME] = "1"
    expired = RequestFactory().get("/meetings/")
    signed_at = time.time() - WINDOW - 1
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda: signed_at)
        expired.COOKIES[middleware.COOKIE_NAME] = _signed_cookie()

    assert middleware.wrote_recently(forged) is False
    assert middleware.wrote_recently(expired) is False


def test_a_token_marked_by_its_write_is_pinned_and_another_token_is_not(with_replica):
    mine = RequestFactory().get("/meetings/", HTTP_AUTHORIZATION="Token mine")
    other = RequestFactory().get("/meetings/", HTTP_AUTHORIZATION="Token other")
    middleware.remember_write(mine, _response())

    assert middleware.wrote_recently(mine) is True
    assert middleware.wrote_recently(other) is False


def test_an_unreachable_read_your_writes_cache_pins_the_client_to_the_primary(with_replica, settings):
    settings.CACHES = {
        **settings.CACHES,
        middleware.CACHE_ALIAS: {
            "BACKEND": "django_redis.cache.RedisCache",
            # Nothing listens on port 1: every cache call fails.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }
    request = RequestFactory().get("/meetings/", HTTP_AUTHORIZATION="Token mine")

    assert middleware.wrote_recently(request) is True


@pytest.mark.django_db
def test_a_read_names_the_database_it_read_from_and_marks_nobody(with_replica, client):
    replicas.monitor.mark_down("replica_1", "connection refused")

    response = client.get(reverse("meeting-list"))

    assert response.status_code == 200
    assert response[middleware.ROUTING_HEADER] == "default"
    assert middleware.COOKIE_NAME not in response.cookies


def _signed_cookie() -> str:
    """The value of the read-your-writes cookie a write response sets now."""
    response = _response()
    middleware.remember_write(RequestFactory().post("/topics/"), response)
    return response.cookies[middleware.COOKIE_NAME].value


def _response():
    from django.http import HttpResponse

    return HttpResponse()
