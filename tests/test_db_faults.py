"""Database faults against a real gunicorn: the API answers 503 fast and recovers by itself.

The test owns its PostgreSQL cluster (tests/postgres.py: initdb into a temporary directory, its
own free port on 127.0.0.1, stopped and started with pg_ctl), so it never touches the machine's
cluster. gunicorn (2 workers) runs the image's entrypoint and command against it in production
mode, over plain HTTP (``SECURE_SSL_REDIRECT=false``). Every process is stopped by its pid, even
on failure.
"""

import json
import random
import re
import threading
import time

import pytest

from tests import postgres
from tests.processes import HOST, REPO, request, run, server_env, start_gunicorn

pytestmark = pytest.mark.slow

SITE_HOST = "api.example.org"
# Connection refused must be answered well within this; a hung connect within DB_CONNECT_TIMEOUT.
BOUND_SECONDS = 5


@pytest.fixture(scope="module")
def cluster():
    """A fresh cluster with a ``briefing`` database; stopped and removed afterwards."""
    bin_dir = postgres.server_bin(programs=("initdb", "pg_ctl", "createdb"))
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl, createdb) are missing")
    root = postgres.scratch_dir("briefing-pg-")
    db = postgres.Cluster(bin_dir, root, "data")
    try:
        db.initdb()
        db.start()
        db.run("createdb", "-h", HOST, "-p", str(db.port), "-U", "postgres", "briefing")
        yield db
    finally:
        db.stop()
        postgres.remove(root)


@pytest.fixture(scope="module")
def server(cluster, tmp_path_factory):
    """gunicorn (2 workers) migrated and seeded into the cluster through the entrypoint."""
    root = tmp_path_factory.mktemp("faults")
    env = server_env(
        database_url=f"postgres://postgres@{HOST}:{cluster.port}/briefing",
        static_root=root / "static",
        allowed_host=SITE_HOST,
        MIGRATE="1",
        SEED="1",
    )
    # The admin's templates need the static manifest, as in the image.
    run(["python", "manage.py", "collectstatic", "--noinput"], cwd=REPO, env=env)
    gunicorn = start_gunicorn(cwd=REPO, env=env, log=root / "gunicorn.log")
    try:
        yield gunicorn
    finally:
        gunicorn.stop()


@pytest.fixture
def database_down(cluster):
    """The cluster stopped for the test, and started again after it whatever happens."""
    cluster.stop()
    try:
        yield
    finally:
        cluster.start()


def get(server, path: str):
    """A GET with the site's Host header."""
    return request(server.port, "GET", path, headers={"Host": SITE_HOST})


