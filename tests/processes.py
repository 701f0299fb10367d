"""Helpers for tests that run real processes: a clean environment, free ports, gunicorn, HTTP.

Only ever 127.0.0.1. Every process started here is stopped by its pid by the caller's fixture.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

# What a subprocess may inherit: the tools' own variables, never the suite's Django settings
# (pytest-django exports DJANGO_SETTINGS_MODULE, briefing.settings_test a SECRET_KEY).
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def clean_env(**variables: str) -> dict[str, str]:
    """The environment of a production process: nothing from the test run but the given variables."""
    env = {k: v for k, v in os.environ.items() if k in _INHERITED or k.startswith("PIP_")}
    env.update(variables)
    return env


def server_env(
    *, database_url: str, static_root: Path, allowed_host: str = HOST, **variables: str
) -> dict[str, str]:
    """The production environment of a test's gunicorn (and its manage.py): 2 workers, no HTTPS
    redirect (nothing terminates TLS on loopback), a fresh secret key, this venv first on PATH."""
    import secrets
    import sys

    return clean_env(
        PATH=f"{Path(sys.executable).parent}:{clean_env()['PATH']}",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=allowed_host,
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        SECURE_SSL_REDIRECT="false",
        GUNICORN_WORKERS="2",
        **variables,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    """An HTTP answer, and how long it took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self):
        """The body parsed as JSON."""
        return json.loads(self.body)


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30,
    chunked: bool = False,
) -> Response:
    """One request on a fresh connection, redirects not followed; ``chunked`` sends the body with
    ``Transfer-Encoding: chunked`` (in two chunks) instead of ``Content-Length``."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        if chunked and body is not None:
            middle = len(body) // 2
            body = iter([body[:middle], body[middle:]])
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        answer = connection.getresponse()
        payload = answer.read()
        # Header names are case-insensitive; Set-Cookie may repeat, so keep every value.
        merged: dict[str, str] = {}
        for name, value in answer.getheaders():
            key = name.lower()
            merged[key] = f"{merged[key]}\n{value}" if key in merged else value
        return Response(answer.status, merged, payload, time.monotonic() - started)
    finally:
        connection.close()


@dataclass
class Gunicorn:
    """A gunicorn master started through the image's entrypoint, with its log file."""

    process: subprocess.Popen
    port: int
    log: Path
    env: dict[str, str] = field(repr=False)

    @property
    def pid(self) -> int:
        """The master's pid (the entrypoint execs gunicorn, so it is the started process)."""
        return self.process.pid

    def worker_pids(self) -> set[int]:
        """The pids of the master's current worker processes."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()

    def log_tail(self, lines: int = 40) -> str:
        """The end of gunicorn's output, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM the master by pid (it stops its workers), SIGKILL if it will not go."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """The Dockerfile as ``(INSTRUCTION, arguments)`` pairs, continuation lines joined."""
    joined = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines()]
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def image_command(cwd: Path) -> list[str]:
    """The image's ENTRYPOINT + CMD, with the WORKDIR paths made relative to ``cwd``."""
    instructions = dict(dockerfile_instructions())
    workdir = instructions["WORKDIR"].rstrip("/") + "/"
    command = json.loads(instructions["ENTRYPOINT"]) + json.loads(instructions["CMD"])
    return [str(cwd / part.removeprefix(workdir)) if part.startswith(workdir) else part for part in command]


def start_gunicorn(*, cwd: Path, env: dict[str, str], log: Path, startup_timeout: float = 60) -> Gunicorn:
    """Run the image's ENTRYPOINT and CMD in ``cwd`` and wait until /healthz/ answers 200."""
    port = free_port()
    env = {**env, "GUNICORN_HOST": HOST, "PORT": str(port)}
    with log.open("wb") as output:
        process = subprocess.Popen(
            image_command(cwd), cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    server = Gunicorn(process, port, log, env)
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if request(port, "GET", "/healthz/", headers=host_header(env), timeout=2).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer /healthz/ within {startup_timeout} s:\n{server.log_tail()}")


@dataclass
class DevServer:
    """``manage.py runserver`` (what ``make run`` serves), with its log file."""

    process: subprocess.Popen
    port: int
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's output, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM by pid, SIGKILL if it will not go."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_runserver(*, cwd: Path, env: dict[str, str], log: Path, startup_timeout: float = 60) -> DevServer:
    """Run ``manage.py runserver`` (no autoreloader) on a free port; wait until /healthz/ answers 200."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["python", "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = DevServer(process, port, log)
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"runserver exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if request(port, "GET", "/healthz/", headers={"Host": HOST}, timeout=2).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"runserver did not answer /healthz/ within {startup_timeout} s:\n{server.log_tail()}")


def host_header(env: dict[str, str]) -> dict[str, str]:
    """A Host header naming the first of the server's ALLOWED_HOSTS."""
    return {"Host": env["ALLOWED_HOSTS"].split(",")[0]}


def run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 120) -> str:
    """Run a command to completion; raise with its output if it fails."""
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}")
    return result.stdout
