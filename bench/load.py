"""Load generation with wrk on loopback: timed runs, and runs bounded by a request count.

Every request carries the same ``Host`` header (``127.0.0.1``, no port), so all contenders
build the same absolute URLs and answer the same bytes. wrk's timeout is raised to 30 s: its
default of 2 s would drop slow answers from the latency figures instead of reporting them.
"""

import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HOST_HEADER = "127.0.0.1"
THREADS = 1
CONNECTIONS = 8
TIMEOUT = "30s"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    """What one wrk run measured."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int
    non_2xx: int

    def as_dict(self) -> dict:
        """The figures as a plain dict, for the results file."""
        return asdict(self)


def wrk_version() -> str:
    """wrk's version line, or fail early when wrk is not installed."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get update && apt-get install -y wrk")
    # wrk prints its version in the usage text and exits non-zero.
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).splitlines()[0].split(" [")[0].removeprefix("wrk ").strip()


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * UNITS[unit]


def parse(output: str) -> WrkResult:
    """The figures in wrk's ``--latency`` report."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if done is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = int(done.group(1))
    # With no answer at all, wrk prints zero latencies: they must not read as fast.
    return WrkResult(
        requests=requests,
        seconds=_ms(done.group(2) + done.group(3)) / 1000,
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=_ms(latency["50"]) if requests and "50" in latency else None,
        p99_ms=_ms(latency["99"]) if requests and "99" in latency else None,
        errors=errors,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def wrk(url: str, seconds: float, connections: int = CONNECTIONS) -> WrkResult:
    """Load ``url`` for ``seconds`` with wrk (1 thread, ``connections`` connections)."""
    command = [
        "wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", TIMEOUT,
        "-H", f"Host: {HOST_HEADER}", url,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse(out.stdout)


# Cycles through the paths; after `limit` responses it stops its (single) thread and leaves a
# file saying so. wrk itself would still sleep out its whole duration: the caller interrupts it.
BOUNDED_SCRIPT = """
local paths = {%(paths)s}
local limit = %(limit)d
local sent, answered = 0, 0
request = function()
  sent = sent + 1
  return wrk.format("GET", paths[(sent - 1) %% #paths + 1], {["Host"] = "%(host)s"})
end
response = function(status, headers, body)
  answered = answered + 1
  if answered == limit then
    local marker = io.open("%(marker)s", "w")
    marker:write("done")
    marker:close()
    wrk.thread:stop()
  end
end
"""
POLL_SECONDS = 0.25


def wrk_bounded(
    base: str,
    paths: list[str],
    requests: int,
    max_seconds: float,
    sample: Callable[[], None] | None = None,
    every: float = 5.0,
    connections: int = CONNECTIONS,
) -> WrkResult:
    """``requests`` requests cycling over ``paths`` (at most ``max_seconds``), sampling as it goes.

    ``sample`` is called about every ``every`` seconds while the load runs.
    """
    lua_paths = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        marker = Path(folder) / "done"
        script = Path(folder) / "bounded.lua"
        script.write_text(
            BOUNDED_SCRIPT % {"paths": lua_paths, "limit": requests, "host": HOST_HEADER, "marker": marker}
        )
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{max_seconds:g}s", "--latency", "--timeout", TIMEOUT,
            "-s", str(script), base + "/",
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            next_sample = time.monotonic() + every
            while process.poll() is None:
                if marker.exists():
                    # wrk prints its report on SIGINT, with the time actually elapsed.
                    process.send_signal(signal.SIGINT)
                    break
                if sample is not None and time.monotonic() >= next_sample:
                    sample()
                    next_sample += every
                time.sleep(POLL_SECONDS)
            output, _ = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed:\n{output}")
    return parse(output)


def pause(seconds: float = 1.0) -> None:
    """Let the machine settle between runs (sockets in TIME_WAIT, PostgreSQL background work)."""
    time.sleep(seconds)
