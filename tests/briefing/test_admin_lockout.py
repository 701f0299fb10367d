"""Admin logins: repeated failures lock the account and the address out (django-axes), until an
administrator resets them or the cool-off ends."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-editor-lockout-1"


@pytest.fixture
def editor():
    user = User.objects.create_user("eddie", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def log_in(client, username: str, password: str, address: str = "192.0.2.1"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username: str, times: int, address: str = "192.0.2.1") -> list[int]:
    return [log_in(client, username, "wrong", address).status_code for _ in range(times)]


def assert_locked_out(response, settings):
    assert response.status_code == 429
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert response.json() == {
        "type": "https://summit-briefing.example/problems/locked-out",
        "title": "Too Many Requests",
        "status": 429,
        "detail": "Too many failed logins for this account or from this address. Try again later, or "
        "ask an administrator to unlock it (README: Editors).",
        "code": "locked_out",
        "errors": [],
    }


def test_wrong_passwords_up_to_the_limit_show_the_form_again(client, editor, settings):
    # The form is shown again (200) for each failure below the limit.
    assert fail(client, "eddie", settings.AXES_FAILURE_LIMIT - 1) == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "eddie", PASSWORD).status_code == 302


def test_after_the_limit_even_the_right_password_is_refused(client, editor, settings):
    fail(client, "eddie", settings.AXES_FAILURE_LIMIT)

    response = log_in(client, "eddie", PASSWORD)

    assert_locked_out(response, settings)
    assert "_auth_user_id" not in client.session


def test_the_account_stays_locked_from_another_address(client, editor, settings):
    fail(client, "eddie", settings.AXES_FAILURE_LIMIT, address="192.0.2.1")

    assert_locked_out(log_in(client, "eddie", PASSWORD, address="198.51.100.9"), settings)


def test_an_address_guessing_many_accounts_is_locked_out(client, editor, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, f"guess-{n}", 1, address="203.0.113.5")

    assert_locked_out(log_in(client, "eddie", PASSWORD, address="203.0.113.5"), settings)
    assert log_in(client, "eddie", PASSWORD, address="192.0.2.1").status_code == 302


def test_axes_reset_username_unlocks_the_editor(client, editor, settings):
    fail(client, "eddie", settings.AXES_FAILURE_LIMIT)

    call_command("axes_reset_username", "eddie", verbosity=0)

    assert log_in(client, "eddie", PASSWORD).status_code == 302
