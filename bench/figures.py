"""The figures of a run: medians over the rounds, ratios, and whether each target is met."""

import statistics

from bench.workloads import Workload

TARGET_RAW_RATIO = 0.6
TARGET_DEEP_RATIO = 1.5
TARGET_SEARCH_P99_MS = {"large": 100.0, "xlarge": 200.0}
TARGET_OFFICIAL_P99_MS = 100.0
TARGET_WARM_LIMIT_RATIO = 0.5
TARGET_XLARGE_P99_RATIO = 2.0
TARGET_RSS_GROWTH = 0.10


def median_of(runs: list[dict], key: str) -> float | None:
    """The median of one figure over the rounds (None when no round measured it)."""
    values = [run[key] for run in runs if run[key] is not None]
    return statistics.median(values) if values else None


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def table_rows(workloads: list[Workload], results: dict) -> list[dict]:
    """One row per (workload, contender): medians, ratios, SQL per request, bytes."""
    rows = []
    for workload in workloads:
        runs = results["runs"][workload.name]
        raw = median_of(runs["raw"], "rps") if "raw" in runs else None
        limit = median_of(runs["limit"], "rps") if "limit" in runs else None
        probe_row = results["probe"]["workloads"].get(workload.name, {})
        if workload.failure:
            rows.append({"workload": workload.name, "contender": "api", "failure": workload.failure})
            continue
        for name in workload.contenders:
            rps = median_of(runs[name], "rps")
            sql = {"api": probe_row.get("queries"), "raw": 1, "limit": 0}.get(name)
            rows.append(
                {
                    "workload": workload.name,
                    "contender": name,
                    "rps": round(rps, 1),
                    "rps_rounds": [round(r["rps"], 1) for r in runs[name]],
                    "p50_ms": _round(median_of(runs[name], "p50_ms"), 2),
                    "p99_ms": _round(median_of(runs[name], "p99_ms"), 2),
                    # api@large serves another database: a ratio to this one's raw means nothing;
                    # a warm answer is compared with the ceiling only, never with the cold raw.
                    "x_raw": round(rps / raw, 3)
                    if raw and "@" not in name and not name.startswith("api-warm")
                    else None,
                    "x_limit": round(rps / limit, 4) if limit and "@" not in name else None,
                    "sql": sql,
                    "pings": probe_row.get("pings") if name == "api" else None,
                    "bytes": workload.bytes.get(name),
                    "same": workload.same if name in {"raw", "limit"} else None,
                    "errors": sum(r["errors"] for r in runs[name]),
                }
            )
    return rows


def _fmt(value: float | None) -> str:
    return "no answer" if value is None else f"{value:.1f}"


def _div(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _at_most(value: float | None, bound: float) -> bool:
    return value is not None and value <= bound


def targets(results: dict) -> list[dict]:
    """Each target of the issue, with the figures that decide it (no answer never meets one)."""
    row = {(r["workload"], r["contender"]): r for r in results["rows"] if "failure" not in r}
    required = {w["name"] for w in results["workloads"] if w["required"]}
    found = []
    for name in ("list", "filter"):
        api, raw = row[(name, "api")], row[(name, "raw")]
        found.append(
            {
                "target": f"{name} (cold): api ≥ {TARGET_RAW_RATIO}× raw req/s",
                "figure": f"{api['x_raw']:.2f}× ({api['rps']:.0f} vs {raw['rps']:.0f} req/s)",
                "met": api["x_raw"] >= TARGET_RAW_RATIO,
            }
        )
    if "deep" in required:
        deep, first = row[("deep", "api")], row[("list", "api")]
        p50_ratio = _div(deep["p50_ms"], first["p50_ms"])
        p99_ratio = _div(deep["p99_ms"], first["p99_ms"])
        probe = results["probe"]["workloads"]
        found.append(
            {
                "target": f"deep page p50 latency ≤ {TARGET_DEEP_RATIO}× first page",
                "figure": f"p50 {_fmt(deep['p50_ms'])} vs {_fmt(first['p50_ms'])} ms = {_fmt(p50_ratio)}× "
                f"(p99 {_fmt(p99_ratio)}×; in process {probe['deep']['total_ms']:.1f} vs "
                f"{probe['list']['total_ms']:.1f} ms)",
                "met": _at_most(p50_ratio, TARGET_DEEP_RATIO),
            }
        )
    bounds = [("search", TARGET_SEARCH_P99_MS[results["size"]]), ("official-top", TARGET_OFFICIAL_P99_MS)]
    for name, bound in bounds:
        if name not in required or (name, "api") not in row:
            continue
        cold = row[(name, "api")]
        found.append(
            {
                "target": f"{name} (cold) p99 < {bound:.0f} ms",
                "figure": f"p99 {_fmt(cold['p99_ms'])} ms (p50 {_fmt(cold['p50_ms'])} ms, {cold['rps']:.1f} req/s)",
                "met": cold["p99_ms"] is not None and cold["p99_ms"] < bound,
            }
        )
    for name in ("list", "filter"):
        for contender in ("api-warm-local", "api-warm-redis"):
            if (name, contender) not in row or (name, "limit") not in row:
                continue
            warm, limit = row[(name, contender)], row[(name, "limit")]
            found.append(
                {
                    "target": f"{name} (warm): {contender} ≥ {TARGET_WARM_LIMIT_RATIO}× limit req/s",
                    "figure": f"{warm['x_limit']:.2f}× ({warm['rps']:.0f} vs {limit['rps']:.0f} req/s)",
                    "met": warm["x_limit"] >= TARGET_WARM_LIMIT_RATIO,
                }
            )
    if ("list", "api@large") in row:
        for name in ("list", "filter"):
            big, small = row[(name, "api")]["p99_ms"], row[(name, "api@large")]["p99_ms"]
            ratio = _div(big, small)
            found.append(
                {
                    "target": f"{name}: xlarge p99 ≤ {TARGET_XLARGE_P99_RATIO:.0f}× large p99",
                    "figure": f"{_fmt(big)} vs {_fmt(small)} ms = {_fmt(ratio)}×",
                    "met": _at_most(ratio, TARGET_XLARGE_P99_RATIO),
                }
            )
    memory = results.get("memory")
    if memory:
        complete = memory["requests"] >= memory["wanted"]
        found.append(
            {
                "target": f"worker RSS growth < {TARGET_RSS_GROWTH:.0%} over the memory run",
                "figure": f"{memory['max_growth']:+.1%} (worst worker) over {memory['requests']:,} requests"
                + ("" if complete else f" (of {memory['wanted']:,}: time bound reached)")
                + ("" if memory["same_workers"] else "; workers were replaced during the run!"),
                "met": memory["max_growth"] < TARGET_RSS_GROWTH
                and memory["same_workers"]
                and complete
                and not memory["non_2xx"],
            }
        )
    return found
