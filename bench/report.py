"""Turns bench results (``bench/results/<size>.json``) into the tables of ``docs/performance.md``.

Only the part between the two ``bench:generated`` markers is rewritten; the hand-written
analysis around it is kept. ``python -m bench.report`` re-renders the document from the results
files without measuring anything.
"""

import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- bench:generated:begin (bench/run.py rewrites everything down to the end marker) -->"
END = "<!-- bench:generated:end -->"
SIZES = ("large", "xlarge")
TEMPLATE = f"""# Performance at scale

How fast the API's read path is on a realistic corpus, against a hand-written baseline. Run
`make bench` (`.venv/bin/python -m bench.run`; see its docstring for the options).

{BEGIN}
{END}

## Analysis

(hand-written)
"""


def _number(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _ratio(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def _load_during(results: dict) -> str:
    """The range of the 1-minute load average measured after each timed run."""
    loads = [run["load"] for runs in results.get("runs", {}).values() for rounds in runs.values()
             for run in rounds if "load" in run]  # fmt: skip
    return f", between {min(loads)} and {max(loads)} after the timed runs" if loads else ""


def summary(results: dict) -> str:
    """A short plain-text summary for the console."""
    lines = [f"{'workload':<13}{'contender':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'× raw':>7}"]
    for row in results["rows"]:
        if "failure" in row:
            lines.append(f"{row['workload']:<13}left out: {row['failure']}")
            continue
        lines.append(
            f"{row['workload']:<13}{row['contender']:<10}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}{_ratio(row['x_raw']):>7}"
        )
    lines.append("")
    lines += [
        f"[{'met' if t['met'] else 'NOT met'}] {t['target']}: {t['figure']}" for t in results["targets"]
    ]
    return "\n".join(lines)


def render(results: dict) -> str:
    """The Markdown section of one corpus size."""
    size = results["size"]
    corpus = results["corpus"]
    machine = results["machine"]
    code = results["code"]
    versions = ", ".join(f"{name} {version}" for name, version in results["versions"].items())
    uncommitted = (
        f" plus uncommitted changes to {', '.join(f'`{p}`' for p in code['uncommitted'])}"
        if code["uncommitted"]
        else ""
    )
    rows = corpus["rows"]
    changed = (
        " **The code changed during the run: the figures mix two versions.**"
        if code.get("changed_during_run")
        else ""
    )
    out = [
        f"## {size} corpus",
        "",
        f"Measured {results['measured_at']} on commit `{code['commit']}`{uncommitted} (sources "
        f"`{code.get('source_hash', '?')}`), in {results.get('elapsed_seconds', '?')} s.{changed}",
        "",
        f"- **Machine:** {machine['nproc']} CPUs ({machine['cpu']}), {machine['memory_gib']} GiB RAM, "
        f"Linux {machine['kernel']}, shared by the servers, PostgreSQL and wrk; load average "
        f"{machine['load_average_at_start'][0]} at the start and "
        f"{machine.get('load_average_at_end', ['?'])[0]} at the end{_load_during(results)}. Read ratios "
        "within a run, not absolute figures.",
        f"- **Versions:** {versions}.",
        f"- **Load:** `{results['load']['wrk']}` with `Host: {results['load']['host_header']}`, after a "
        f"{results['load']['warmup_seconds']:g} s warm-up, {results['load']['rounds']} rounds alternating "
        "the contenders; figures are medians of the rounds (each round's req/s in *rounds*). Every "
        "server runs the project's `gunicorn.conf.py` with 2 workers, worker recycling off "
        "(`GUNICORN_MAX_REQUESTS=0`; the API's gunicorn took "
        f"{results.get('ready_seconds', {}).get('api', '?')} s from start to answering, which a "
        "recycled worker pays again). The API runs with production settings (`DEBUG` off, "
        "persistent connections as configured) and throttling off (`THROTTLE_ANON=off`, "
        "`THROTTLE_USER=off`)"
        + (
            ": `DEBUG={DEBUG}`, `CONN_MAX_AGE={CONN_MAX_AGE}`, `CONN_HEALTH_CHECKS={CONN_HEALTH_CHECKS}`.".format(
                **results["probe"]["settings"]
            )
            if "settings" in results["probe"]
            else "."
        ),
        f"- **Corpus:** `{corpus['database']}` (seed {results['seed']}): {rows['meeting']:,} meetings, "
        f"{rows['official']:,} officials, {rows['topic']:,} topics, {rows['statement']:,} statements, "
        f"{rows['participation']:,} participations (generated corpus plus the real fixtures).",
        "",
        "| workload | contender | req/s | rounds | p50 ms | p99 ms | × raw | × limit | SQL/req | bytes | same results | errors |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    titles = {w["name"]: w for w in results["workloads"]}
    for row in results["rows"]:
        if "failure" in row:
            out.append(f"| {row['workload']} | {row['contender']} | left out: {row['failure']} |||||||||")
            continue
        sql = _number(row["sql"])
        if row.get("pings"):
            sql += f" (+{row['pings']} ping)"
        same = {True: "yes", False: "NO", None: ""}[row["same"]]
        out.append(
            f"| {row['workload']} | {row['contender']} | {_number(row['rps'])} | "
            f"{' / '.join(_number(r, 0) for r in row['rps_rounds'])} | {_number(row['p50_ms'])} | "
            f"{_number(row['p99_ms'])} | {_ratio(row['x_raw'])} | {_ratio(row['x_limit'])} | {sql} | "
            f"{_number(row['bytes'])} | {same} | {row['errors']} |"
        )
    out += [
        "",
        "*api* is the API **cold**: its response cache off (`RESPONSE_CACHE=false`), so every request "
        "does all of its work. *api-warm-local* and *api-warm-redis* are the same API **warm**, with "
        "the response cache on, answering the same request over and over (every request after the "
        "first is a hit): *local* keeps answers in each worker's memory and the data version in a "
        "file (one host), *redis* in Redis"
        + (f" (`{results['cache']['redis']}`)" if results.get("cache", {}).get("redis") else "")
        + ", reading the version there on every request (any number of hosts). Warm rows are "
        "compared with the ceiling (*limit*) only.",
    ]
    out += ["", "Workloads:", ""]
    out += [f"- **{name}**: {w['title']}: `{w['path']}`" for name, w in titles.items()]
    out += [
        "",
        "*SQL/req* is what Django logs for one request (bench/probe.py, in process); *ping* is the "
        "`SELECT 1` health check `CONN_HEALTH_CHECKS` sends on a reused connection, which Django's "
        "query log does not show. *same results*: the `results` of raw and limit equal the API's.",
        "",
        f"### Targets ({size})",
        "",
        "| target | figure | met |",
        "|---|---|:---:|",
    ]
    out += [
        f"| {t['target']} | {t['figure']} | {'yes' if t['met'] else '**no**'} |" for t in results["targets"]
    ]
    out += [
        "",
        f"### Where an API request's time goes ({size}, in process, no HTTP)",
        "",
        "The median of a few requests through Django's test client with production settings: time "
        "inside SQL calls (round trips included) and the rest (Python: middleware, filters, ORM "
        "objects, serializers, rendering).",
        "",
        "| workload | SQL statements | total ms | in SQL ms | in Python ms | bytes |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    probe = results["probe"]["workloads"]
    for name, found in probe.items():
        out.append(
            f"| {name} | {found['queries']} | {_number(found['total_ms'])} | {_number(found['sql_ms'])} | "
            f"{_number(found['python_ms'])} | {_number(found['bytes'])} |"
        )
    memory = results.get("memory")
    if memory:
        workers = ", ".join(
            f"{b / 1024:.1f} → {a / 1024:.1f} MiB"
            for b, a in zip(memory["rss_kib_before"], memory["rss_kib_after"], strict=True)
        )
        trend = " · ".join("/".join(f"{v / 1024:.0f}" for v in sample) for sample in memory["samples_kib"])
        out += [
            "",
            f"### Worker memory ({size})",
            "",
            f"A separate API server with worker recycling off (`GUNICORN_MAX_REQUESTS=0`), warmed with "
            f"{memory.get('warm_requests', 500):,} requests, then {memory['requests']:,} requests ({memory['errors']} errors) in "
            f"{memory['seconds']:.0f} s cycling over {', '.join(f'`{p}`' for p in memory['paths'])}. "
            f"Worker RSS: {workers}; worst growth {memory['max_growth']:+.1%}."
            + (f" RSS every 10 s (MiB): {trend}." if trend else ""),
        ]
    plans = {
        name: found["slowest_query_plan"] for name, found in probe.items() if found.get("slowest_query_plan")
    }
    if plans:
        out += ["", f"### Slow queries ({size})", ""]
        for name, plan in plans.items():
            out += [f"**{name}**: `{plan['query']}`", "", "```", *plan["plan"], "```", ""]
    profiles = results["probe"].get("profiles", {})
    if profiles:
        out += ["", f"### Profile ({size})", ""]
        for name, found in profiles.items():
            out += [
                f"**{name}** (`{found['path']}`): cProfile over {found['requests']} in-process requests "
                f"({found['ms_per_request']} ms each under the profiler). By own time:",
                "",
                "```",
                found["tottime"],
                "```",
                "",
                "By cumulative time, the project's own functions:",
                "",
                "```",
                found["cumulative"],
                "```",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


def update_doc(doc: Path, results_dir: Path) -> None:
    """Rewrite the generated part of ``doc`` from every results file in ``results_dir``."""
    sections = []
    for size in SIZES:
        path = results_dir / f"{size}.json"
        if path.exists():
            sections.append(render(json.loads(path.read_text())))
    text = doc.read_text() if doc.exists() else TEMPLATE
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{doc} lacks the markers {BEGIN!r} and {END!r}; add them where the tables go")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(head + BEGIN + "\n\n" + "\n".join(sections) + "\n" + END + tail)


if __name__ == "__main__":
    update_doc(ROOT / "docs" / "performance.md", ROOT / "bench" / "results")