def post_admin_login(server):
    """POST the admin login form (a database-backed request), with a valid CSRF token."""
    page = get(server, "/admin/login/")
    token = re.search(r"csrftoken=([^;]+)", page.headers["set-cookie"]).group(1)
    return request(
        server.port,
        "POST",
        "/admin/login/",
        headers={
            "Host": SITE_HOST,
            "Cookie": f"csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"csrfmiddlewaretoken={token}&username=nobody&password=wrong".encode(),
        timeout=BOUND_SECONDS * 3,
    )


def test_readyz_is_200_while_the_database_is_up(server):
    response = get(server, "/readyz/")

    assert (response.status, response.json()) == (200, {"status": "ok"}), server.log_tail()


def test_database_down_readyz_answers_503_not_ready_within_bound(server, database_down):
    # Several requests, so that both workers (and their persistent connections) are hit.
    responses = [get(server, "/readyz/") for _ in range(6)]

    for response in responses:
        assert response.status == 503, server.log_tail()
        assert response.headers["retry-after"] == "5"
        assert response.json()["code"] == "not_ready"
        assert response.seconds < BOUND_SECONDS


def test_database_down_healthz_and_admin_login_page_stay_200(server, database_down):
    healthz = get(server, "/healthz/")

    assert (healthz.status, healthz.json()) == (200, {"status": "ok"})
    assert get(server, "/admin/login/").status == 200


def test_database_down_admin_login_post_answers_503_database_unavailable(server, database_down):
    response = post_admin_login(server)

    assert response.status == 503, server.log_tail()
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"] == "application/json"
    assert response.json()["code"] == "database_unavailable"
    assert response.seconds < BOUND_SECONDS


def test_database_back_readyz_recovers_without_restarting_gunicorn(server, cluster):
    workers = server.worker_pids()
    cluster.stop()
    try:
        assert get(server, "/readyz/").status == 503
    finally:
        cluster.start()

    deadline = time.monotonic() + 10
    while (response := get(server, "/readyz/")).status != 200 and time.monotonic() < deadline:
        time.sleep(0.2)

    assert response.status == 200, server.log_tail()
    assert server.process.poll() is None
    assert server.worker_pids() == workers
    # The database-backed login works again: a wrong password re-renders the form.
    assert post_admin_login(server).status == 200


@pytest.fixture(scope="module")
def editor_token(server):
    """An editor account's API token, made with the documented commands on the server's database."""
    run(["python", "manage.py", "create_editor", "faulty", "--no-password"], cwd=REPO, env=server.env)
    output = run(["python", "manage.py", "issue_token", "faulty"], cwd=REPO, env=server.env)
    return output.strip().splitlines()[-1]


class ConnectionKiller(threading.Thread):
    """Terminates every client connection to the ``briefing`` database at random short intervals."""

    def __init__(self, cluster: postgres.Cluster):
        super().__init__(daemon=True)
        self.cluster, self.stopped, self.kills = cluster, threading.Event(), 0

    def run(self):
        import psycopg

        with psycopg.connect(f"host={HOST} port={self.cluster.port} user=postgres dbname=postgres") as db:
            db.autocommit = True
            while not self.stopped.wait(random.uniform(0.03, 0.2)):
                killed = db.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = 'briefing' AND backend_type = 'client backend'"
                ).fetchone()[0]
                self.kills += killed


def test_creates_while_connections_are_killed_each_end_in_one_201_and_one_meeting(
    server, cluster, editor_token
):
    """The issue's run: 503s after commit, then "already exists" on retry. Now each create is retried
    with its Idempotency-Key until it gets a non-503 answer, which must be its one 201."""
    random.seed(20221)
    headers = {
        "Host": SITE_HOST,
        "Authorization": f"Token {editor_token}",
        "Content-Type": "application/json",
    }
    killer = ConnectionKiller(cluster)
    final, unavailable = {}, 0
    killer.start()
    try:
        for i in range(28):
            slug = f"constructed-fault-meeting-{i}"
            body = json.dumps(
                {
                    "slug": slug,
                    "title": f"Constructed meeting {i}",
                    "date": "2023-03-01",
                    "kind": "call",
                    "participants": [
                        {"official": "jens-stoltenberg", "role": "NATO Secretary General"},
                        {"official": "antony-blinken", "role": "US Secretary of State"},
                    ],
                }
            ).encode()
            for _ in range(300):
                answer = request(
                    server.port, "POST", "/meetings/", headers={**headers, "Idempotency-Key": slug}, body=body
                )
                if answer.status != 503:
                    break
                unavailable += 1
            final[slug] = answer
    finally:
        killer.stopped.set()
        killer.join(timeout=10)

    assert killer.kills > 0 and unavailable > 0, "the run killed no connection: it proved nothing"
    statuses = {slug: (a.status, a.json().get("errors")) for slug, a in final.items() if a.status != 201}
    print(f"{len(final)} creates, {unavailable} answers 503, {killer.kills} connections killed")
    assert statuses == {}, server.log_tail()
    for slug, answer in final.items():
        detail = get(server, f"/meetings/{slug}/")
        assert (detail.status, detail.json()) == (200, answer.json())
        assert [p["official"]["slug"] for p in detail.json()["participants"]] == [
            "jens-stoltenberg",
            "antony-blinken",
        ]
