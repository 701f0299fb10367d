"""Read replicas against a real hot standby: reads go there, writers read their writes, failures fall back.

The test owns two PostgreSQL clusters (tests/postgres.py): a primary, and a hot standby made
from it with ``pg_basebackup -R`` that streams its WAL, each on its own free port on 127.0.0.1.
gunicorn (2 workers, production settings) runs the image's entrypoint with
``DATABASE_URL`` = the primary (migrated and seeded) and ``DATABASE_REPLICA_URLS`` = the standby.

Which database answered is shown two ways: the ``X-Read-Database`` header the router sets
(``DATABASE_ROUTING_HEADER``), and, independently of the application, the statement counts of
``pg_stat_statements`` on each server, with ``pg_is_in_recovery()`` telling which one is the
standby. Every process is stopped by its pid, even on failure.
"""

import json
import threading
import time

import pytest

from briefing import replicas
from tests import postgres
from tests.processes import REPO, request, run, server_env, start_gunicorn

pytestmark = pytest.mark.slow

SITE_HOST = "api.example.org"
# Wide enough for an admin login (password hashing) on a busy machine.
MAX_LAG_SECONDS = 4.0
CHECK_SECONDS = 2.0
READ_YOUR_WRITES_SECONDS = 8.0
EDITOR_PASSWORD = "constructed-editor-password-7"
# Reads of meetings, as pg_stat_statements normalises them.
MEETING_READS = """SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
                   WHERE query LIKE 'SELECT %%' AND query LIKE '%%FROM "briefing_meeting"%%'"""


@pytest.fixture(scope="module")
def clusters():
    """A primary with a ``briefing`` database and a streaming hot standby of it; both removed after."""
    bin_dir = postgres.server_bin()
    if bin_dir is None or not postgres.has_extension(bin_dir, "pg_stat_statements"):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are missing")
    root = postgres.scratch_dir("briefing-replicas-")
    primary = postgres.Cluster(bin_dir, root, "primary")
    standby = None
    try:
        # initdb's trust rules already let 127.0.0.1 connect for replication.
        primary.initdb("wal_level = replica", "shared_preload_libraries = 'pg_stat_statements'")
        primary.start()
        primary.run("createdb", "-h", postgres.HOST, "-p", str(primary.port), "-U", "postgres", "briefing")
        primary.execute("CREATE EXTENSION pg_stat_statements", database="briefing")
        standby = primary.standby("standby")
        standby.start()
        yield primary, standby
    finally:
        for cluster in (standby, primary):
            if cluster is not None:
                cluster.stop()
        postgres.remove(root)


@pytest.fixture(scope="module")
def server(clusters, tmp_path_factory):
    """gunicorn reading from the standby, with an editor who has a token and a password."""
    primary, standby = clusters
    root = tmp_path_factory.mktemp("replicas")
    env = server_env(
        database_url=primary.url("briefing"),
        static_root=root / "static",
        allowed_host=SITE_HOST,
        DATABASE_REPLICA_URLS=standby.url("briefing"),
        REPLICA_MAX_LAG_SECONDS=str(MAX_LAG_SECONDS),
        REPLICA_CHECK_SECONDS=str(CHECK_SECONDS),
        READ_YOUR_WRITES_SECONDS=str(READ_YOUR_WRITES_SECONDS),
        DATABASE_ROUTING_HEADER="true",
        THROTTLE_ANON="off",
        THROTTLE_USER="off",
        MIGRATE="1",
        SEED="1",
    )
    # The admin's templates need the static manifest, as in the image.
    run(["python", "manage.py", "collectstatic", "--noinput"], cwd=REPO, env=env)
    gunicorn = start_gunicorn(cwd=REPO, env=env, log=root / "gunicorn.log")
    try:
        run(
            ["python", "manage.py", "create_editor", "editor", "--email", "editor@example.org"],
            cwd=REPO,
            env={**env, "EDITOR_PASSWORD": EDITOR_PASSWORD},
        )
        gunicorn.token = run(["python", "manage.py", "issue_token", "editor"], cwd=REPO, env=env).strip()
        wait_until_replayed(primary, standby)
        yield gunicorn
    finally:
        gunicorn.stop()


