"""``make bench``: the API's read path at scale against a hand-written baseline and the HTTP ceiling.

On its own PostgreSQL database of the ``large`` corpus (or ``xlarge``; see bench/corpus_db.py)
it serves three contenders over the same tables, each under gunicorn with the project's
``gunicorn.conf.py`` (2 sync workers) on a free loopback port:

- **api**: the project itself, production settings (DEBUG off, persistent connections as
  configured, no SSL redirect since nothing terminates TLS here);
- **raw**: bench/raw_app.py, psycopg 3 + orjson, the page's JSON built by one SQL statement;
- **limit**: bench/limit_app.py, the API's own bytes pre-rendered: what the HTTP stack allows.

It checks that they return the same ``results`` for each workload (bench/workloads.py; it fails
loudly when they do not), then loads each workload with wrk, alternating contenders over three
rounds, and takes medians (bench/figures.py). It also measures in process what each API request
costs (SQL statements, time in SQL and in Python, a cProfile of the list pages: bench/probe.py),
and whether the workers' memory stays flat over a 20,000-request run. Figures go to
``bench/results/<size>.json`` and the generated part of ``docs/performance.md`` (bench/report.py);
the hand-written analysis there is kept.

    .venv/bin/python -m bench.run                  # large corpus, about 10 minutes (+1 to build it)
    .venv/bin/python -m bench.run --size xlarge    # 10× larger: about 15 minutes (+6 to build it)
    .venv/bin/python -m bench.run --quick          # smoke run: short, one round, no doc update

Only 127.0.0.1 is ever loaded, every run is bounded in time or requests, and every server is
stopped by its pid when the run ends, fails or is interrupted.
"""

import argparse
import hashlib
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from bench import corpus_db, load, report
from bench.figures import table_rows, targets
from bench.servers import Server, Servers, rss_kib
from bench.workloads import (
    CheckFailed,
    Workload,
    check,
    check_limit,
    define_workloads,
    give_up,
    warm_contenders,
)

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
# Variables the project reads that the caller's shell must not leak into the servers.
PROJECT_VARIABLES = (
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SECURE_SSL_REDIRECT", "DJANGO_SETTINGS_MODULE",
    "CACHE_URL", "DB_CONN_MAX_AGE", "DB_CONNECT_TIMEOUT", "DB_STATEMENT_TIMEOUT_MS", "DB_PARALLEL_WORKERS", "DB_RANDOM_PAGE_COST", "PORT",
    "GUNICORN_HOST", "GUNICORN_WORKERS", "GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER",
    "THROTTLE_ANON", "THROTTLE_USER", "REDIS_URL", "ENV_FILE",
)  # fmt: skip
# The code whose speed is measured: what code_state() describes.
MEASURED_CODE = ("api", "briefing", "gunicorn.conf.py")
PACKAGES = ("Django", "djangorestframework", "psycopg", "orjson", "gunicorn")
# Requests that warm the memory run's workers before the first reading.
WARM_REQUESTS = 2_000
# Throttle rates that mean "off" (api.throttling).
OFF = {None, "", "off", "none"}


