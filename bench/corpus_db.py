"""The benchmark's own PostgreSQL database per corpus size, built once and reused.

``ensure_corpus`` creates ``briefing_bench_<size>`` (or ``<prefix>_<size>``), migrates it, generates the synthetic corpus
(``manage.py generate_corpus``), imports the real article fixtures (``manage.py seed``) and
runs ``VACUUM ANALYZE``, as a fresh deployment would hold them. It records what it built in a
``bench_corpus`` table of that database, and reuses the database on the next run when the
size, seed and the generator's sources (``briefing/corpus/``, the command, the fixtures) are
unchanged; it is only migrated then, so new migrations (say, an index) are measured too.
"""

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
MARKER = "bench_corpus"
# What the corpus depends on besides its size and seed.
SOURCES = (
    "briefing/corpus/*.py",
    "briefing/management/commands/generate_corpus.py",
    "fixtures/articles/*.json",
)


DEFAULT_PREFIX = "briefing_bench"


def database_name(size: str, prefix: str = DEFAULT_PREFIX) -> str:
    """The bench database of a corpus size (``prefix`` lets engineers sharing a server keep apart)."""
    return f"{prefix}_{size}"


def fingerprint() -> str:
    """A hash of the corpus generator's sources and the fixtures."""
    digest = hashlib.sha256()
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_corpus(
    *, size: str, seed: int, rebuild: bool, server_url: str, env: dict[str, str], prefix: str = DEFAULT_PREFIX
) -> dict:
    """Make sure ``<prefix>_<size>`` holds the corpus; return what was done and how long it took."""
    name = database_name(size, prefix)
    url = f"{server_url}/{name}"
    wanted = {"size": size, "seed": seed, "fingerprint": fingerprint()}
    env = {**env, "DATABASE_URL": url, "DB_STATEMENT_TIMEOUT_MS": "0"}
    started = time.perf_counter()
    if not rebuild and _marker(server_url, name) == wanted:
        try:
            _manage(env, "migrate", "--noinput", "-v0")
            print(f"  reusing {name} (size {size}, seed {seed}); migrated", flush=True)
            return {
                "database": name,
                "url": url,
                "built": False,
                "seconds": round(time.perf_counter() - started, 1),
            }
        except subprocess.CalledProcessError:
            print(f"  {name}: migrate failed on the kept database; rebuilding it", flush=True)
    print(f"  building {name}: migrate, generate_corpus --size {size}, seed, VACUUM ANALYZE", flush=True)
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _manage(env, "migrate", "--noinput", "-v0")
    # --flush: data migrations may have written briefing rows, which the command refuses to keep.
    _manage(env, "generate_corpus", "--size", size, "--seed", str(seed), "--flush")
    _manage(env, "seed")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        connection.execute(
            sql.SQL("CREATE TABLE {} (size text, seed int, fingerprint text, built_at timestamptz)").format(
                sql.Identifier(MARKER)
            )
        )
        connection.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, now())").format(sql.Identifier(MARKER)),
            [size, seed, wanted["fingerprint"]],
        )
    seconds = round(time.perf_counter() - started, 1)
    print(f"  built {name} in {seconds} s", flush=True)
    return {"database": name, "url": url, "built": True, "seconds": seconds}


def _marker(server_url: str, name: str) -> dict | None:
    """What the bench database says it holds, or None (no database, or not built to the end)."""
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            return None
    with psycopg.connect(f"{server_url}/{name}", autocommit=True) as connection:
        if connection.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0] is None:
            return None
        row = connection.execute(
            sql.SQL("SELECT size, seed, fingerprint FROM {}").format(sql.Identifier(MARKER))
        ).fetchone()
    return None if row is None else {"size": row[0], "seed": row[1], "fingerprint": row[2]}


def _manage(env: dict[str, str], *args: str) -> None:
    """Run a manage.py command in the bench environment, streaming its output."""
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=3600)


def pick_parameters(url: str, *, official: str, topic: str, search: str) -> dict:
    """Facts the workloads need from the corpus: ids, a typical official, match counts."""
    with psycopg.connect(url, autocommit=True) as connection:

        def one(query: str, params: list | None = None):
            return connection.execute(query, params or []).fetchone()[0]

        statement_id = one("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY id) FROM briefing_statement")
        # The official at the median of meetings attended: what a typical detail page holds.
        typical_official = one(
            """SELECT slug FROM (
                 SELECT o.slug, count(p.id) AS n FROM briefing_official o
                 LEFT JOIN briefing_participation p ON p.official_id = o.id GROUP BY o.id
               ) c ORDER BY n, slug OFFSET (SELECT count(*) / 2 FROM briefing_official) LIMIT 1"""
        )
        filter_matches = one(
            """WITH RECURSIVE sub(id) AS (
                 SELECT id FROM briefing_topic WHERE slug = %s
                 UNION ALL SELECT t.id FROM briefing_topic t JOIN sub ON t.parent_id = sub.id)
               SELECT count(*) FROM (
                 SELECT p.meeting_id FROM briefing_participation p JOIN briefing_official o
                   ON o.id = p.official_id WHERE o.slug = %s
                 INTERSECT
                 SELECT mt.meeting_id FROM briefing_meeting_topics mt WHERE mt.topic_id IN (SELECT id FROM sub)
               ) m""",
            [topic, official],
        )
        search_matches = one(
            """SELECT count(*) FROM briefing_statement
               WHERE to_tsvector('english', coalesce(text, '')) @@ websearch_to_tsquery('english', %s)""",
            [search],
        )
        counts = {
            table: one(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(f"briefing_{table}")))
            for table in ("meeting", "official", "topic", "statement", "participation")
        }
        official_meetings = {
            slug: one(
                """SELECT count(*) FROM briefing_participation p JOIN briefing_official o
                   ON o.id = p.official_id WHERE o.slug = %s""",
                [slug],
            )
            for slug in (official, typical_official)
        }
        server_version = one("SHOW server_version")
    return {
        "statement_id": statement_id,
        "typical_official": typical_official,
        "official_meetings": official_meetings,
        "filter_matches": filter_matches,
        "search_matches": search_matches,
        "rows": counts,
        "postgresql": server_version,
    }
