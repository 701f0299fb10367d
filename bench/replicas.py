"""``make bench-replicas``: replication lag under a burst of writes, and how fast reads fail over.

Against its own primary and hot standby (tests/postgres.py: initdb, ``pg_basebackup -R``, free
ports on 127.0.0.1) and gunicorn (2 workers, production settings, the replica settings at their
defaults, ``DATABASE_ROUTING_HEADER`` on), it measures:

1. **Lag under a burst of writes through the API**: ``--writes`` topic POSTs from ``--clients``
   threads. After each 201 the client reads the primary's flushed WAL position; a sampler reads
   the standby's replay position every millisecond or so; per write, the lag is the time from the
   201 until the standby had applied it (what another client could miss). Also the largest
   ``replay_lag`` of ``pg_stat_replication`` and the largest lag ``/readyz/`` reported meanwhile.
2. **Lag under a burst of small transactions**: ``--commits`` one-row INSERTs straight to the
   primary from ``--clients`` connections, as fast as it takes them; per commit, the same lag.
   **After a bulk transaction**: one INSERT of ``--bulk-rows`` rows (as a large import would),
   commit to replay.
3. **Failover**: one client reads ``/meetings/`` in a loop while the standby is stopped (``fast``,
   then ``immediate`` shutdown): time from the stop until the first answer from the primary, and
   until the last answer from the standby; answers that were not 200; the slowest answer.
4. **Return**: the standby started again: time from ``pg_ctl start`` returning until the first
   answer from it, and until both workers read from it.

    .venv/bin/python -m bench.replicas [--writes 300] [--clients 4] [--rounds 3]

Figures are printed as Markdown and written to ``bench/results/replicas.json``; docs/operations.md
quotes them. Only 127.0.0.1 is used; everything started is stopped by its pid, whatever happens.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests import postgres
from tests.processes import REPO, request, run, server_env, start_gunicorn

RESULTS = REPO / "bench" / "results" / "replicas.json"
SITE_HOST = "api.example.org"
# A frozen standby (SIGSTOP, as a hung host) holds requests on open connections until gunicorn's
# worker timeout, which the run lowers to this (documented default 30 s).
GUNICORN_TIMEOUT = 10
FROZEN_SECONDS = 15


def lsn(text: str) -> int:
    """A WAL position (``'0/3016098'``) as a byte offset."""
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


class ReplaySampler(threading.Thread):
    """Reads the standby's replay position in a loop; ``applied_at`` answers when one was reached."""

    def __init__(self, standby: postgres.Cluster):
        super().__init__(daemon=True)
        self.connection = standby.connect()
        self.samples: list[tuple[float, int]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            (position,) = self.connection.execute("SELECT pg_last_wal_replay_lsn()::text").fetchone()
            self.samples.append((time.monotonic(), lsn(position)))
            time.sleep(0.0005)

    def stop(self) -> None:
        self.running = False
        self.join(timeout=10)
        self.connection.close()

    def applied_at(self, position: int, after: float) -> float | None:
        """The first sample time at or after ``after`` when the standby had replayed ``position``."""
        return next((t for t, replayed in self.samples if t >= after and replayed >= position), None)


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def write_burst(server, primary, standby, token: str, writes: int, clients: int) -> dict:
    """Lag of each write of a burst of topic POSTs (see the module docstring)."""
    sampler = ReplaySampler(standby)
    sampler.start()
    written: list[tuple[float, int]] = []
    statuses: list[int] = []
    readyz_lags: list[float] = []
    replay_lags: list[float] = []
    done = threading.Event()

    def client(number: int) -> None:
        with primary.connect("briefing") as connection:
            for i in range(number, writes, clients):
                body = json.dumps({"slug": f"bench-topic-{i}", "name": f"Constructed bench topic {i}"})
                answer = request(
                    server.port,
                    "POST",
                    "/topics/",
                    headers={"Host": SITE_HOST, "Content-Type": "application/json", "Authorization": token},
                    body=body.encode(),
                )
                at = time.monotonic()
                (position,) = connection.execute("SELECT pg_current_wal_flush_lsn()::text").fetchone()
                statuses.append(answer.status)
                written.append((at, lsn(position)))

    def watch() -> None:
        with primary.connect() as connection:
            while not done.is_set():
                (lag,) = connection.execute(
                    "SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication"
                ).fetchone()
                replay_lags.append(float(lag))
                ready = request(server.port, "GET", "/readyz/", headers={"Host": SITE_HOST}).json()
                readyz_lags.append(ready["databases"]["replica_1"]["lag_seconds"] or 0.0)
                time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    time.sleep(0.5)  # let the standby apply the last writes
    done.set()
    watcher.join(timeout=10)
    sampler.stop()
    lags = [sampler.applied_at(position, at) - at for at, position in written]
    return {
        "writes": writes,
        "clients": clients,
        "writes_per_second": round(writes / seconds, 1),
        "non_201": sum(status != 201 for status in statuses),
        "lag_ms_p50": round(1000 * percentile(lags, 0.5), 1),
        "lag_ms_p95": round(1000 * percentile(lags, 0.95), 1),
        "lag_ms_max": round(1000 * max(lags), 1),
        "pg_stat_replication_replay_lag_ms_max": round(1000 * max(replay_lags), 1),
        "readyz_lag_seconds_max": max(readyz_lags),
    }


def sql_burst(primary, standby, commits: int, clients: int) -> dict:
    """Lag of each of ``commits`` one-row transactions sent straight to the primary as fast as it takes them."""
    primary.execute("CREATE TABLE IF NOT EXISTS bench_burst (at timestamptz, client int)")
    sampler = ReplaySampler(standby)
    sampler.start()
    written: list[tuple[float, int]] = []

    def client(number: int) -> None:
        with primary.connect() as connection:
            for _ in range(number, commits, clients):
                connection.execute("INSERT INTO bench_burst VALUES (now(), %s)", (number,))
                at = time.monotonic()
                (position,) = connection.execute("SELECT pg_current_wal_flush_lsn()::text").fetchone()
                written.append((at, lsn(position)))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    time.sleep(0.5)
    sampler.stop()
    lags = [sampler.applied_at(position, at) - at for at, position in written]
    return {
        "commits": commits,
        "clients": clients,
        "commits_per_second": round(commits / seconds),
        "lag_ms_p50": round(1000 * percentile(lags, 0.5), 1),
        "lag_ms_p95": round(1000 * percentile(lags, 0.95), 1),
        "lag_ms_max": round(1000 * max(lags), 1),
    }


def bulk_lag(primary, standby, rows: int) -> dict:
    """Commit-to-replay time of one large INSERT."""
    primary.execute("CREATE TABLE IF NOT EXISTS bench_bulk (at timestamptz, filler text)")
    sampler = ReplaySampler(standby)
    sampler.start()
    with primary.connect() as connection:
        (before,) = connection.execute("SELECT pg_current_wal_flush_lsn()::text").fetchone()
        connection.execute(
            "INSERT INTO bench_bulk SELECT now(), repeat('x', 100) FROM generate_series(1, %s)", (rows,)
        )
        at = time.monotonic()
        (position,) = connection.execute("SELECT pg_current_wal_flush_lsn()::text").fetchone()
    deadline = time.monotonic() + 60
    while sampler.applied_at(lsn(position), at) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    sampler.stop()
    return {
        "rows": rows,
        "wal_mib": round((lsn(position) - lsn(before)) / 2**20, 1),
        "lag_ms": round(1000 * (sampler.applied_at(lsn(position), at) - at), 1),
    }


class Reader(threading.Thread):
    """Reads /meetings/ in a loop, recording when each answer came, its status and its database."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.answers: list[tuple[float, float, int, str]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            started = time.monotonic()
            try:
                answer = request(
                    self.server.port, "GET", "/meetings/", headers={"Host": SITE_HOST}, timeout=30
                )
                status, database = answer.status, answer.headers.get("x-read-database", "")
            except OSError:
                status, database = 0, ""
            self.answers.append((started, time.monotonic(), status, database))

    def stop(self) -> None:
        self.running = False
        self.join(timeout=40)

    def after(self, moment: float) -> list[tuple[float, float, int, str]]:
        """The answers that came at or after ``moment``."""
        return [answer for answer in self.answers if answer[1] >= moment]


def failover_round(server, standby, mode: str) -> dict:
    """Stop (or freeze) the standby under a reading client, then bring it back; the times it took."""
    reader = Reader(server)
    reader.start()
    time.sleep(1.5)
    stop_issued = time.monotonic()
    if mode == "frozen":
        frozen = standby_pids(standby)
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        time.sleep(FROZEN_SECONDS)
    else:
        standby.pg_ctl("-m", mode, "stop")
        time.sleep(3)
    stopped = time.monotonic()
    if mode == "frozen":
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    else:
        standby.start()
    started = time.monotonic()
    time.sleep(6 if mode != "frozen" else 25)
    reader.stop()
    during = [a for a in reader.after(stop_issued) if a[1] < started]
    first_primary = next((a[1] for a in during if a[3] == "default"), None)
    last_standby = max((a[1] for a in during if a[3] == "replica_1"), default=stop_issued)
    back = reader.after(started)
    first_back = next((a[1] for a in back if a[3] == "replica_1"), None)
    last_primary = max((a[1] for a in back if a[3] == "default"), default=started)
    return {
        "shutdown": mode,
        "down_seconds": round(stopped - stop_issued, 3),
        "first_primary_answer_after_stop_ms": _ms(first_primary, stop_issued),
        "last_standby_answer_after_stop_ms": _ms(last_standby, stop_issued),
        "not_200": sum(a[2] != 200 for a in reader.answers),
        "slowest_answer_ms": round(1000 * max(a[1] - a[0] for a in reader.answers), 1),
        "first_standby_answer_after_start_ms": _ms(first_back, started),
        "last_primary_answer_after_start_ms": _ms(last_primary, started),
        "requests": len(reader.answers),
    }


def _ms(moment: float | None, since: float) -> float | None:
    return None if moment is None else round(1000 * (moment - since), 1)


def standby_pids(standby: postgres.Cluster) -> list[int]:
    """The standby's postmaster and all its children (which this run started)."""
    postmaster = standby.postmaster_pid()
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
    return [postmaster, *map(int, children)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--bulk-rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    bin_dir = postgres.server_bin()
    if bin_dir is None:
        raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are missing")
    root = postgres.scratch_dir("briefing-bench-replicas-")
    primary = postgres.Cluster(bin_dir, root, "primary")
    standby = gunicorn = None
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-replicas-"))
    try:
        primary.initdb("wal_level = replica")
        primary.start()
        primary.run("createdb", "-h", postgres.HOST, "-p", str(primary.port), "-U", "postgres", "briefing")
        standby = primary.standby("standby")
        standby.start()
        env = server_env(
            database_url=primary.url("briefing"),
            static_root=work / "static",
            allowed_host=SITE_HOST,
            DATABASE_REPLICA_URLS=standby.url("briefing"),
            DATABASE_ROUTING_HEADER="true",
            GUNICORN_TIMEOUT=str(GUNICORN_TIMEOUT),
            THROTTLE_ANON="off",
            THROTTLE_USER="off",
            MIGRATE="1",
            SEED="1",
        )
        gunicorn = start_gunicorn(cwd=REPO, env=env, log=work / "gunicorn.log")
        run(["python", "manage.py", "create_editor", "bench-editor", "--no-password"], cwd=REPO, env=env)
        token = (
            "Token " + run(["python", "manage.py", "issue_token", "bench-editor"], cwd=REPO, env=env).strip()
        )
        results = {
            "machine": f"{platform.machine()}, {platform.python_version()}, PostgreSQL {bin_dir.parent.name}",
            "burst": write_burst(gunicorn, primary, standby, token, args.writes, args.clients),
            "sql_burst": sql_burst(primary, standby, args.commits, args.clients),
            "bulk": bulk_lag(primary, standby, args.bulk_rows),
            "failover": [
                failover_round(gunicorn, standby, mode)
                for mode in ["fast", "immediate"] * args.rounds + ["frozen"]
            ],
        }
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        for cluster in (standby, primary):
            if cluster is not None:
                cluster.stop()
        postgres.remove(root)
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    report(results)


def report(results: dict) -> None:
    """The figures as the Markdown table docs/operations.md shows."""
    burst, bulk, rounds = results["burst"], results["bulk"], results["failover"]
    print(
        f"\nBurst: {burst['writes']} POSTs from {burst['clients']} clients at {burst['writes_per_second']}/s: "
        f"lag p50 {burst['lag_ms_p50']} ms, p95 {burst['lag_ms_p95']} ms, max {burst['lag_ms_max']} ms "
        f"(pg_stat_replication max {burst['pg_stat_replication_replay_lag_ms_max']} ms, "
        f"/readyz/ max {burst['readyz_lag_seconds_max']} s); non-201: {burst['non_201']}"
    )
    sql = results["sql_burst"]
    print(
        f"SQL burst: {sql['commits']} one-row commits from {sql['clients']} connections at "
        f"{sql['commits_per_second']}/s: lag p50 {sql['lag_ms_p50']} ms, p95 {sql['lag_ms_p95']} ms, "
        f"max {sql['lag_ms_max']} ms"
    )
    print(
        f"Bulk: {bulk['rows']} rows in one transaction ({bulk['wal_mib']} MiB of WAL): "
        f"commit to replay {bulk['lag_ms']} ms"
    )
    print(
        "\n| standby | rounds | first answer from the primary | last from the standby | not 200 | slowest answer "
        "| back: first from the standby | back: last from the primary |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for mode in ("fast", "immediate", "frozen"):
        rows = [r for r in rounds if r["shutdown"] == mode]
        print(
            f"| {mode} | {len(rows)} | {_span(rows, 'first_primary_answer_after_stop_ms')} "
            f"| {_span(rows, 'last_standby_answer_after_stop_ms')} "
            f"| {sum(r['not_200'] for r in rows)} of {sum(r['requests'] for r in rows)} "
            f"| {_span(rows, 'slowest_answer_ms')} | {_span(rows, 'first_standby_answer_after_start_ms')} "
            f"| {_span(rows, 'last_primary_answer_after_start_ms')} |"
        )


def _span(rows: list[dict], key: str) -> str:
    values = [row[key] for row in rows if row[key] is not None]
    if not values:
        return "none"
    return f"{statistics.median(values):g} ms" + (f" (max {max(values):g})" if len(values) > 1 else "")


if __name__ == "__main__":
    main()
