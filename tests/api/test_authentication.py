"""Failed token authentication is limited per client address: guessing tokens ends in 429s."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

LIMIT = 3
TOO_MANY_FAILURES = "Too many failed authentication attempts from this address."


@pytest.fixture
def failure_limit(settings):
    """At most 3 failed authentications a minute per client; the other limits off."""
    caches["throttle"].clear()
    settings.API_THROTTLE_RATES = {"anon": "off", "user": "off", "auth_failure": f"{LIMIT}/min"}
    yield
    caches["throttle"].clear()


def get_topics(api, key: str, address: str = "192.0.2.1"):
    return api.get(reverse("topic-list"), headers={"Authorization": f"Token {key}"}, REMOTE_ADDR=address)


def test_random_tokens_get_401_up_to_the_limit_then_a_429_problem(api, failure_limit):
    responses = [get_topics(api, f"{n:040x}") for n in range(LIMIT + 2)]

    assert [r.status_code for r in responses] == [401] * LIMIT + [429, 429]
    last = responses[-1]
    assert 0 < int(last["Retry-After"]) <= 60
    assert last.json() == {
        "type": "https://summit-briefing.example/problems/throttled",
        "title": "Too Many Requests",
        "status": 429,
        "detail": f"{TOO_MANY_FAILURES} Expected available in {last['Retry-After']} seconds.",
        "code": "throttled",
        "errors": [],
    }


def test_over_the_limit_even_a_valid_token_is_refused_unchecked(api, failure_limit):
    key = Token.objects.create(user=User.objects.create_user("reader")).key
    for n in range(LIMIT):
        get_topics(api, f"{n:040x}")

    assert get_topics(api, key).status_code == 429


def test_failures_of_one_address_do_not_limit_another(api, failure_limit):
    for n in range(LIMIT + 1):
        get_topics(api, f"{n:040x}", address="192.0.2.1")

    assert get_topics(api, "0" * 40, address="192.0.2.2").status_code == 401


def test_over_the_limit_reading_without_credentials_still_works(api, failure_limit):
    for n in range(LIMIT + 1):
        get_topics(api, f"{n:040x}")

    assert api.get(reverse("topic-list"), REMOTE_ADDR="192.0.2.1").status_code == 200


def test_successful_authentications_are_not_counted(api, failure_limit):
    key = Token.objects.create(user=User.objects.create_user("reader")).key

    assert {get_topics(api, key).status_code for _ in range(LIMIT * 3)} == {200}
    assert get_topics(api, "0" * 40).status_code == 401


def test_a_malformed_authorization_header_counts_as_a_failure(api, failure_limit):
    statuses = [
        api.get(reverse("topic-list"), headers={"Authorization": "Token a b"}).status_code
        for _ in range(LIMIT + 1)
    ]

    assert statuses == [401] * LIMIT + [429]
