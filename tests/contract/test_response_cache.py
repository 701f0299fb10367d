"""The response cache across processes: a write through one gunicorn is never read stale through
another, with Redis (shared entries) and without (each worker's memory, a version file).

Two gunicorn servers (2 workers each) serve one disposable database; writes go through the
first (the API, and a management command: another process again), reads through the second,
each on a fresh connection so both of its workers answer. The reads must hit the cache at
times, or the test would prove nothing.
"""

import json

import pytest

from tests.processes import REPO, host_header, run, start_gunicorn
from tests.processes import request as http

pytestmark = pytest.mark.slow

REDIS_URL = "redis://127.0.0.1:6379/1"
ROUNDS = 12
READS = 4


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(params=["redis", "local memory"])
def servers(request, databases, tmp_path):
    """A writer and a reader gunicorn on one database, sharing the data version."""
    if request.param == "redis" and not redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    url = databases.copy()
    shared = (
        {"REDIS_URL": REDIS_URL}
        if request.param == "redis"
        else {"DATA_VERSION_FILE": str(tmp_path / "version")}
    )
    # Without Redis it is off by default (the version file is one host's): on for this test.
    env = {**databases.env(url), **shared, "RESPONSE_CACHE": "true"}
    started = []
    try:
        for name in ("writer", "reader"):
            started.append(start_gunicorn(cwd=REPO, env=env, log=tmp_path / f"{name}.log"))
        yield started[0], started[1], env
    finally:
        for server in started:
            server.stop()
        databases.drop(url)


def get(server, path: str, **headers):
    return http(server.port, "GET", path, headers={**host_header(server.env), **headers})


def test_a_write_through_one_server_is_never_read_stale_through_another(servers, databases):
    writer, reader, env = servers
    slug = get(reader, "/meetings/?page_size=1").json()["results"][0]["slug"]
    path = f"/meetings/{slug}/"
    token = {"Authorization": f"Token {databases.tokens['superuser']}", "Content-Type": "application/json"}
    states, etag = [], None
    for number in range(ROUNDS):
        title = f"Cached title {number}"
        if number % 3 == 2:  # another entry point: a management command in a process of its own
            code = f"from briefing.models import Meeting; m = Meeting.objects.get(slug={slug!r}); m.title = {title!r}; m.save()"
            run(["python", "manage.py", "shell", "-c", code], cwd=REPO, env=env)
        else:
            patched = http(
                writer.port,
                "PATCH",
                path,
                headers={**host_header(env), **token},
                body=json.dumps({"title": title}).encode(),
            )
            assert patched.status == 200, patched.body
        for _ in range(READS):
            answer = get(reader, path)
            assert (answer.status, answer.json()["title"]) == (200, title)
            states.append(answer.headers["x-cache"])
        # The ETag a client kept from before the write no longer matches.
        if etag is not None:
            assert get(reader, path, **{"If-None-Match": etag}).status == 200
        etag = answer.headers["etag"]
        assert get(reader, path, **{"If-None-Match": etag}).status == 304

    assert "hit" in states and "miss" in states
