"""Production settings: Django's deployment checks pass, and unsafe configurations refuse to start.

Each check runs ``manage.py`` in a subprocess with a documented production environment (as in
docs/operations.md), so nothing of the test settings leaks in.
"""

import json
import secrets
import subprocess
import sys

import pytest
from django.db import OperationalError, connection, transaction

from tests.processes import REPO, clean_env


def production_env(**overrides: str) -> dict[str, str]:
    """The smallest production environment: DEBUG unset, a strong key, one host."""
    variables = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "api.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://api.example.org",
        **overrides,
    }
    return clean_env(**{k: v for k, v in variables.items() if v is not None})


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``manage.py`` with production settings and the given environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def production_settings(*names: str, **env: str) -> dict:
    """The values of the named settings as production would load them."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**production_env(**env), "DJANGO_SETTINGS_MODULE": "briefing.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_reports_no_issues_in_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    result = manage("check", env=production_env(**{missing: None}))

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set when DEBUG is off." in result.stderr


def test_production_hardens_transport_cookies_and_uploads():
    values = production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CSRF_TRUSTED_ORIGINS",
        "X_FRAME_OPTIONS",
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
    )

    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_REDIRECT_EXEMPT": ["^healthz/$", "^readyz/$"],
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_TRUSTED_ORIGINS": ["https://api.example.org"],
        "X_FRAME_OPTIONS": "DENY",
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 1048576,
    }


def test_production_settings_read_their_environment_variables():
    values = production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "CORS_ALLOWED_ORIGINS",
        "CACHES",
        "DATABASES",
        SECURE_HSTS_SECONDS="300",
        SECURE_SSL_REDIRECT="false",
        DATA_UPLOAD_MAX_MEMORY_SIZE="2048",
        CORS_ALLOWED_ORIGINS="https://a.example.org,https://b.example.org",
        CACHE_URL="redis://127.0.0.1:6379/3",
        DATABASE_URL="postgres://briefing@db.internal:5432/briefing",
        DB_STATEMENT_TIMEOUT_MS="1500",
    )

    assert values["SECURE_HSTS_SECONDS"] == 300
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 2048
    assert values["CORS_ALLOWED_ORIGINS"] == ["https://a.example.org", "https://b.example.org"]
    assert values["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert values["DATABASES"]["default"]["OPTIONS"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=1500 -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1",
    }


@pytest.mark.django_db
def test_postgres_sessions_run_with_a_statement_timeout():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is set for PostgreSQL only (DATABASE_URL is not postgres://)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("5s",)
        # A query over its budget surfaces as OperationalError, which the API answers with 503.
        with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(1)")


@pytest.mark.parametrize(("variable", "expected"), [(None, 0), ("2", 2)])
def test_production_trusts_x_forwarded_for_only_behind_configured_proxies(variable, expected):
    # 0: the peer address is the client (DRF's None would trust any forged X-Forwarded-For).
    values = production_settings("REST_FRAMEWORK", NUM_PROXIES=variable)

    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == expected
