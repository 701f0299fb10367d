"""DATABASE_REPLICA_URLS in the settings: what it adds, and that without it nothing changes.

Each case loads the production settings in a subprocess (tests/test_deploy.py's helpers), so the
environment is exactly the one given.
"""

import pytest

from tests.test_deploy import manage, production_env, production_settings

PRIMARY = "postgres://briefing@db.internal:5432/briefing"
REPLICAS = "postgres://reader@replica-a.internal:5432/briefing,postgres://reader@replica-b.internal/briefing?sslmode=require"
ROUTING_MIDDLEWARE = "briefing.middleware.ReplicaRoutingMiddleware"


def test_without_replica_urls_there_is_one_database_no_router_and_no_routing_middleware():
    values = production_settings(
        "DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE", "CACHES", DATABASE_URL=PRIMARY
    )

    assert list(values["DATABASES"]) == ["default"]
    assert values["DATABASE_ROUTERS"] == []
    assert ROUTING_MIDDLEWARE not in values["MIDDLEWARE"]
    assert "read_your_writes" not in values["CACHES"]


def test_each_replica_url_becomes_an_alias_with_the_primary_timeouts_and_a_short_connect_timeout():
    values = production_settings(
        "DATABASES",
        "DATABASE_REPLICAS",
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URLS=REPLICAS,
        DB_STATEMENT_TIMEOUT_MS="1500",
    )

    databases = values["DATABASES"]
    assert values["DATABASE_REPLICAS"] == ["replica_1", "replica_2"]
    assert list(databases) == ["default", "replica_1", "replica_2"]
    assert {
        k: databases["replica_1"][k] for k in ("HOST", "USER", "NAME", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
    } == {
        "HOST": "replica-a.internal",
        "USER": "reader",
        "NAME": "briefing",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    assert databases["replica_1"]["OPTIONS"] == {
        "connect_timeout": 2,
        "options": "-c statement_timeout=1500 -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1",
    }
    assert databases["replica_2"]["OPTIONS"] == {
        "connect_timeout": 2,
        "options": "-c statement_timeout=1500 -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1",
        "sslmode": "require",
    }
    assert databases["replica_2"]["TEST"]["MIRROR"] == "default"


def test_replica_urls_install_the_router_middleware_and_shared_cache():
    values = production_settings(
        "DATABASE_ROUTERS",
        "MIDDLEWARE",
        "CACHES",
        "REPLICA_MAX_LAG_SECONDS",
        "REPLICA_CHECK_SECONDS",
        "READ_YOUR_WRITES_SECONDS",
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URLS=REPLICAS,
        REDIS_URL="redis://redis.internal:6379/2",
    )

    middleware = values["MIDDLEWARE"]
    assert values["DATABASE_ROUTERS"] == ["briefing.db_router.ReplicaRouter"]
    assert middleware.index(ROUTING_MIDDLEWARE) + 1 == middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert values["CACHES"]["read_your_writes"] == {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis.internal:6379/2",
        "KEY_PREFIX": "read-your-writes",
    }
    assert (
        values["REPLICA_MAX_LAG_SECONDS"],
        values["REPLICA_CHECK_SECONDS"],
        values["READ_YOUR_WRITES_SECONDS"],
    ) == (5.0, 2.0, 9.0)


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DATABASE_REPLICA_URLS": REPLICAS}, "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL."),
        (
            {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": "sqlite:////tmp/replica.sqlite3"},
            "Replica 1 of DATABASE_REPLICA_URLS is not a postgres:// URL.",
        ),
        (
            {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": REPLICAS, "READ_YOUR_WRITES_SECONDS": "1"},
            "READ_YOUR_WRITES_SECONDS must be at least REPLICA_MAX_LAG_SECONDS.",
        ),
    ],
    ids=["sqlite-primary", "sqlite-replica", "window-shorter-than-lag"],
)
def test_replica_settings_refuse_to_start_when_inconsistent(environment, message):
    result = manage("check", env=production_env(**environment))

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
