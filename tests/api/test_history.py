"""Who changed what: editors see the account names in a history, everyone else sees the changes only."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def editor():
    user = User.objects.create_user("eddie")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def edited(editor):
    """A topic one editor changed through the API: its history URL."""
    url = reverse("topic-detail", args=["climate-security"])
    assert token_client(editor).patch(url, {"description": "Edited."}, format="json").status_code == 200
    return reverse("topic-history", args=["climate-security"])


def latest_entry(client: APIClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["results"][0]


@pytest.mark.parametrize("reader", ["anonymous", "account without permissions"])
def test_history_names_nobody_to_readers(edited, reader):
    client = APIClient() if reader == "anonymous" else token_client(User.objects.create_user("reader"))

    entry = latest_entry(client, edited)

    assert (entry["type"], entry["user"], entry["changes"][0]["new"]) == ("changed", None, "Edited.")


@pytest.mark.parametrize("viewer", ["editor", "superuser", "staff"])
def test_history_names_the_editor_to_those_who_may_edit(edited, editor, viewer):
    user = {
        "editor": lambda: editor,
        "superuser": lambda: User.objects.create_superuser("root"),
        "staff": lambda: User.objects.create_user("staffer", is_staff=True),
    }[viewer]()

    assert latest_entry(token_client(user), edited)["user"] == "eddie"


def test_history_answers_vary_on_credentials(api, edited):
    # A shared cache must not hand an editor's answer (with names) to an anonymous reader.
    assert {"Authorization", "Cookie"} <= {v.strip() for v in api.get(edited)["Vary"].split(",")}
