"""gunicorn servers for the benchmark: started on free loopback ports, stopped by their pid.

Each contender runs under the project's own ``gunicorn.conf.py`` (2 sync workers, the same
keep-alive, worker recycling and access log for all), so the only difference between them is
the WSGI app. A server is started in its own process group, whose id is its master's pid, and
``Servers`` stops every one it started, on success and failure alike.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn master (and its workers) serving ``app`` on ``HOST:port``."""

    def __init__(self, name: str, app: str, env: dict[str, str], log_dir: Path, ready_path: str):
        self.name = name
        self.app = app
        self.port = free_port()
        self.env = {**env, "GUNICORN_HOST": HOST, "PORT": str(self.port)}
        self.log_path = log_dir / f"{name}.log"
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None
        self.ready_seconds: float | None = None

    @property
    def base(self) -> str:
        """The server's base URL."""
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        """The gunicorn master's pid."""
        assert self.process is not None
        return self.process.pid

    def start(self) -> "Server":
        """Start gunicorn and wait until it answers ``ready_path`` with a 2xx."""
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "--config", str(ROOT / "gunicorn.conf.py"), self.app],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        started = time.monotonic()
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name}: gunicorn exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=10) as response:
                    if 200 <= response.status < 300 and len(self.worker_pids()) == self.workers():
                        self.ready_seconds = round(time.monotonic() - started, 2)
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name}: not answering after {START_TIMEOUT:.0f} s; see {self.log_path}")

    def workers(self) -> int:
        """How many workers the configuration asks for."""
        return int(self.env.get("GUNICORN_WORKERS", "2"))

    def worker_pids(self) -> list[int]:
        """The pids of the master's worker processes (children in /proc)."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces and parentheses; fields resume after the last ")".
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == self.pid:
                children.append(int(entry.name))
        return sorted(children)

    def cpu_ticks(self) -> int:
        """CPU time (user + system, in clock ticks) the workers have used so far."""
        total = 0
        for pid in self.worker_pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def wait_idle(self, busy=None, timeout: float = 120.0, settle: float = 0.3) -> float:
        """Wait until the workers use no CPU and ``busy()`` (if given) is false; the seconds waited.

        wrk stops with requests still queued at the sync workers, which go on serving them for
        clients that have left: a slow workload would steal the next run's first seconds.
        """
        started = time.monotonic()
        before = self.cpu_ticks()
        while time.monotonic() - started < timeout:
            time.sleep(settle)
            now = self.cpu_ticks()
            if now == before and not (busy and busy()):
                return time.monotonic() - started
            before = now
        raise RuntimeError(f"{self.name}: still busy {timeout:.0f} s after the load stopped")

    def stop(self) -> None:
        """SIGTERM the master (it stops its workers), then SIGKILL the group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)


def rss_kib(pid: int) -> int:
    """A process's resident set size in KiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


class Servers:
    """Starts servers and stops all of them on exit, whatever happened in between."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[Server] = []

    def start(self, name: str, app: str, env: dict[str, str], ready_path: str = "/") -> Server:
        """Start a server (see Server) and remember it for stopping."""
        server = Server(name, app, env, self.log_dir, ready_path)
        self.started.append(server)
        print(f"  starting {name} ({app}) on port {server.port}", flush=True)
        return server.start()

    def stop(self, server: Server) -> None:
        """Stop one server now."""
        server.stop()
        self.started.remove(server)

    def __enter__(self) -> "Servers":
        return self

    def __exit__(self, *exc) -> None:
        for server in reversed(self.started):
            try:
                server.stop()
            except Exception as error:  # Keep stopping the others.
                print(f"  could not stop {server.name} (pid {server.pid}): {error}", file=sys.stderr)
        self.started.clear()