@pytest.fixture
def replay_paused(clusters):
    """The standby stops applying WAL (it stays up, answering with older data); resumed after.

    A commit just before the pause keeps the standby within the lag bound for a while.
    """
    primary, standby = clusters
    primary.execute("CREATE TABLE IF NOT EXISTS heartbeat (at timestamptz)")
    primary.execute("INSERT INTO heartbeat VALUES (now())")
    wait_until_replayed(primary, standby)
    standby.query("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        standby.query("SELECT pg_wal_replay_resume()")
        wait_until_replayed(primary, standby)


@pytest.fixture
def standby_stopped_while_in_use(server, clusters):
    """The standby stopped right after both workers read from it (so each still trusts its last
    check of it), and started again after the test whatever happens."""
    primary, standby = clusters
    both_workers_read_the_standby(server)
    standby.stop()
    try:
        yield
    finally:
        standby.start()
        wait_until_replayed(primary, standby)


def wait_until_replayed(primary, standby, timeout: float = 10) -> None:
    """Wait until the standby has replayed everything the primary has flushed."""
    (flushed,) = primary.query("SELECT pg_current_wal_flush_lsn()")
    deadline = time.monotonic() + timeout
    while standby.query("SELECT pg_last_wal_replay_lsn() < %s::pg_lsn", (flushed,))[0]:
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.02)


def get(server, path: str, headers: dict[str, str] | None = None):
    """A GET with the site's Host header."""
    return request(server.port, "GET", path, headers={"Host": SITE_HOST, **(headers or {})})


def token(server) -> dict[str, str]:
    """The editor's Authorization header."""
    return {"Authorization": f"Token {server.token}"}


def meeting_reads(cluster) -> int:
    """How many meeting SELECTs this server has run (pg_stat_statements)."""
    return int(cluster.query(MEETING_READS, database="briefing")[0])


def create_topic(server, slug: str):
    """POST a constructed topic with the editor's token."""
    body = json.dumps({"slug": slug, "name": f"Constructed topic {slug}"}).encode()
    return request(
        server.port,
        "POST",
        "/topics/",
        headers={"Host": SITE_HOST, "Content-Type": "application/json", **token(server)},
        body=body,
    )


def reads_standby(response) -> bool:
    """Whether the response was read from the standby, by the router's account."""
    return response.headers.get("x-read-database") == "replica_1"


def both_workers_read_the_standby(server) -> None:
    """Wait until no worker still trusts an earlier check that found the standby unusable, and
    reads come from the standby again.

    A check that watched a lagging standby for the catch-up window is trusted ten times that
    long, longer than ``CHECK_SECONDS``: wait out the longer of the two, or a worker the polls
    below never reach may still report the standby as lagging.
    """
    time.sleep(max(CHECK_SECONDS, replicas.SLOW_FAILURE_FACTOR * replicas.CATCH_UP_SECONDS))
    responses = poll(server, "/meetings/", reads_standby, runs=4)
    assert reads_standby(responses[-1]), server.log_tail()


def poll(server, path: str, until, timeout: float = 15.0, runs: int = 1) -> list:
    """GET ``path`` until ``until(response)`` holds for ``runs`` responses in a row; all responses."""
    responses = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        responses.append(get(server, path))
        if all(until(response) for response in responses[-runs:]) and len(responses) >= runs:
            break
        time.sleep(0.05)
    return responses


WAITING_READER = """SELECT pid FROM pg_stat_activity
                    WHERE datname = 'briefing' AND wait_event_type = 'Lock' AND backend_type = 'client backend'"""