def main(argv: list[str] | None = None) -> None:
    """Parse the options and run the benchmark, stopping every server on the way out."""
    args = parse_args(argv)
    # A SIGTERM (say, from make being stopped) unwinds like Ctrl-C, so servers get stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    results = run(args)
    results["elapsed_seconds"] = round(time.monotonic() - started)
    out = args.results or (WORK / f"quick-{args.size}.json" if args.quick else RESULTS / f"{args.size}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nResults in {out.relative_to(ROOT)}")
    print(report.summary(results))
    if not args.quick:
        report.update_doc(DOC, RESULTS)
        print(f"Updated {DOC.relative_to(ROOT)} ({results['elapsed_seconds']} s in all)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["large", "xlarge"], default="large", help="Corpus size.")
    parser.add_argument("--seed", type=int, default=1, help="Corpus seed (default 1).")
    parser.add_argument(
        "--rebuild", action="store_true", help="Rebuild the bench database even if it is current."
    )
    parser.add_argument("--rounds", type=int, default=3, help="Rounds over all contenders (default 3).")
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds of load per run (default 10).")
    parser.add_argument("--warmup", type=float, default=1.0, help="Seconds of warm-up before each run.")
    parser.add_argument("--official", default="official-0001", help="Official of the filter workload.")
    parser.add_argument("--topic", default="topic-023", help="Topic of the filter workload.")
    parser.add_argument("--search", default="security", help="Word of the full-text search workload.")
    parser.add_argument(
        "--deep-page", type=int, default=200, help="Page the deep workload reads (default 200)."
    )
    parser.add_argument("--memory-requests", type=int, default=20_000, help="Requests of the memory run.")
    parser.add_argument("--memory-seconds", type=float, default=300.0, help="Time bound of the memory run.")
    parser.add_argument(
        "--no-memory", action="store_true", help="Skip the memory run (always skipped on xlarge)."
    )
    parser.add_argument(
        "--server-url", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server (no database)."
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="Redis for a second warm contender, api-warm-redis (e.g. redis://127.0.0.1:6379/1); "
        "api-warm-local keeps answers in each worker's memory either way.",
    )
    parser.add_argument(
        "--database-prefix",
        default=corpus_db.DEFAULT_PREFIX,
        help="Name prefix of the bench databases (default briefing_bench: briefing_bench_large, …); "
        "engineers sharing a PostgreSQL server each use their own.",
    )
    parser.add_argument("--results", type=Path, help="Results file (default bench/results/<size>.json).")
    parser.add_argument(
        "--quick", action="store_true", help="Smoke run: 5 s runs, 1 round, 2,000-request memory run."
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration, args.memory_requests, args.memory_seconds = 1, 5.0, 2_000, 60.0
    if urlsplit(args.server_url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--server-url must be on this machine (127.0.0.1)")
    return args


def production_env(database_url: str) -> dict[str, str]:
    """The environment of a production deployment, pointed at the bench database."""
    static_root = WORK / "static"
    static_root.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in PROJECT_VARIABLES}
    env.update(
        DEBUG="false",
        # Never a checkout's development .env.
        ENV_FILE="",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Nothing terminates TLS on loopback; with the redirect on, every answer would be a 301.
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        GUNICORN_WORKERS="2",
        # gunicorn.conf.py recycles a worker after about 1,000 requests; a Django worker then
        # takes a second or more to boot, and whichever run is going on pays it at its p99.
        # Steady state is measured here; run() records the boot time to weigh recycling.
        GUNICORN_MAX_REQUESTS="0",
        # One client sending thousands of requests a second is what throttling exists to stop;
        # measured with it on, most answers would be 429s (and it costs a cache round trip).
        THROTTLE_ANON="off",
        THROTTLE_USER="off",
        # Cold: every request does all of its work. The warm contender turns the cache on.
        RESPONSE_CACHE="false",
    )
    return env


def warm_env(env: dict[str, str], redis_url: str) -> dict[str, str]:
    """``env`` with the response cache on: in Redis when ``redis_url`` is given, else in each
    worker's memory with the data version in a file."""
    shared = {"REDIS_URL": redis_url} if redis_url else {"DATA_VERSION_FILE": str(WORK / "data-version")}
    return {**env, "RESPONSE_CACHE": "true", **shared}


def run(args: argparse.Namespace) -> dict:
    """Everything but writing the results: database, servers, checks, load, probes."""
    WORK.mkdir(parents=True, exist_ok=True)
    logs = WORK / "logs"
    logs.mkdir(exist_ok=True)
    wrk_version = load.wrk_version()
    print(f"[1/6] Corpus database ({args.size})", flush=True)
    base_env = production_env("")
    corpus = corpus_db.ensure_corpus(
        size=args.size,
        seed=args.seed,
        rebuild=args.rebuild,
        server_url=args.server_url,
        env=base_env,
        prefix=args.database_prefix,
    )
    reference = None
    if args.size != "large":
        # The xlarge target compares with large, measured in the same run.
        reference = corpus_db.ensure_corpus(
            size="large",
            seed=args.seed,
            rebuild=False,
            server_url=args.server_url,
            env=base_env,
            prefix=args.database_prefix,
        )
    facts = corpus_db.pick_parameters(
        corpus["url"], official=args.official, topic=args.topic, search=args.search
    )
    api_env = production_env(corpus["url"])
    workloads = define_workloads(args, facts, compare_large=reference is not None)
    # The deep-page and search targets are for the large corpus; on xlarge only the lists count.
    required = (
        {"list", "filter", "deep", "search", "official-top"}
        if args.size == "large"
        else {"list", "filter", "search"}
    )
    for workload in workloads:
        workload.required = workload.name in required

    results: dict = {
        "size": args.size,
        "seed": args.seed,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": code_state(),
        "machine": machine(),
        "versions": versions(facts["postgresql"], wrk_version),
        "load": {
            "wrk": f"wrk -t{load.THREADS} -c{load.CONNECTIONS} -d{args.duration:g}s --latency --timeout {load.TIMEOUT}",
            "warmup_seconds": args.warmup,
            "rounds": args.rounds,
            "host_header": load.HOST_HEADER,
        },
        "corpus": {**corpus, **facts, "official": args.official, "topic": args.topic, "search": args.search},
        "cache": {"redis": args.redis_url},
    }
    with Servers(logs) as servers:
        print("[2/6] Servers", flush=True)
        contenders: dict[str, Server] = {
            "api": servers.start("api", "briefing.wsgi:application", api_env, ready_path="/healthz/"),
            **{
                name: servers.start(
                    name,
                    "briefing.wsgi:application",
                    warm_env(api_env, args.redis_url if name.endswith("redis") else ""),
                    ready_path="/healthz/",
                )
                for name in warm_contenders(args)
            },
            "raw": servers.start(
                "raw", "bench.raw_app:application", api_env, ready_path="/meetings/?page_size=1"
            ),
        }
        if reference is not None:
            contenders["api@large"] = servers.start(
                "api-large",
                "briefing.wsgi:application",
                production_env(reference["url"]),
                ready_path="/healthz/",
            )
        print("[3/6] Checking that the contenders agree", flush=True)
        pages = check(args, workloads, contenders)
        pages_file = WORK / f"limit-pages-{args.size}.json"
        pages_file.write_text(json.dumps(pages))
        contenders["limit"] = servers.start(
            "limit",
            "bench.limit_app:application",
            {**api_env, "BENCH_LIMIT_PAGES": str(pages_file)},
            ready_path=workloads[0].path,
        )
        check_limit(workloads, contenders["limit"], pages)
        results["ready_seconds"] = {name: server.ready_seconds for name, server in contenders.items()}
        # In-process figures now, while the servers are idle and run the same code.
        print("[4/6] In-process: SQL per request, time split, profile", flush=True)
        results["probe"] = probe(api_env, workloads)
        results["workloads"] = [
            {
                "name": w.name,
                "title": w.title,
                "path": w.path,
                "contenders": w.contenders,
                "required": w.required,
            }
            for w in workloads
        ]
        print("[5/6] Load", flush=True)
        results["runs"] = timed_rounds(
            args, workloads, contenders, [corpus["url"]] + ([reference["url"]] if reference else [])
        )
        results["failures"] = {w.name: w.failure for w in workloads if w.failure}
        for server in list(contenders.values()):
            servers.stop(server)
        print("[6/6] Memory", flush=True)
        # The memory target is the large corpus's; xlarge would only take longer to say the same.
        if not args.no_memory and args.size == "large":
            results["memory"] = memory_run(args, servers, api_env, workloads)
    results["code"]["changed_during_run"] = code_state()["source_hash"] != results["code"]["source_hash"]
    if results["code"]["changed_during_run"]:
        print("  WARNING: api/ or briefing/ changed during the run: the figures mix two versions", flush=True)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["rows"] = table_rows(workloads, results)
    results["targets"] = targets(results)
    return results


# -- load -----------------------------------------------------------------------------------------


def timed_rounds(
    args: argparse.Namespace,
    workloads: list[Workload],
    contenders: dict[str, Server],
    database_urls: list[str],
) -> dict:
    """Every (workload, contender) pair once per round, contenders in a rotating order.

    After each wrk run, the server is left to finish what wrk left queued (see Server.wait_idle),
    and PostgreSQL to finish its queries, before anything else is measured.
    """
    monitors = [psycopg.connect(url, autocommit=True) for url in database_urls]

    def queries_running() -> bool:
        return any(
            monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            ).fetchone()[0]
            for monitor in monitors
        )

    try:
        return _timed_rounds(args, workloads, contenders, queries_running)
    finally:
        for monitor in monitors:
            monitor.close()


def _timed_rounds(args, workloads, contenders, queries_running) -> dict:
    """The rounds themselves (see timed_rounds)."""
    runs: dict = {w.name: {c: [] for c in w.contenders} for w in workloads}
    for round_number in range(args.rounds):
        for workload in workloads:
            if workload.failure:
                continue
            order = workload.contenders[round_number % len(workload.contenders) :]
            order += workload.contenders[: round_number % len(workload.contenders)]
            for name in order:
                server = contenders[name]
                url = server.base + workload.path
                load.wrk(url, args.warmup)
                server.wait_idle(queries_running)
                load.pause()
                result = load.wrk(url, args.duration)
                drained = server.wait_idle(queries_running)
                # How busy the shared machine was (the 1-minute load average after the run).
                runs[workload.name][name].append({**result.as_dict(), "load": round(os.getloadavg()[0], 2)})
                if result.non_2xx:
                    give_up(
                        workload,
                        CheckFailed(
                            f"{workload.name} on {name}: {result.non_2xx} of {result.requests} answers "
                            f"were not 2xx under load; see {server.log_path}"
                        ),
                    )
                    break
                p50, p99 = (
                    f"{v:7.1f}" if v is not None else "      –" for v in (result.p50_ms, result.p99_ms)
                )
                print(
                    f"  round {round_number + 1} {workload.name:<12} {name:<9} {result.rps:8.1f} req/s"
                    f"  p50 {p50} ms  p99 {p99} ms"
                    + (f"  ERRORS {result.errors}" if result.errors else "")
                    + (f"  (drained {drained:.1f} s)" if drained > 1 else ""),
                    flush=True,
                )
                load.pause()
    return runs


def memory_run(
    args: argparse.Namespace, servers: Servers, env: dict[str, str], workloads: list[Workload]
) -> dict:
    """Workers' RSS before and after a bounded run over the cheaper workloads, recycling off."""
    # Recycling (max_requests) would hide a leak by restarting the workers.
    server = servers.start(
        "api-memory",
        "briefing.wsgi:application",
        {**env, "GUNICORN_MAX_REQUESTS": "0"},
        ready_path="/healthz/",
    )
    # The two detail pages of the most active official and the search are left out: at their
    # cost, 20,000 requests would not fit the time bound.
    paths = [w.path for w in workloads if w.name in {"list", "filter", "deep", "statement", "official"}]
    # Warmed until a worker's memory reaches its working size (about 1,000 requests each: the
    # allocator's arenas grow by ~5 MiB over the first few thousand requests, then stay put).
    load.wrk_bounded(server.base, paths, requests=WARM_REQUESTS, max_seconds=60)
    workers = server.worker_pids()
    before = {pid: rss_kib(pid) for pid in workers}
    samples = []

    def sample() -> None:
        samples.append({str(pid): rss_kib(pid) for pid in workers})

    result = load.wrk_bounded(
        server.base,
        paths,
        requests=args.memory_requests,
        max_seconds=args.memory_seconds,
        sample=sample,
        every=10,
    )
    after = {pid: rss_kib(pid) for pid in workers}
    same_workers = server.worker_pids() == workers
    servers.stop(server)
    growth = max((after[pid] - before[pid]) / before[pid] for pid in workers)
    print(
        f"  {result.requests:,} requests in {result.seconds:.0f} s; worker RSS "
        + ", ".join(f"{before[p] / 1024:.1f} → {after[p] / 1024:.1f} MiB" for p in workers)
        + f"; growth {growth:+.1%}",
        flush=True,
    )
    return {
        "paths": paths,
        "requests": result.requests,
        "seconds": result.seconds,
        "errors": result.errors,
        "non_2xx": result.non_2xx,
        "rss_kib_before": list(before.values()),
        "rss_kib_after": list(after.values()),
        "samples_kib": [list(s.values()) for s in samples],
        "wanted": args.memory_requests,
        "max_growth": round(growth, 4),
        "warm_requests": WARM_REQUESTS,
        "same_workers": same_workers,
    }


# -- in-process probe -----------------------------------------------------------------------------


def probe(env: dict[str, str], workloads: list[Workload]) -> dict:
    """bench/probe.py over every workload, with cProfile on the two list workloads."""
    spec = WORK / "probe-workloads.json"
    out = WORK / "probe.json"
    spec.write_text(json.dumps([{"name": w.name, "path": w.path} for w in workloads]))
    command = [sys.executable, "-m", "bench.probe", "--workloads", str(spec), "--out", str(out)]
    command += ["--host", load.HOST_HEADER, "--profile", "list", "--profile", "filter"]
    try:
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=900)
    except subprocess.CalledProcessError as error:
        raise SystemExit(
            "bench/probe.py failed (its traceback is above). If api/ or briefing/ changed since the "
            "database was migrated, run again."
        ) from error
    found = json.loads(out.read_text())
    rates = {scope: rate for scope, rate in found["throttling"]["rates"].items() if rate not in OFF}
    if found["throttling"]["classes"] and rates:
        print(f"  note: throttling is on during the run: {rates}", flush=True)
    return found


# -- the machine ----------------------------------------------------------------------------------


def machine() -> dict:
    """What the figures were measured on, including how busy it was."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024**2, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def versions(postgresql: str, wrk_version: str) -> dict:
    """Versions of everything in the request path."""
    found = {"python": platform.python_version(), "postgresql": postgresql, "wrk": wrk_version}
    for package in PACKAGES:
        try:
            found[package.lower()] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package.lower()] = "not installed"
    return found


def code_state() -> dict:
    """Which code was measured: the commit, and whether api/ or briefing/ had local changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout

    changed = git("status", "--porcelain", "--", *MEASURED_CODE)
    digest = hashlib.sha256()
    for folder in MEASURED_CODE:
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).is_dir() else [ROOT / folder]:
            digest.update(path.read_bytes())
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip(),
        "uncommitted": [line[3:] for line in changed.splitlines()],
        "source_hash": digest.hexdigest()[:12],
    }


if __name__ == "__main__":
    main()
