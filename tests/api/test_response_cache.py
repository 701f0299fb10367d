"""The response cache: repeated GETs answered without the database, and never a stale answer.

Each test turns the cache on (the suite runs with it off) with a version file of its own. The
suite runs every test in one transaction that never commits, so commits are simulated with
``django_capture_on_commit_callbacks(execute=True)``, which runs what a commit would run.
tests/contract/test_response_cache.py checks the same across real gunicorn workers.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefing import cache, drafting, responses
from briefing.models import Meeting
from briefing.services import drafts
from tests import factories
from tests.gold import GOLD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def response_cache(settings, tmp_path):
    """The cache on, without Redis, counting versions in a file of this test's own."""
    settings.RESPONSE_CACHE = True
    settings.REDIS_URL = ""
    settings.DATA_VERSION_FILE = str(tmp_path / "data-version")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's writes as if its transaction committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def meeting(committed):
    with committed():
        return factories.MeetingFactory(title="Cached meeting")


@pytest.fixture
def superuser(committed):
    with committed():
        user = User.objects.create_superuser("cache-admin")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def get(client, url, **headers):
    """A GET, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_a_repeated_get_is_answered_without_the_database(api, meeting):
    url = reverse("meeting-detail", args=[meeting.slug])
    first, _ = get(api, url)
    again, queries = get(api, url)

    assert (first["X-Cache"], again["X-Cache"], queries) == ("miss", "hit", 0)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"


def test_a_list_answer_gets_an_etag_and_a_matching_if_none_match_is_a_304_without_the_database(api, meeting):
    url = reverse("meeting-list")
    etag = api.get(url)["ETag"]
    response, queries = get(api, url, HTTP_IF_NONE_MATCH=etag)

    assert (response.status_code, response.content, queries) == (304, b"", 0)


def test_a_committed_api_write_is_seen_by_the_next_read(api, meeting, superuser, committed):
    url = reverse("meeting-detail", args=[meeting.slug])
    assert api.get(url).json()["title"] == "Cached meeting"
    with committed():
        assert superuser.patch(url, {"title": "Renamed meeting"}, format="json").status_code == 200

    response = api.get(url)
    assert (response["X-Cache"], response.json()["title"]) == ("miss", "Renamed meeting")


def test_a_list_item_follows_a_write_to_a_related_object(api, meeting, committed):
    topic_url = reverse("meeting-list") + f"?search={meeting.title}"
    assert api.get(topic_url).json()["results"][0]["topics"] == []
    with committed():
        meeting.topics.add(factories.TopicFactory(name="Added topic"))

    assert [t["name"] for t in api.get(topic_url).json()["results"][0]["topics"]] == ["Added topic"]


def test_a_delete_is_seen_by_the_next_read(api, meeting, committed):
    url = reverse("meeting-detail", args=[meeting.slug])
    assert api.get(url).status_code == 200
    with committed():
        Meeting.objects.filter(pk=meeting.pk).delete()

    assert api.get(url).status_code == 404


def test_uncommitted_writes_are_read_fresh_by_their_own_connection(api, meeting):
    url = reverse("meeting-detail", args=[meeting.slug])
    api.get(url)
    Meeting.objects.filter(pk=meeting.pk).update(title="Not committed yet")
    cache.data_changed()

    response = api.get(url)
    assert (response.json()["title"], response.has_header("X-Cache")) == ("Not committed yet", False)


def test_data_changed_advances_the_version_once_per_transaction_when_it_commits(settings, committed):
    before = cache.data_version()
    with committed():
        cache.data_changed()
        cache.data_changed()
        assert cache.data_version() == before

    assert cache.data_version() != before
    # The file store appends a byte per advance: one for the whole transaction.
    assert Path(settings.DATA_VERSION_FILE).stat().st_size == 1


def test_a_rolled_back_write_leaves_the_version_alone(committed):
    before = cache.data_version()
    with committed():
        try:
            with transaction.atomic():
                factories.TopicFactory()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    assert cache.data_version() == before


def test_answers_vary_with_host_and_accept(api, meeting):
    url = reverse("meeting-detail", args=[meeting.slug])
    json_answer = api.get(url)
    other_host = api.get(url, HTTP_HOST="localhost")
    markdown = api.get(reverse("meeting-briefing", args=[meeting.slug]), HTTP_ACCEPT="text/markdown")

    assert other_host["X-Cache"] == "miss"
    assert other_host.json()["url"] == f"http://localhost/meetings/{meeting.slug}/"
    assert json_answer.json()["url"] == f"http://testserver/meetings/{meeting.slug}/"
    assert markdown["Content-Type"].startswith("text/markdown")


def test_errors_and_exports_are_not_kept(api, meeting):
    missing = reverse("meeting-detail", args=["no-such-meeting"])
    assert [api.get(missing)["X-Cache"] for _ in range(2)] == ["miss", "miss"]
    csv = reverse("meeting-list") + "?format=csv"
    assert [api.get(csv)["X-Cache"] for _ in range(2)] == ["miss", "miss"]


def test_the_admin_is_never_answered_from_the_cache(client, committed):
    with committed():
        client.force_login(User.objects.create_superuser("cache-admin"))
    url = reverse("admin:briefing_meeting_changelist")

    assert [client.get(url).get("X-Cache") for _ in range(2)] == [None, None]


def test_requests_with_credentials_go_through_authentication(api, meeting, superuser):
    url = reverse("meeting-detail", args=[meeting.slug])
    api.get(url)
    api.get(url)
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api.get(url)
    assert (response.status_code, response.get("X-Cache")) == (401, None)
    assert superuser.get(url).get("X-Cache") is None


def test_another_worker_gets_the_answer_from_redis(settings, meeting, committed):
    settings.REDIS_URL = "redis://127.0.0.1:6379/1"
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(settings.REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    url = reverse("meeting-detail", args=[meeting.slug])
    with committed():
        cache.data_changed()  # a version of this test's own

    assert APIClient().get(url)["X-Cache"] == "miss"
    responses.response_cache.cache_clear()  # another worker: its memory is empty
    response, queries = get(APIClient(), url)
    assert (response["X-Cache"], queries) == ("hit", 0)


def serve(app, environ) -> tuple[str, dict, bytes]:
    """Call a WSGI application; its status, headers and body."""
    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def test_a_hit_is_answered_before_django_sees_the_request(api, meeting):
    url = reverse("meeting-detail", args=[meeting.slug])
    stored = api.get(url)

    def django(environ, start_response):
        raise AssertionError("Django was asked")

    status, headers, body = serve(responses.serve_cached(django), RequestFactory().get(url).environ)
    assert (status, body, headers["ETag"], headers["X-Cache"]) == (
        "200 OK",
        stored.content,
        stored["ETag"],
        "hit",
    )
    assert headers["X-Frame-Options"] == stored["X-Frame-Options"] == "DENY"

    environ = RequestFactory().get(url, HTTP_IF_NONE_MATCH=stored["ETag"]).environ
    status, headers, body = serve(responses.serve_cached(django), environ)
    assert (status, body, headers["ETag"]) == ("304 Not Modified", b"", stored["ETag"])


def test_a_miss_goes_to_django(api, meeting):
    environ = RequestFactory().get(reverse("meeting-detail", args=[meeting.slug])).environ
    asked = []

    def django(environ, start_response):
        asked.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"from django"]

    assert serve(responses.serve_cached(django), environ)[2] == b"from django"
    assert asked == [f"/meetings/{meeting.slug}/"]


def test_hits_are_not_counted_against_an_anonymous_clients_rate(api, meeting, settings):
    settings.API_THROTTLE_RATES = {"anon": "1/min", "user": "off"}
    first = reverse("meeting-detail", args=[meeting.slug])

    assert [api.get(first).status_code for _ in range(3)] == [200, 200, 200]  # one miss, two hits
    assert api.get(reverse("meeting-list")).status_code == 429  # a miss: the view counts it


def test_a_request_whose_answer_may_be_kept_reads_from_the_primary(with_replicas):
    from briefing import db_router, middleware

    pinned = []

    def view(request):
        pinned.append(db_router.current_scope().primary_only)
        return HttpResponse()

    routing = middleware.ReplicaRoutingMiddleware(view)
    routing(RequestFactory().get("/meetings/"))
    kept = RequestFactory().get("/meetings/")
    kept.META[responses.STORING] = True
    routing(kept)

    # A replica a moment behind would have its answer kept under the version after the write.
    assert pinned == [False, True]


def test_the_cache_says_when_it_will_keep_an_answer(meeting):
    seen = []

    def view(request):
        seen.append(request.META.get(responses.STORING, False))
        return HttpResponse()

    responses.ResponseCacheMiddleware(view)(
        RequestFactory().get(reverse("meeting-detail", args=[meeting.slug]))
    )
    assert seen == [True]


@pytest.fixture
def with_replicas(settings):
    from briefing import db_router, replicas

    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.DATABASE_ROUTERS = ["briefing.db_router.ReplicaRouter"]
    yield
    db_router.close_scope()
    replicas.monitor.forget()


def test_publishing_a_draft_is_seen_by_the_next_read(api, committed):
    title, body = drafting.read_article_text((GOLD / "marisca-teravia-ferry-call-2022.txt").read_bytes())
    draft = drafts.draft_create(title=title, body=body)
    url = reverse("article-detail", args=[draft.proposal["article"]["slug"]])
    assert api.get(url).status_code == 404
    drafts.draft_decide(
        draft=draft,
        statements=[drafts.StatementDecision(drafts.ACCEPT)] * len(draft.proposal["statements"]),
        meetings=[drafts.ACCEPT] * len(draft.proposal["meetings"]),
    )
    listed = api.get(reverse("article-list")).json()["results"]
    with committed():
        drafts.draft_publish(draft=draft)

    assert api.get(url).status_code == 200
    assert len(api.get(reverse("article-list")).json()["results"]) == len(listed) + 1
