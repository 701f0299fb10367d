"""Helpers for tests that run real processes: a clean environment, free ports, servers, HTTP.

Only ever 127.0.0.1. Every process started here is stopped by its pid by the caller's fixture.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

# What a subprocess may inherit: the tools' own variables, never the suite's Django settings
# (pytest-django exports DJANGO_SETTINGS_MODULE, briefing.settings_test a SECRET_KEY).
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def clean_env(**variables: str) -> dict[str, str]:
    """The environment of a production process: nothing from the test run but the given variables.

    No dotenv file either (``ENV_FILE`` empty): a developer's ``.env`` in the checkout turns
    DEBUG on, and a production process under test must not read it.
    """
    env = {k: v for k, v in os.environ.items() if k in _INHERITED or k.startswith("PIP_")}
    env["ENV_FILE"] = ""
    env.update(variables)
    return env


def server_env(
    *, database_url: str, static_root: Path, allowed_host: str = HOST, **variables: str
) -> dict[str, str]:
    """The production environment of a test's gunicorn (and its manage.py): 2 workers, no HTTPS
    redirect (nothing terminates TLS on loopback), a fresh secret key, this venv first on PATH."""
    import secrets

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


def write_dotenv(path: Path) -> subprocess.CompletedProcess:
    """``make ENV_FILE=<path> <path>``: the rule with which `make run` writes a checkout's `.env`."""
    return subprocess.run(
        ["make", "--no-print-directory", f"ENV_FILE={path}", str(path)],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def development_env(*, database_url: str, dotenv: Path, **variables: str) -> dict[str, str]:
    """The environment of `make run`'s commands: nothing typed, the settings from its `.env`."""
    if not dotenv.exists():
        result = write_dotenv(dotenv)
        assert result.returncode == 0, result.stdout + result.stderr
    return clean_env(
        PATH=f"{Path(sys.executable).parent}:{clean_env()['PATH']}",
        ENV_FILE=str(dotenv),
        DATABASE_URL=database_url,
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
class Server:
    """A server process on 127.0.0.1 started by a test, with its log file."""

    process: subprocess.Popen
    port: int
    log: Path
    env: dict[str, str] = field(repr=False)

    @property
    def pid(self) -> int:
        """The server's pid (the process started, which serves or is the master)."""
        return self.process.pid

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's output, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM the server by pid (a master stops its workers), SIGKILL if it will not go."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class Gunicorn(Server):
    """A gunicorn master started through the image's entrypoint."""

    def worker_pids(self) -> set[int]:
        """The pids of the master's current worker processes."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


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
    return _started(
        Gunicorn, image_command(cwd), cwd=cwd, env=env, port=port, log=log, timeout=startup_timeout
    )


def start_runserver(*, cwd: Path, env: dict[str, str], log: Path, startup_timeout: float = 60) -> Server:
    """Django's development server as `make run` starts it, and wait until /healthz/ answers 200.

    `make run` runs ``manage.py runserver HOST:PORT``; this adds ``--noreload`` only, so that
    the started process is the server itself and stopping it by pid leaves no child behind.
    """
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"]
    return _started(Server, command, cwd=cwd, env=env, port=port, log=log, timeout=startup_timeout)


def _started(
    kind, command: list[str], *, cwd: Path, env: dict[str, str], port: int, log: Path, timeout: float
):
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = kind(process, port, log, env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if request(port, "GET", "/healthz/", headers=host_header(env), timeout=2).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"{' '.join(command)} did not answer /healthz/ within {timeout} s:\n{server.log_tail()}"
    )


def host_header(env: dict[str, str]) -> dict[str, str]:
    """A Host header naming the first of the server's ALLOWED_HOSTS (127.0.0.1 in development)."""
    return {"Host": env.get("ALLOWED_HOSTS", HOST).split(",")[0]}


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