def poll_sql(cluster, sql: str, timeout: float = 10.0):
    """The first column of the first row ``sql`` returns on ``cluster``, polling until it does."""
    deadline = time.monotonic() + timeout
    while (row := cluster.query(sql, database="briefing")) is None:
        assert time.monotonic() < deadline, f"nothing matched: {sql}"
        time.sleep(0.02)
    return row[0]


def waiting_queries(cluster) -> list:
    """What the client backends of ``cluster`` are waiting on, for failure messages."""
    with cluster.connect("briefing") as connection:
        return connection.execute(
            "SELECT wait_event_type, wait_event, state, left(query, 60) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchall()


def test_readyz_reports_the_standby_caught_up_on_an_idle_primary(server, clusters):
    _, standby = clusters
    # No write meanwhile: the last transaction the standby replayed grows older than the bound.
    replay_age = "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
    while standby.query(replay_age)[0] <= MAX_LAG_SECONDS:
        time.sleep(0.1)

    response = get(server, "/readyz/")

    assert response.status == 200, server.log_tail()
    databases = response.json()["databases"]
    assert databases["default"] == {"role": "primary", "state": "ok"}
    assert databases["replica_1"]["role"] == "replica"
    assert databases["replica_1"]["state"] == "ok"
    assert databases["replica_1"]["lag_seconds"] < MAX_LAG_SECONDS
    # The naive measure would call this standby lagging.
    assert standby.query(replay_age)[0] > MAX_LAG_SECONDS


def test_reads_are_served_by_the_standby(server, clusters):
    primary, standby = clusters
    before = {"primary": meeting_reads(primary), "standby": meeting_reads(standby)}

    responses = [get(server, "/meetings/") for _ in range(6)]

    assert [(r.status, r.headers.get("x-read-database")) for r in responses] == [(200, "replica_1")] * 6
    assert meeting_reads(standby) >= before["standby"] + 6
    assert meeting_reads(primary) == before["primary"]
    assert standby.query("SELECT pg_is_in_recovery()") == (True,)
    assert primary.query("SELECT pg_is_in_recovery()") == (False,)


def test_token_client_reads_its_write_while_others_read_the_standby(server, replay_paused):
    created = create_topic(server, "constructed-replica-topic")
    mine = get(server, "/topics/constructed-replica-topic/", headers=token(server))
    others = get(server, "/topics/constructed-replica-topic/")

    assert created.status == 201, created.body
    assert (mine.status, mine.headers["x-read-database"]) == (200, "default")
    assert mine.json()["name"] == "Constructed topic constructed-replica-topic"
    # Within the lag bound another client may read the standby, which has not applied it yet.
    assert (others.status, others.headers["x-read-database"]) == (404, "replica_1")


def test_browser_session_reads_its_login_from_the_primary(server, replay_paused):
    page = get(server, "/admin/login/")
    csrf = page.headers["set-cookie"].split("csrftoken=")[1].split(";")[0]
    login = request(
        server.port,
        "POST",
        "/admin/login/",
        headers={
            "Host": SITE_HOST,
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"csrfmiddlewaretoken={csrf}&username=editor&password={EDITOR_PASSWORD}".encode(),
    )
    cookies = dict(
        line.split(";")[0].split("=", 1) for line in login.headers["set-cookie"].splitlines() if "=" in line
    )
    session_only = f"sessionid={cookies['sessionid']}"

    sticky = get(
        server, "/admin/", headers={"Cookie": f"{session_only}; primary_reads={cookies['primary_reads']}"}
    )
    unsticky = get(server, "/admin/", headers={"Cookie": session_only})

    assert login.status == 302, login.body
    assert (sticky.status, sticky.headers["x-read-database"]) == (200, "default")
    # The paused standby has no such session yet: without the cookie the admin asks to log in.
    assert (unsticky.status, unsticky.headers["x-read-database"]) == (302, "replica_1")
    assert unsticky.headers["location"].startswith("/admin/login/")


def test_standby_past_the_lag_bound_is_skipped_until_it_catches_up(server, clusters, replay_paused):
    _, standby = clusters
    assert create_topic(server, "constructed-lagging-topic").status == 201

    skipped = poll(server, "/topics/constructed-lagging-topic/", lambda r: r.status == 200)
    ready = get(server, "/readyz/").json()["databases"]["replica_1"]
    standby.query("SELECT pg_wal_replay_resume()")
    back = poll(
        server,
        "/topics/constructed-lagging-topic/",
        reads_standby,
    )

    assert (skipped[-1].status, skipped[-1].headers["x-read-database"]) == (200, "default")
    assert ready["state"] == "lagging"
    assert ready["lag_seconds"] > MAX_LAG_SECONDS
    assert {r.status for r in skipped} <= {200, 404}
    assert (back[-1].status, back[-1].headers["x-read-database"]) == (200, "replica_1")
    assert {r.status for r in back} == {200}


def test_standby_stopped_reads_are_answered_by_the_primary(server, standby_stopped_while_in_use):
    responses = [get(server, "/meetings/") for _ in range(6)]
    ready = get(server, "/readyz/")

    assert [(r.status, r.headers.get("x-read-database")) for r in responses] == [(200, "default")] * 6
    assert ready.status == 200
    assert ready.json()["databases"]["replica_1"] == {
        "role": "replica",
        "state": "down",
        "lag_seconds": None,
        "lag_bytes": None,
    }


def test_standby_read_lost_mid_request_is_served_again_by_the_primary(server, clusters):
    primary, standby = clusters
    both_workers_read_the_standby(server)
    # A lock the primary holds on meetings is replayed on the standby, where the request's read
    # then waits; cutting that backend off fails the request's replica connection under it.
    with primary.connect("briefing") as locker:
        locker.execute("BEGIN")
        locker.execute('LOCK TABLE "briefing_meeting" IN ACCESS EXCLUSIVE MODE')
        locker.execute("SELECT pg_switch_wal()")  # sends the lock record to the standby now
        answers = []
        reader = threading.Thread(target=lambda: answers.append(get(server, "/meetings/")))
        reader.start()
        try:
            try:
                waiting = poll_sql(standby, WAITING_READER)
            except AssertionError as error:
                raise AssertionError(
                    f"{error}\nprimary: {waiting_queries(primary)}\nstandby: {waiting_queries(standby)}\n"
                    + server.log_tail()
                ) from None
            standby.query("SELECT pg_terminate_backend(%s)", (waiting,))
            time.sleep(0.2)  # the request retries on the primary, where it waits for the lock
        finally:
            locker.execute("ROLLBACK")
            reader.join(timeout=30)

    assert (answers[0].status, answers[0].headers["x-read-database"]) == (200, "default"), server.log_tail()
    assert json.loads(answers[0].body)["results"]


def test_primary_stopped_reads_are_still_answered_by_the_standby(server, clusters):
    primary, _ = clusters
    both_workers_read_the_standby(server)
    primary.stop()
    try:
        reads = [get(server, "/meetings/") for _ in range(4)]
        ready = get(server, "/readyz/")
    finally:
        primary.start()

    assert [(r.status, r.headers.get("x-read-database")) for r in reads] == [(200, "replica_1")] * 4
    # Not ready: writes need the primary.
    assert (ready.status, ready.json()["code"]) == (503, "not_ready")


def test_standby_started_again_is_used_again_without_restarting_gunicorn(server, clusters):
    _, standby = clusters
    workers = server.worker_pids()
    standby.stop()
    try:
        assert get(server, "/meetings/").headers["x-read-database"] == "default"
    finally:
        standby.start()
    before = meeting_reads(standby)

    responses = poll(server, "/meetings/", reads_standby)

    assert {r.status for r in responses} == {200}
    assert responses[-1].headers["x-read-database"] == "replica_1"
    assert meeting_reads(standby) > before
    assert server.worker_pids() == workers
