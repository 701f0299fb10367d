"""Security headers and read-only CORS, as the middleware stack sends them (DEBUG off)."""

import pytest
from django.test import override_settings
from django.urls import reverse

APP = "https://app.example.org"

pytestmark = pytest.mark.django_db


def test_https_responses_carry_hsts_and_browser_hardening_headers(client):
    response = client.get(reverse("healthz"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_pages_may_not_be_framed(client):
    assert client.get(reverse("admin:login"), secure=True)["X-Frame-Options"] == "DENY"


def test_forwarded_proto_from_the_proxy_marks_the_request_secure(client):
    response = client.get(reverse("healthz"), headers={"X-Forwarded-Proto": "https"})

    assert "Strict-Transport-Security" in response


@override_settings(CORS_ALLOWED_ORIGINS=[APP])
def test_cors_preflight_from_allowed_origin_offers_read_methods_only(client):
    response = client.options(
        reverse("healthz"), headers={"Origin": APP, "Access-Control-Request-Method": "POST"}
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[APP])
def test_cors_read_from_allowed_origin_exposes_retry_after(client):
    response = client.get(reverse("healthz"), headers={"Origin": APP})

    assert response["Access-Control-Allow-Origin"] == APP
    assert response["Access-Control-Expose-Headers"] == "Retry-After"


@override_settings(CORS_ALLOWED_ORIGINS=[APP])
def test_cors_ignores_unlisted_origins(client):
    response = client.get(reverse("healthz"), headers={"Origin": "https://evil.example.net"})

    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[APP])
def test_cors_never_covers_the_admin(client):
    response = client.get(reverse("admin:login"), headers={"Origin": APP})

    assert "Access-Control-Allow-Origin" not in response


def test_static_files_are_served_by_whitenoise(client):
    response = client.get("/static/admin/css/base.css")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"/*")
