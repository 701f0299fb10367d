"""Writes work under every server the README documents: `make run`'s and the image's gunicorn.

The README's own example: an editor made with ``create_editor``, a token from ``issue_token``,
then ``POST /topics/``. Django's development server checks that every header value is a native
``str`` (PEP 3333) and answered this create with a 500 although it saved the row; gunicorn did
not check. Each server runs on 127.0.0.1 on its own SQLite file and is stopped by its pid.
"""

import json
from pathlib import Path

import pytest

from tests.processes import REPO, development_env, request, run, server_env, start_gunicorn, start_runserver

pytestmark = pytest.mark.slow

TOPIC = {"slug": "arctic-security", "name": "Arctic security"}


def _environment(kind: str, root: Path) -> dict[str, str]:
    database_url = f"sqlite:///{root / 'db.sqlite3'}"
    if kind == "runserver":
        return development_env(database_url=database_url, dotenv=root / ".env")
    return server_env(database_url=database_url, static_root=root / "static")


@pytest.fixture(params=["runserver", "gunicorn"])
def server_with_token(request, tmp_path):
    """(server, an editor's token): the README's setup, then the server; stopped by pid after."""
    env = _environment(request.param, tmp_path)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["seed", "-v0"],
        ["create_editor", "alice", "--no-password"],
    ):
        run(["python", "manage.py", *command], cwd=REPO, env=env, timeout=300)
    token = run(["python", "manage.py", "issue_token", "alice"], cwd=REPO, env=env).strip()
    start = start_runserver if request.param == "runserver" else start_gunicorn
    server = start(cwd=REPO, env=env, log=tmp_path / "server.log")
    try:
        yield server, token
    finally:
        server.stop()


def test_readme_create_answers_201_with_the_new_topics_location(server_with_token):
    server, token = server_with_token

    created = request(
        server.port,
        "POST",
        "/topics/",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        body=json.dumps(TOPIC).encode(),
    )

    assert created.status == 201, f"{created.body[:500]!r}\n{server.log_tail()}"
    url = f"http://127.0.0.1:{server.port}/topics/arctic-security/"
    assert created.headers["location"] == url
    assert created.json()["url"] == url
    fetched = request(server.port, "GET", "/topics/arctic-security/")
    assert fetched.status == 200
    assert fetched.json() == created.json()
