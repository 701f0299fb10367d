"""In-process measurements of the API for bench/run.py: SQL per request, time split, profile.

Runs Django with the environment ``run.py`` gives it (production settings, the bench database)
and sends each workload's request through the whole stack (middleware, DRF, serializers,
renderer) with Django's test client, without HTTP. For each workload it reports the status,
the body size, the SQL statements Django ran (``CaptureQueriesContext``) and the connection
health-check pings it sent besides (``CONN_HEALTH_CHECKS``, invisible to Django's query log),
and the median time per request, split into time inside SQL calls and the rest (Python).
With ``--profile`` it runs cProfile over a bounded loop of one workload and keeps the top.

    .venv/bin/python -m bench.probe --workloads workloads.json --out probe.json [--profile list]
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

PROFILE_LINES = 30
PLAN_LINES = 40
# Files of the project itself, for the cumulative profile (a pstats restriction, a regex).
PROJECT_CODE = re.escape(str(Path(__file__).resolve().parent.parent)) + r"/(api|briefing)/"
# Seconds (as Django logs them) above which a workload's slowest query gets its plan explained.
SLOW_QUERY = 0.02


def main(argv: list[str] | None = None) -> None:
    """Measure each workload of ``--workloads`` and write the findings to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", required=True, help="JSON list of {name, path}.")
    parser.add_argument("--out", required=True, help="Where to write the JSON findings.")
    parser.add_argument("--host", default="127.0.0.1", help="Host header (URLs in bodies use it).")
    parser.add_argument("--repeat", type=int, default=15, help="Timed requests per workload.")
    parser.add_argument("--seconds", type=float, default=8.0, help="Time bound per workload.")
    parser.add_argument("--profile", action="append", default=[], help="Workload name to profile.")
    parser.add_argument("--profile-requests", type=int, default=60, help="Requests per profile.")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")
    import django

    django.setup()
    from django.conf import settings

    with open(args.workloads, encoding="utf-8") as handle:
        workloads = json.load(handle)
    found = {
        "throttling": {
            "classes": settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_CLASSES", []),
            "rates": getattr(settings, "API_THROTTLE_RATES", None)
            or settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}),
        },
        "settings": {
            "DEBUG": settings.DEBUG,
            "CONN_MAX_AGE": settings.DATABASES["default"].get("CONN_MAX_AGE"),
            "CONN_HEALTH_CHECKS": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS"),
            "renderers": settings.REST_FRAMEWORK.get("DEFAULT_RENDERER_CLASSES"),
        },
        "workloads": {w["name"]: measure(w["path"], args) for w in workloads},
        "profiles": {},
    }
    by_name = {w["name"]: w["path"] for w in workloads}
    for name in args.profile:
        found["profiles"][name] = profile(by_name[name], args)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(found, handle, indent=1)


class PingCounter:
    """Counts the health-check pings (``SELECT 1`` on a reused connection) Django sends."""

    def __init__(self, connection):
        self.count = 0
        original = connection.is_usable

        def counted():
            self.count += 1
            return original()

        connection.is_usable = counted


def measure(path: str, args) -> dict:
    """Status, bytes, SQL statements and pings per request, and the median time split."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=args.host)
    pings = PingCounter(connection)
    served(client, path)  # Warm: connection, URL resolver, first-use imports.
    before = pings.count
    with CaptureQueriesContext(connection) as captured:
        response = served(client, path)
    queries = [q["sql"] for q in captured.captured_queries]
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    request_pings = pings.count - before

    sql_seconds = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - started

    totals, in_sql = [], []
    deadline = time.monotonic() + args.seconds
    with connection.execute_wrapper(timed):
        for _ in range(args.repeat):
            sql_seconds[0] = 0.0
            started = time.perf_counter()
            served(client, path)
            totals.append(time.perf_counter() - started)
            in_sql.append(sql_seconds[0])
            if time.monotonic() > deadline:
                break
    total_ms = statistics.median(totals) * 1000
    sql_ms = statistics.median(in_sql) * 1000
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "pings": request_pings,
        "sql": [shorten(q) for q in queries],
        "requests": len(totals),
        "total_ms": round(total_ms, 2),
        "sql_ms": round(sql_ms, 2),
        "python_ms": round(total_ms - sql_ms, 2),
        "slowest_query_plan": explain(slowest["sql"])
        if slowest and float(slowest["time"]) > SLOW_QUERY
        else None,
    }


def explain(query: str) -> dict:
    """PostgreSQL's plan of ``query`` as it ran, with timings (``EXPLAIN ANALYZE``)."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql" or not query.lstrip().upper().startswith("SELECT"):
        return {}
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}")
            lines = [row[0] for row in cursor.fetchall()]
    except DatabaseError as error:  # Say, the statement timeout: the reason it is slow shows anyway.
        lines = [f"EXPLAIN ANALYZE failed: {error}".strip()]
    return {
        "query": shorten(query, 600),
        "plan": lines[:PLAN_LINES] + (["…"] if len(lines) > PLAN_LINES else []),
    }


def served(client, path: str):
    """``client.get(path)`` with the connection handling a real server does around a request.

    Django's WSGI handler closes stale connections when a request starts and ends, which arms
    the health check; the test client leaves that out, so it is done here.
    """
    from django.db import close_old_connections

    close_old_connections()
    try:
        return client.get(path)
    finally:
        close_old_connections()


def shorten(sql: str, limit: int = 160) -> str:
    """The start of a statement, enough to tell which query it is."""
    return sql if len(sql) <= limit else sql[:limit] + "…"


def profile(path: str, args) -> dict:
    """The top of a cProfile of ``--profile-requests`` requests, by cumulative and own time."""
    from django.test import Client

    client = Client(HTTP_HOST=args.host)
    served(client, path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    deadline = time.monotonic() + 4 * args.seconds
    count = 0
    profiler.enable()
    while count < args.profile_requests and time.monotonic() < deadline:
        served(client, path)
        count += 1
    profiler.disable()
    elapsed = time.perf_counter() - started
    texts = {}
    # Own time over everything; cumulative time only over the project's code, where the
    # outer frames (test client, middleware chain, DRF dispatch) would otherwise fill the top.
    for order, restriction in (("tottime", ()), ("cumulative", (PROJECT_CODE,))):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(order).print_stats(*restriction, PROFILE_LINES)
        texts[order] = tidy(out.getvalue())
    return {"path": path, "requests": count, "ms_per_request": round(elapsed / count * 1000, 2), **texts}


def tidy(text: str) -> str:
    """pstats output with the header and long path prefixes cut, for the report."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    prefixes = sorted({p for p in sys.path if p and p != "."}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(p.rstrip("/") + "/") for p in prefixes))
    return "\n".join(pattern.sub("", line).rstrip() for line in lines[start:] if line.strip())


if __name__ == "__main__":
    main()
