"""A committed write is never answered with an error, and `Idempotency-Key` makes retries safe.

The regression: while database connections were being killed, creates answered 503 although the
meeting was saved (the answer was built after the commit), and the retry the 503 invites failed
with "already exists". Here a database fault is injected at each query of a create in turn.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.models import IdempotentResponse
from briefing.models import Meeting, Topic

pytestmark = pytest.mark.django_db

MEETING = {
    "slug": "constructed-idempotent-meeting",
    "title": "Constructed: a meeting created once",
    "date": "2023-03-01",
    "kind": "bilateral_meeting",
    "topics": ["nato-enlargement"],
    "participants": [
        {"official": "jens-stoltenberg", "role": "NATO Secretary General"},
        {"official": "antony-blinken", "role": "US Secretary of State"},
    ],
}


def editor_client(name: str = "eddie") -> APIClient:
    user = User.objects.create_user(name)
    user.groups.add(Group.objects.get(name="Editors"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor():
    return editor_client()


def post(client, body=MEETING, key: str | None = "create-1"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(reverse("meeting-list"), body, format="json", headers=headers)


def meetings() -> int:
    return Meeting.objects.filter(slug=MEETING["slug"]).count()


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_nothing(editor):
    first = post(editor)
    retry = post(editor)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert (retry["ETag"], retry["Location"]) == (first["ETag"], first["Location"])
    assert (first.has_header("Idempotent-Replayed"), retry["Idempotent-Replayed"]) == (False, "true")
    assert meetings() == 1
    assert Meeting.objects.get(slug=MEETING["slug"]).history.filter(history_type="+").count() == 1


def test_without_a_key_a_retry_is_a_second_write(editor):
    assert post(editor, key=None).status_code == 201

    response = post(editor, key=None)

    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "slug")


def test_the_same_key_for_another_request_is_a_422_problem_and_changes_nothing(editor, db_snapshot):
    post(editor)
    before = db_snapshot()

    response = post(editor, {**MEETING, "slug": "constructed-other-meeting"})

    assert response.status_code == 422
    assert response.json() == {
        "type": "https://summit-briefing.example/problems/idempotency-key-reused",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": "This Idempotency-Key was used for a different request (method, path or body); "
        "use a new key for a new request.",
        "code": "idempotency_key_reused",
        "errors": [],
    }
    assert db_snapshot() == before


def test_keys_belong_to_their_user(editor):
    other = editor_client("otto")

    mine = post(editor)
    theirs = post(other, {**MEETING, "slug": "constructed-their-meeting"})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert not theirs.has_header("Idempotent-Replayed")


def test_a_refused_write_leaves_its_key_free(editor):
    refused = post(editor, {**MEETING, "date": "not a date"})

    accepted = post(editor)

    assert (refused.status_code, accepted.status_code) == (400, 201)
    assert not accepted.has_header("Idempotent-Replayed")


def test_a_key_older_than_a_day_is_forgotten(editor):
    post(editor)
    IdempotentResponse.objects.update(created=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    # Another request under the old key: a new write, not a 422.
    response = post(editor, {**MEETING, "slug": "constructed-later-meeting"})

    assert (response.status_code, response.has_header("Idempotent-Replayed")) == (201, False)
    # Only the new answer is kept; the expired one was deleted with this write.
    assert [(r.key, r.created.year > 2020) for r in IdempotentResponse.objects.all()] == [("create-1", True)]


@pytest.mark.parametrize("key", ["", "has space", "é", "x" * 256])
def test_a_malformed_key_is_a_400_problem(editor, key):
    response = post(editor, key=key)

    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "Idempotency-Key")
    assert meetings() == 0


def test_a_retried_patch_with_if_match_is_replayed_not_refused_as_stale(editor):
    url = reverse("topic-detail", args=["climate-security"])
    headers = {"If-Match": editor.get(url)["ETag"], "Idempotency-Key": "patch-1"}

    first = editor.patch(url, {"description": "Once."}, format="json", headers=headers)
    retry = editor.patch(url, {"description": "Once."}, format="json", headers=headers)
    unkeyed = editor.patch(
        url, {"description": "Once."}, format="json", headers={"If-Match": headers["If-Match"]}
    )

    assert (first.status_code, retry.status_code, unkeyed.status_code) == (200, 200, 412)
    assert retry.json() == first.json()
    assert Topic.objects.get(slug="climate-security").history.filter(history_type="~").count() == 1


def test_a_retried_delete_is_replayed_as_204(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    url = reverse("topic-detail", args=["climate-security"])

    statuses = [client.delete(url, headers={"Idempotency-Key": "delete-1"}).status_code for _ in range(2)]

    assert statuses == [204, 204]
    assert client.delete(url).status_code == 404


class FaultAt:
    """An execute wrapper failing the ``n``-th query from now as a lost connection would."""

    def __init__(self, n: int):
        self.n, self.seen = n, 0

    def __call__(self, execute, sql, params, many, context):
        self.seen += 1
        if self.seen == self.n + 1:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_a_create_interrupted_at_any_query_is_answered_201_with_the_meeting_or_503_without_it(editor):
    # How many queries a create takes (the trial is rolled back).
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert post(editor, key="count").status_code == 201
        transaction.set_rollback(True)
    # Copied now: each request clears the connection's query log.
    sqls = [query["sql"] for query in queries.captured_queries]
    outcomes = set()

    for n in range(len(sqls)):
        with transaction.atomic():
            key = f"fault-{n}"
            with connection.execute_wrapper(FaultAt(n)):
                answer = post(editor, key=key)
            outcome = (answer.status_code, meetings())
            assert outcome in {(201, 1), (503, 0)}, f"fault at query {n}: {sqls[n][:200]}"
            retry = post(editor, key=key)
            detail = editor.get(reverse("meeting-detail", args=[MEETING["slug"]])).json()
            assert (retry.status_code, meetings(), retry.json()) == (201, 1, detail)
            outcomes.add(outcome[0])
            transaction.set_rollback(True)

    assert outcomes == {201, 503}
