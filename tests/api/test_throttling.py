"""Throttling: 429 problems with Retry-After, counted across workers in a shared cache."""

import secrets
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.processes import HOST, request, run, server_env, start_gunicorn

pytestmark = pytest.mark.django_db

SITE_HOST = "api.example.org"


@pytest.fixture
def rates(settings):
    """Low limits for the test: 3 anonymous, 5 authenticated requests a minute."""
    caches["throttle"].clear()
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "5/min"}
    yield
    caches["throttle"].clear()


def test_anonymous_client_over_its_rate_gets_a_429_problem_with_retry_after(api, rates):
    statuses = [api.get(reverse("topic-list")).status_code for _ in range(4)]
    response = api.get(reverse("topic-list"))
    assert statuses == [200, 200, 200, 429]
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    assert response.json()["status"] == 429


def test_authenticated_client_has_its_own_higher_rate(api, rates, admin_user):
    for _ in range(3):
        api.get(reverse("topic-list"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_user).key}")
    assert [client.get(reverse("topic-list")).status_code for _ in range(6)] == [200] * 5 + [429]


def test_forged_x_forwarded_for_does_not_buy_a_new_anonymous_bucket(api, rates):
    # Regression: with NUM_PROXIES unset every new X-Forwarded-For value got a fresh bucket.
    statuses = [
        api.get(reverse("topic-list"), headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
        for i in range(6)
    ]

    assert statuses == [200, 200, 200, 429, 429, 429]


def test_behind_one_trusted_proxy_the_client_is_the_address_the_proxy_appended(api, rates, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    def get(forged: str, appended_by_proxy: str) -> int:
        header = f"{forged}, {appended_by_proxy}"
        return api.get(reverse("topic-list"), headers={"X-Forwarded-For": header}).status_code

    # What the client wrote before the proxy's entry changes nothing; another client has its own bucket.
    same_client = [get(f"198.51.100.{i}", "192.0.2.10") for i in range(4)]
    other_client = get("198.51.100.1", "192.0.2.11")

    assert (same_client, other_client) == ([200, 200, 200, 429], 200)


def test_health_probes_are_never_throttled(api, rates):
    for _ in range(4):
        api.get(reverse("topic-list"))
    assert api.get("/healthz/").status_code == 200
    assert api.get("/readyz/").status_code == 200


def test_a_rate_of_off_disables_the_scope(api, settings):
    settings.API_THROTTLE_RATES = {"anon": "off", "user": "off"}
    assert {api.get(reverse("topic-list")).status_code for _ in range(10)} == {200}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_limit_holds_across_two_gunicorn_workers(tmp_path, backend):
    """With 2 workers, exactly the limit gets through: the count lives in the shared cache, keyed on
    the peer address whatever X-Forwarded-For says."""
    if backend == "redis":
        redis = pytest.importorskip("redis")
        try:
            redis.Redis(host=HOST, port=6379, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
    env = server_env(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        static_root=tmp_path / "static",
        allowed_host=SITE_HOST,
        THROTTLE_ANON="5/min",
        # The same request twelve times: with the response cache, hits are not counted.
        RESPONSE_CACHE="false",
        MIGRATE="1",
        SEED="1",
    )
    if backend == "redis":
        env["REDIS_URL"] = f"redis://{HOST}:6379/{secrets.randbelow(8) + 8}"
        run(
            [sys.executable, "-c", f"import redis; redis.Redis.from_url('{env['REDIS_URL']}').flushdb()"],
            cwd=tmp_path,
            env=env,
        )
    gunicorn = start_gunicorn(cwd=Path(__file__).resolve().parents[2], env=env, log=tmp_path / "gunicorn.log")
    try:
        assert len(gunicorn.worker_pids()) == 2
        # Each request forges a new X-Forwarded-For: with no trusted proxy it must not matter.
        statuses = [
            request(
                gunicorn.port,
                "GET",
                "/topics/",
                headers={"Host": SITE_HOST, "X-Forwarded-For": f"203.0.113.{i}"},
            ).status
            for i in range(12)
        ]
    finally:
        gunicorn.stop()
    assert statuses.count(200) == 5, gunicorn.log_tail()
    assert statuses.count(429) == 7


def test_anonymous_requests_are_counted_once(api, rates):
    # Only the anonymous bucket is read and written; the per-user one is for signed-in clients.
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from rest_framework.request import Request

    from api.throttling import AnonThrottle, UserThrottle

    request = Request(RequestFactory().get("/topics/"))
    request.user = AnonymousUser()
    assert UserThrottle().get_cache_key(request, None) is None
    assert AnonThrottle().get_cache_key(request, None) is not None
