"""Contract-test fixtures: the pinned SDK tools, and the API under each documented server on a disposable database.

Each contract test runs twice: against gunicorn as the image runs it (production settings,
DEBUG off) and against Django's development server as `make run` runs it (the settings of the
`.env` it writes, DEBUG on). Either listens on 127.0.0.1 and a free port, against a database of
its own: a copy of a template that is migrated, seeded and
given two API accounts (sdk/accounts.py) once per session. When the suite runs on PostgreSQL
(``DATABASE_URL=postgres://...``) the copies are databases on that server (``CREATE DATABASE
... TEMPLATE``), so PostgreSQL-only failures show up; otherwise they are SQLite files. Every
gunicorn is stopped by its pid and every database dropped or deleted by the fixtures.
"""

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.processes import (
    HOST,
    REPO,
    Server,
    clean_env,
    development_env,
    run,
    server_env,
    start_gunicorn,
    start_runserver,
)

BUILD = REPO / "build"
SDK_TOOLS = BUILD / "sdk-tools"
SDK_VENV = BUILD / "sdk-venv"
SCHEMA = REPO / "docs" / "openapi.yaml"
# sdk/tools.sh's exit status when pip cannot install requirements-sdk.txt at all.
CANNOT_INSTALL = 3
# The last line of a logged traceback, e.g. `ValueError: Field 'id' expected a number...`.
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception): ")


def _tool_env() -> dict[str, str]:
    """The environment for sdk/*.sh: this interpreter's venv first, pip's settings kept."""
    return clean_env(PATH=f"{Path(sys.executable).parent}:{clean_env()['PATH']}", PYTHON=sys.executable)


def _run_script(script: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", script],
        cwd=REPO,
        env=_tool_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def sdk_tools() -> Path:
    """The bin directory of the venv with requirements-sdk.txt; skips if it cannot be installed."""
    result = _run_script("sdk/tools.sh", timeout=600)
    if result.returncode == CANNOT_INSTALL:
        pytest.skip(f"requirements-sdk.txt cannot be installed (no package index?):\n{result.stdout[-2000:]}")
    assert result.returncode == 0, result.stdout
    return SDK_TOOLS / "bin"


@pytest.fixture(scope="session")
def python_sdk() -> Path:
    """The python of build/sdk-venv, with the client generated from docs/openapi.yaml installed."""
    result = _run_script("sdk/generate.sh", timeout=900)
    if result.returncode == CANNOT_INSTALL:
        pytest.skip(
            f"openapi-python-client cannot be installed (no package index?):\n{result.stdout[-2000:]}"
        )
    assert result.returncode == 0, f"sdk/generate.sh failed:\n{result.stdout}"
    return SDK_VENV / "bin" / "python"


class DisposableDatabases:
    """Copies of one migrated, seeded database with API accounts: SQLite files or PostgreSQL databases."""

    def __init__(self, root: Path):
        self.root = root
        suite_url = os.environ.get("DATABASE_URL", "")
        self.postgres = suite_url.startswith(("postgres://", "postgresql://"))
        self._server_url = suite_url
        self._prefix = f"briefing_contract_{os.getpid()}"
        self._made: list[str] = []
        self._numbers = itertools.count(1)
        self.template_url = self._new_url("template")
        self.tokens = self._build_template()

    def _new_url(self, name: str) -> str:
        if not self.postgres:
            return f"sqlite:///{self.root / name}.sqlite3"
        database = f"{self._prefix}_{name}"
        self._made.append(database)
        return urlunsplit(urlsplit(self._server_url)._replace(path=f"/{database}"))

    def _admin(self, statement: str, *names: str) -> None:
        """Run one statement naming databases, on the server's maintenance database."""
        import psycopg
        from psycopg import sql

        maintenance = urlunsplit(urlsplit(self._server_url)._replace(path="/postgres"))
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))

    def env(self, database_url: str) -> dict[str, str]:
        """The production environment of a server (and its manage.py) on ``database_url``."""
        return server_env(
            database_url=database_url,
            static_root=self.root / "static",
            # The fuzzer sends thousands of requests a minute from one address: throttled, most
            # would be 429s and the code behind them untested. Rate limits have their own tests.
            THROTTLE_ANON="off",
            THROTTLE_USER="off",
            # Its ignored_auth check sends many invalid tokens on purpose.
            THROTTLE_AUTH_FAILURES="off",
        )

    def development_env(self, database_url: str) -> dict[str, str]:
        """The environment of `make run`'s server on ``database_url``: its `.env`, DEBUG on."""
        return development_env(
            database_url=database_url, dotenv=self.root / ".env", THROTTLE_ANON="off", THROTTLE_USER="off"
        )

    def _build_template(self) -> dict[str, str]:
        if self.postgres:
            self._admin("CREATE DATABASE {}", urlsplit(self.template_url).path.lstrip("/"))
        env = self.env(self.template_url)
        run(["python", "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, env=env, timeout=300)
        run(["python", "manage.py", "seed", "-v0"], cwd=REPO, env=env)
        output = run(["python", "sdk/accounts.py"], cwd=REPO, env=env)
        return json.loads(output.strip().splitlines()[-1])

    def copy(self) -> str:
        """A new database with the template's contents; its DATABASE_URL."""
        url = self._new_url(f"copy{next(self._numbers)}")
        if self.postgres:
            self._admin(
                "CREATE DATABASE {} TEMPLATE {}",
                urlsplit(url).path.lstrip("/"),
                urlsplit(self.template_url).path.lstrip("/"),
            )
        else:
            shutil.copyfile(self.template_url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        return url

    def drop(self, url: str) -> None:
        """Remove one database made here."""
        if self.postgres:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", urlsplit(url).path.lstrip("/"))
        else:
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

    def drop_all(self) -> None:
        """Remove every database made here, the template last."""
        if self.postgres:
            for database in reversed(self._made):
                self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", database)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[DisposableDatabases]:
    """The session's template database and its copies, removed at the end."""
    dbs = DisposableDatabases(tmp_path_factory.mktemp("contract-db"))
    try:
        yield dbs
    finally:
        dbs.drop_all()


@dataclass
class LiveAPI:
    """The API served by a documented server on a fresh copy of the seeded database."""

    server: Server
    tokens: dict[str, str]
    kind: str

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.server.port}"

    def server_errors(self, limit: int = 40) -> str:
        """The errors Django logged and their exceptions (no stack frames), for failure messages."""
        lines = self.server.log.read_text(errors="replace").splitlines()
        picked = [line for line in lines if "ERROR django.request" in line or EXCEPTION_LINE.match(line)]
        return "\n".join(picked[-limit:]) or "(none)"


# The servers the README documents: `make run`'s and the image's.
SERVERS = ["gunicorn", "runserver"]


@pytest.fixture(params=SERVERS)
def live_api(request, databases, tmp_path) -> Iterator[LiveAPI]:
    """gunicorn (2 workers), or the development server, on a database of this test's own; stopped by pid afterwards."""
    url = databases.copy()
    if request.param == "gunicorn":
        server = start_gunicorn(cwd=REPO, env=databases.env(url), log=tmp_path / "gunicorn.log")
    else:
        server = start_runserver(cwd=REPO, env=databases.development_env(url), log=tmp_path / "runserver.log")
    try:
        yield LiveAPI(server, databases.tokens, request.param)
    finally:
        server.stop()
        databases.drop(url)
