"""Bodies sent without Content-Length (Transfer-Encoding: chunked), through the servers users run.

gunicorn decodes chunked bodies and says so (``wsgi.input_terminated``): the API reads them like
any other. Django's development server (``make run``) cannot: the API answers 411 there. Either
way a chunked write is never taken for an empty one, which used to answer 200 and change nothing.
"""

import json

import pytest

from tests.processes import HOST, REPO, clean_env, request, run, server_env, start_gunicorn, start_runserver

pytestmark = pytest.mark.slow

SITE_HOST = "api.example.org"
TOPIC = "climate-security"


def prepare(env: dict[str, str]) -> str:
    """Migrate and seed the server's database and make an editor; the editor's token."""
    run(["python", "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, env=env, timeout=300)
    run(["python", "manage.py", "seed", "-v0"], cwd=REPO, env=env)
    run(["python", "manage.py", "create_editor", "chunky", "--no-password"], cwd=REPO, env=env)
    return run(["python", "manage.py", "issue_token", "chunky"], cwd=REPO, env=env).strip().splitlines()[-1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    root = tmp_path_factory.mktemp("chunked-gunicorn")
    env = server_env(
        database_url=f"sqlite:///{root / 'db.sqlite3'}", static_root=root / "static", allowed_host=SITE_HOST
    )
    token = prepare(env)
    server = start_gunicorn(cwd=REPO, env=env, log=root / "gunicorn.log")
    try:
        yield server, {"Host": SITE_HOST, "Authorization": f"Token {token}"}
    finally:
        server.stop()


@pytest.fixture(scope="module")
def runserver(tmp_path_factory):
    """The development server as `make run` starts it (DEBUG on), on a database of its own."""
    root = tmp_path_factory.mktemp("chunked-runserver")
    import sys
    from pathlib import Path

    env = clean_env(
        PATH=f"{Path(sys.executable).parent}:{clean_env()['PATH']}",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
    )
    token = prepare(env)
    server = start_runserver(cwd=REPO, env=env, log=root / "runserver.log")
    try:
        yield server, {"Host": HOST, "Authorization": f"Token {token}"}
    finally:
        server.stop()


def send(server, headers, method: str, path: str, body: dict | bytes, *, chunked: bool):
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    return request(
        server.port,
        method,
        path,
        headers={**headers, "Content-Type": "application/json"},
        body=payload,
        chunked=chunked,
    )


def description(server, headers) -> str:
    return request(server.port, "GET", f"/topics/{TOPIC}/", headers=headers).json()["description"]


def test_gunicorn_reads_a_chunked_patch(gunicorn):
    server, headers = gunicorn

    response = send(
        server, headers, "PATCH", f"/topics/{TOPIC}/", {"description": "Sent in chunks."}, chunked=True
    )

    assert response.status == 200, server.log_tail()
    assert response.json()["description"] == "Sent in chunks."
    assert description(server, headers) == "Sent in chunks."


def test_gunicorn_reads_a_chunked_post(gunicorn):
    server, headers = gunicorn

    response = send(
        server, headers, "POST", "/topics/", {"slug": "chunked-topic", "name": "Chunked"}, chunked=True
    )

    assert (response.status, response.json()["slug"]) == (201, "chunked-topic"), server.log_tail()


def test_gunicorn_refuses_a_chunked_body_over_the_size_limit_with_413(gunicorn):
    server, headers = gunicorn
    body = json.dumps({"description": "x" * (1024 * 1024)}).encode()

    response = send(server, headers, "PATCH", f"/topics/{TOPIC}/", body, chunked=True)

    assert (response.status, response.json()["code"]) == (413, "request_too_large"), server.log_tail()
    assert description(server, headers) != "x" * (1024 * 1024)


def test_development_server_refuses_a_chunked_patch_with_411_and_changes_nothing(runserver):
    server, headers = runserver
    before = description(server, headers)

    response = send(
        server, headers, "PATCH", f"/topics/{TOPIC}/", {"description": "Sent in chunks."}, chunked=True
    )

    assert response.status == 411, server.log_tail()
    assert response.json() == {
        "type": "https://summit-briefing.example/problems/length-required",
        "title": "Length Required",
        "status": 411,
        "detail": "This server cannot read a body sent without Content-Length (Transfer-Encoding: "
        "chunked); send the body with a Content-Length header.",
        "code": "length_required",
        "errors": [],
    }
    assert description(server, headers) == before


def test_development_server_reads_the_same_patch_sent_with_content_length(runserver):
    server, headers = runserver

    response = send(
        server, headers, "PATCH", f"/topics/{TOPIC}/", {"description": "Sent whole."}, chunked=False
    )

    assert (response.status, response.json()["description"]) == (200, "Sent whole."), server.log_tail()
