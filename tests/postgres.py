"""Throwaway PostgreSQL clusters for tests and benchmarks: a primary, and hot standbys of it.

Each cluster lives in a temporary directory, listens on its own free port on 127.0.0.1 only
(its socket in its own directory), and is run as the ``postgres`` user when we are root (initdb
refuses root). The machine's own cluster is never touched. Callers stop what they start.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.processes import HOST, free_port

SERVER_PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "createdb")


def server_bin(programs: tuple[str, ...] = SERVER_PROGRAMS) -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` that has every one of ``programs``, if any."""
    found = [
        path
        for path in Path("/usr/lib/postgresql").glob("*/bin")
        if all((path / program).exists() for program in programs)
    ]
    return max(found, key=lambda path: int(path.parent.name)) if found else None


def has_extension(bin_dir: Path, name: str) -> bool:
    """Whether the server of ``bin_dir`` ships the contrib extension ``name``."""
    version = bin_dir.parent.name
    return Path(f"/usr/share/postgresql/{version}/extension/{name}.control").exists()


def scratch_dir(prefix: str) -> Path:
    """A new temporary directory the ``postgres`` user owns when we are root."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    return root


class Cluster:
    """One PostgreSQL cluster (a data directory and its postmaster) under ``root``."""

    def __init__(self, bin_dir: Path, root: Path, name: str, port: int | None = None):
        self.bin = bin_dir
        self.root = root
        self.data = root / name
        self.port = port or free_port()
        self.log = root / f"{name}.log"

    def command(self, program: str, *args: str) -> list[str]:
        """``program`` of this server, as postgres if we are root."""
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return [*as_postgres, str(self.bin / program), *args]

    def run(self, program: str, *args: str) -> None:
        """Run a server program to completion, quietly unless it fails."""
        subprocess.run(self.command(program, *args), check=True, stdout=subprocess.DEVNULL, timeout=120)

    def initdb(self, *settings: str) -> None:
        """Create the data directory; ``settings`` lines are appended to postgresql.conf."""
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self.append_settings(*settings)

    def append_settings(self, *settings: str) -> None:
        """Append lines to postgresql.conf (as the cluster's owner would)."""
        conf = self.data / "postgresql.conf"
        conf.write_text(conf.read_text() + "".join(f"{line}\n" for line in settings))

    def pg_ctl(self, *args: str) -> None:
        """Run pg_ctl on this cluster and wait for it to finish the action."""
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", "30", *args)

    def start(self) -> None:
        """Start the postmaster on 127.0.0.1 only, with its socket in the cluster's own directory."""
        options = (
            f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.root} -c fsync=off"
        )
        self.pg_ctl("-l", str(self.log), "-o", options, "start")

    def postmaster_pid(self) -> int | None:
        """The running postmaster's pid, from its pid file."""
        pid_file = self.data / "postmaster.pid"
        return int(pid_file.read_text().split()[0]) if pid_file.exists() else None

    def stop(self) -> None:
        """Fast shutdown (pg_ctl signals the postmaster's pid): clients are disconnected at once."""
        if self.postmaster_pid() is not None:
            self.pg_ctl("-m", "fast", "stop")

    def url(self, database: str) -> str:
        """The ``postgres://`` URL of ``database`` on this cluster."""
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        """An autocommit connection as the superuser."""
        return psycopg.connect(
            host=HOST, port=self.port, user="postgres", dbname=database, autocommit=True, connect_timeout=5
        )

    def query(self, sql: str, params=(), database: str = "postgres") -> tuple:
        """The first row of one statement, on a connection of its own."""
        with self.connect(database) as connection:
            return connection.execute(sql, params).fetchone()

    def execute(self, sql: str, params=(), database: str = "postgres") -> None:
        """Run one statement that returns no rows, on a connection of its own."""
        with self.connect(database) as connection:
            connection.execute(sql, params)

    def standby(self, name: str) -> "Cluster":
        """A hot standby of this (running) cluster: ``pg_basebackup -R`` into ``root/name``, not started.

        ``-R`` writes ``primary_conninfo`` and ``standby.signal``, so once started the copy streams
        this cluster's WAL and answers read-only queries.
        """
        copy = Cluster(self.bin, self.root, name)
        self.run(
            "pg_basebackup", "-h", HOST, "-p", str(self.port), "-U", "postgres",
            "-D", str(copy.data), "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        return copy


def remove(root: Path) -> None:
    """Delete a scratch directory and every cluster in it (stop them first)."""
    shutil.rmtree(root, ignore_errors=True)
