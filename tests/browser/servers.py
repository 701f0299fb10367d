"""The site as the README serves it, for browser tests: `make run`'s development server or gunicorn.

Each server gets a database of its own, migrated and seeded by ``manage.py`` as a user's would
be: a SQLite file, or a PostgreSQL database on the suite's server when the suite runs on
PostgreSQL (``DATABASE_URL=postgres://...``). Only 127.0.0.1; every process is stopped by its
pid and every database dropped by the caller's fixture.
"""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.processes import HOST, REPO, clean_env, free_port, request, run, server_env, start_gunicorn

AXE_DIR = Path(__file__).resolve().parent
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class Database:
    """A database of a browser test's own: its URL, and how to remove it."""

    url: str
    postgres_server: str | None = None

    @classmethod
    def create(cls, root: Path, name: str) -> "Database":
        """A new empty database: on the suite's PostgreSQL server if it uses one, else a SQLite file."""
        suite = os.environ.get("DATABASE_URL", "")
        if not suite.startswith(("postgres://", "postgresql://")):
            return cls(f"sqlite:///{root / name}.sqlite3")
        database = f"briefing_browser_{os.getpid()}_{name}"
        cls._admin(suite, f'CREATE DATABASE "{database}"')
        return cls(urlunsplit(urlsplit(suite)._replace(path=f"/{database}")), suite)

    @staticmethod
    def _admin(server: str, statement: str) -> None:
        import psycopg

        maintenance = urlunsplit(urlsplit(server)._replace(path="/postgres"))
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(statement)

    def drop(self) -> None:
        """Remove the database (the SQLite file goes with the test's temporary directory)."""
        if self.postgres_server:
            name = urlsplit(self.url).path.lstrip("/")
            self._admin(self.postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(env: dict[str, str]) -> None:
    """Migrate and seed the server's database, as `make run` does."""
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, env=env, timeout=300)
    run([sys.executable, "manage.py", "seed", "-v0"], cwd=REPO, env=env, timeout=300)


@dataclass
class Server:
    """A running server: its process, port and log."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        """Stop the process by its pid: SIGTERM, then SIGKILL if it will not go."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def development_env(database_url: str) -> dict[str, str]:
    """The environment `make run` gives the development server (DEBUG on, nothing else set)."""
    return clean_env(
        PATH=f"{Path(sys.executable).parent}:{clean_env()['PATH']}", DEBUG="true", DATABASE_URL=database_url
    )


def start_runserver(*, env: dict[str, str], log: Path, startup_timeout: float = 60) -> Server:
    """`manage.py runserver --noreload` on a free port, once /healthz/ answers 200."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"runserver exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if request(port, "GET", "/healthz/", timeout=2).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"runserver did not answer /healthz/ within {startup_timeout} s:\n{log.read_text()[-3000:]}"
    )


def start(kind: str, *, database: Database, root: Path) -> Server:
    """A seeded server of ``kind`` ("runserver" or "gunicorn") on ``database``."""
    if kind == "runserver":
        env = development_env(database.url)
        prepare(env)
        return start_runserver(env=env, log=root / "runserver.log")
    env = server_env(database_url=database.url, static_root=root / "static")
    prepare(env)
    # Production serves collected, hashed static files (the image collects them when it is built).
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=REPO, env=env, timeout=300)
    gunicorn = start_gunicorn(cwd=REPO, env=env, log=root / "gunicorn.log")
    return Server(gunicorn.process, gunicorn.port, gunicorn.log)


def axe_script() -> Path | None:
    """axe-core's browser script, installed from tests/browser/package-lock.json with `npm ci`;
    None when npm is not installed."""
    if AXE_SCRIPT.exists():
        return AXE_SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        return None
    run([npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, env=clean_env(), timeout=300)
    return AXE_SCRIPT
