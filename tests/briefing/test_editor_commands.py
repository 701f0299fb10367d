"""``create_editor`` and ``issue_token``: editor accounts and their API tokens."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PASSWORD = "curate-the-summit-42"


def run(*args: str) -> str:
    """Run a management command; return what it printed."""
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def editors() -> list[tuple[str, str, bool, bool]]:
    return list(
        get_user_model()
        .objects.filter(groups__name="Editors")
        .values_list("username", "email", "is_staff", "is_active")
    )


def test_create_editor_makes_a_staff_user_in_editors_with_the_env_password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)

    output = run("create_editor", "eddie", "--email", "eddie@example.org")

    assert output == "Created editor eddie (with a password)."
    assert editors() == [("eddie", "eddie@example.org", True, True)]
    user = get_user_model().objects.get(username="eddie")
    assert user.check_password(PASSWORD)
    assert not user.is_superuser
    assert user.has_perm("briefing.change_statement") and not user.has_perm("briefing.delete_statement")


def test_create_editor_again_changes_nothing(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    run("create_editor", "eddie", "--email", "eddie@example.org")
    monkeypatch.delenv("EDITOR_PASSWORD")

    output = run("create_editor", "eddie")

    assert output == "Editor eddie is already set up (with a password); nothing changed."
    assert editors() == [("eddie", "eddie@example.org", True, True)]
    assert get_user_model().objects.get(username="eddie").check_password(PASSWORD)


def test_create_editor_twice_with_the_same_settings_changes_nothing(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    run("create_editor", "eddie", "--email", "eddie@example.org")
    before = get_user_model().objects.filter(username="eddie").values().get()

    output = run("create_editor", "eddie", "--email", "eddie@example.org")

    assert output == "Editor eddie is already set up (with a password); nothing changed."
    assert get_user_model().objects.filter(username="eddie").values().get() == before


def test_create_editor_names_what_it_changed(monkeypatch):
    run("create_editor", "eddie", "--no-password")
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)

    output = run("create_editor", "eddie", "--email", "new@example.org")

    assert output == "Updated editor eddie (with a password): email, password."
    assert editors() == [("eddie", "new@example.org", True, True)]


def test_create_editor_brings_an_existing_user_into_editors(django_user_model):
    django_user_model.objects.create_user("olga", password=PASSWORD, is_active=False)

    output = run("create_editor", "olga")

    assert output == "Updated editor olga (with a password): is_staff, is_active, added to Editors."
    assert editors() == [("olga", "", True, True)]
    assert django_user_model.objects.get(username="olga").check_password(PASSWORD)


def test_create_editor_without_password_gives_an_unusable_one(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)

    output = run("create_editor", "bot", "--no-password")

    assert output == "Created editor bot (without a usable password)."
    assert not get_user_model().objects.get(username="bot").has_usable_password()


def test_create_editor_prompts_for_a_password_on_a_terminal(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)

    run("create_editor", "eddie")

    assert get_user_model().objects.get(username="eddie").check_password(PASSWORD)


def test_create_editor_without_a_password_source_is_refused(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    with pytest.raises(CommandError) as excinfo:
        run("create_editor", "eddie")

    assert str(excinfo.value) == "No password: set EDITOR_PASSWORD, or pass --no-password."
    assert editors() == []


def test_create_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "12345")

    with pytest.raises(CommandError) as excinfo:
        run("create_editor", "eddie")

    assert str(excinfo.value).startswith("Password refused: This password is too short.")
    assert not get_user_model().objects.filter(username="eddie").exists()


def test_create_editor_without_the_editors_group_says_to_migrate(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    Group.objects.filter(name="Editors").delete()

    with pytest.raises(CommandError) as excinfo:
        run("create_editor", "eddie")

    assert str(excinfo.value) == "The Editors group does not exist; run `manage.py migrate`."


@pytest.fixture
def eddie(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    run("create_editor", "eddie")
    return get_user_model().objects.get(username="eddie")


def test_issue_token_prints_the_users_token_and_keeps_it(eddie):
    first = run("issue_token", "eddie")

    assert re.fullmatch(r"[0-9a-f]{40}", first)
    assert run("issue_token", "eddie") == first
    assert list(Token.objects.values_list("user__username", "key")) == [("eddie", first)]


def test_issue_token_rotate_replaces_the_key(eddie):
    old = run("issue_token", "eddie")

    new = run("issue_token", "eddie", "--rotate")

    assert re.fullmatch(r"[0-9a-f]{40}", new) and new != old
    assert list(Token.objects.values_list("user__username", "key")) == [("eddie", new)]


def test_issued_token_authenticates_the_editor(eddie):
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.test import APIRequestFactory

    key = run("issue_token", "eddie")
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}")

    assert TokenAuthentication().authenticate(request) == (eddie, Token.objects.get(key=key))


def test_issue_token_for_an_unknown_user_is_refused():
    with pytest.raises(CommandError) as excinfo:
        run("issue_token", "nobody")

    assert str(excinfo.value) == "No user named “nobody”; create it with `manage.py create_editor`."
    assert not Token.objects.exists()


def test_issue_token_for_an_inactive_user_is_refused(django_user_model):
    django_user_model.objects.create_user("gone", is_active=False)

    with pytest.raises(CommandError) as excinfo:
        run("issue_token", "gone")

    assert str(excinfo.value) == "User “gone” is inactive; its token would be refused."
    assert not Token.objects.exists()
