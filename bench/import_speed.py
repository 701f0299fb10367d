"""How fast the real article importer is: N generated fixtures into a fresh PostgreSQL database.

Writes N article fixtures (matching ``fixtures/article.schema.json``, planned by
``briefing.corpus.cast`` from the same cast as the `large` corpus) into a temporary folder,
creates and migrates a scratch database, imports the files one by one through
``briefing.services.article_import`` with every validation on, and prints the time at each
checkpoint (a quarter, a half and all of N) so that a per-file cost growing with the database
shows. Then it re-imports a sample (the unchanged-file path) and drops the database.

    .venv/bin/python bench/import_speed.py --count 1000
    .venv/bin/python bench/import_speed.py --count 250 --profile   # where the time goes

Django runs with DEBUG off, as in production (DEBUG would also log every query).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from briefing.corpus.cast import ArticleSpec, Cast

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/briefing_bench_import"
MEETINGS_PER_FIXTURE = (1, 3)
STATEMENTS_PER_FIXTURE = (10, 30)
REIMPORT_SAMPLE = 100
# Profile entries worth reading by name: the importer's steps and what each save costs.
IMPORTER_STEPS = (
    r"services\.py|rules\.py|\((full_clean|clean_fields|validate_constraints|validate_unique|check)\)|"
    r"create_historical_record|related_descriptors\.py:\d+\(set\)|\(savepoint|\(first\)|"
    r"\((in_bulk|bulk_create|bulk_history_create)\)"
)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="How many fixtures (default 1000).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed for the fixtures (default 1).")
    parser.add_argument("--profile", action="store_true", help="Profile the import with cProfile.")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="Scratch database to create, use and drop (default: %(default)s).",
    )
    args = parser.parse_args(argv)
    _configure_django(args.database_url)

    from django.core.management import call_command
    from django.db import connections

    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as folder:
        started = time.perf_counter()
        fixtures = write_fixtures(Path(folder), args.count, args.seed)
        print(f"Wrote {len(fixtures):,} fixtures in {time.perf_counter() - started:.1f} s ({folder})")
        _recreate_database(args.database_url)
        try:
            call_command("migrate", verbosity=0)
            if args.profile:
                profile_import(fixtures)
            else:
                time_import(fixtures)
        finally:
            connections.close_all()
            _drop_database(args.database_url)


def write_fixtures(folder: Path, count: int, seed: int) -> list[tuple[Path, int]]:
    """Write ``count`` article fixtures into ``folder``; return (path, statements) in import order."""
    from briefing.corpus.cast import Cast, meeting_day

    rng = random.Random(seed)
    cast = Cast(rng, organizations=60, officials=2_000, topics=300)
    fixtures = []
    next_meeting = 1
    for number in range(1, count + 1):
        days = sorted(meeting_day(rng) for _ in range(rng.randint(*MEETINGS_PER_FIXTURE)))
        meetings = [cast.meeting(rng, next_meeting + i, day) for i, day in enumerate(days)]
        next_meeting += len(meetings)
        article = cast.article(rng, number, meetings, rng.randint(*STATEMENTS_PER_FIXTURE))
        path = folder / f"{article.slug}.json"
        path.write_text(json.dumps(article_fixture(cast, article), ensure_ascii=False), encoding="utf-8")
        fixtures.append((path, len(article.statements)))
    return fixtures


def article_fixture(cast: "Cast", article: "ArticleSpec") -> dict:
    """The fixture of ``article``: it declares every organization, official and topic it names."""
    officials = {i for m in article.meetings for i, _ in m.participants} | {
        s.speaker for s in article.statements
    }
    organization_index = {o.slug: i for i, o in enumerate(cast.organizations)}
    organizations = set()
    for i in officials:
        slug = cast.officials[i].organization
        while slug is not None:
            organizations.add(organization_index[slug])
            slug = cast.organizations[organization_index[slug]].parent
    topic_index = {t.slug: i for i, t in enumerate(cast.topics)}
    topics = set()
    for i in {t for m in article.meetings for t in m.topics} | {
        t for s in article.statements for t in s.topics
    }:
        while i is not None and i not in topics:
            topics.add(i)
            parent = cast.topics[i].parent
            i = None if parent is None else topic_index[parent]
    slugs = [t.slug for t in cast.topics]
    # Parents precede their children in the cast, so index order lists them first.
    return {
        "article": {
            "slug": article.slug,
            "title": article.title,
            "publisher": article.publisher,
            "url": article.url,
            "published_on": article.published_on.isoformat(),
            "body": article.body,
        },
        "organizations": [
            {k: v for k, v in vars(cast.organizations[i]).items() if k != "titles"}
            for i in sorted(organizations)
        ],
        "officials": [
            {
                "slug": o.slug,
                "name": o.name,
                "title": o.title,
                "organization": o.organization,
            }
            for o in (cast.officials[i] for i in sorted(officials))
        ],
        "topics": [vars(cast.topics[i]) for i in sorted(topics)],
        "meetings": [
            {
                "slug": m.slug,
                "title": m.title,
                "date": m.date.isoformat(),
                "kind": m.kind,
                "location": m.location,
                "city": m.city,
                "summary": m.summary,
                "topics": [slugs[t] for t in m.topics],
                "participants": [
                    {"official": cast.officials[i].slug, "role": role} for i, role in m.participants
                ],
            }
            for m in article.meetings
        ],
        "statements": [
            {
                "speaker": cast.officials[s.speaker].slug,
                "meeting": None if s.meeting is None else article.meetings[s.meeting].slug,
                "kind": s.kind,
                "text": s.text,
                "date": None if s.date is None or s.meeting is not None else s.date.isoformat(),
                "topics": [slugs[t] for t in s.topics],
            }
            for s in article.statements
        ],
    }


def time_import(fixtures: list[tuple[Path, int]]) -> None:
    """Import the fixtures in order, printing time, rate and work per file at each checkpoint.

    Besides wall time it prints CPU time per file of this process and of its PostgreSQL backend
    (read from /proc when the server is local): on a busy machine wall time drifts with the
    load, CPU time much less.
    """
    from briefing.services import article_import

    count = len(fixtures)
    checkpoints = sorted({max(1, count // 4), max(1, count // 2), count})
    print(f"Load average before: {os.getloadavg()[0]:.2f}")
    print(
        f"{'files':>6} {'statements':>10} {'wall s':>7} {'files/s':>8} {'ms/file':>8} {'segment':>8} "
        f"{'queries':>8} {'py CPU':>7} {'db CPU':>7}"
    )
    with _Meter() as meter:
        statements = 0
        segment = meter.snapshot()
        for done, (path, n_statements) in enumerate(fixtures, start=1):
            article_import(path=path)
            statements += n_statements
            if done in checkpoints:
                now = meter.snapshot()
                files = done - previous_checkpoint(checkpoints, done)
                print(
                    f"{done:>6,} {statements:>10,} {now.wall:>7.1f} {done / now.wall:>8.1f} "
                    f"{1000 * now.wall / done:>8.1f} {1000 * (now.wall - segment.wall) / files:>8.1f} "
                    f"{(now.queries - segment.queries) / files:>8.0f} "
                    f"{1000 * (now.cpu - segment.cpu) / files:>7.1f} "
                    f"{_ms(now.db_cpu, segment.db_cpu, files):>7}"
                )
                segment = now
        print("(ms/file: since the start; segment, queries, py CPU and db CPU: per file since the last line)")
        sample = fixtures[:REIMPORT_SAMPLE]
        before = meter.snapshot()
        for path, _ in sample:
            report = article_import(path=path)
            assert report.total("created") == report.total("updated") == 0, report
        after = meter.snapshot()
        print(
            f"Re-import of {len(sample)} unchanged files: {1000 * (after.wall - before.wall) / len(sample):.1f} "
            f"ms/file, {(after.queries - before.queries) / len(sample):.0f} queries/file"
        )
    print(f"Load average after: {os.getloadavg()[0]:.2f}")


def _ms(now: float | None, before: float | None, files: int) -> str:
    return "n/a" if now is None or before is None else f"{1000 * (now - before) / files:.1f}"


def previous_checkpoint(checkpoints: list[int], done: int) -> int:
    """The checkpoint before ``done`` (0 for the first)."""
    earlier = [c for c in checkpoints if c < done]
    return earlier[-1] if earlier else 0


def profile_import(fixtures: list[tuple[Path, int]], top: int = 30) -> None:
    """Import the fixtures under cProfile and print the top entries by own and cumulative time."""
    from briefing.services import article_import

    profiler = cProfile.Profile()
    with _Meter() as meter:
        profiler.enable()
        for path, _ in fixtures:
            article_import(path=path)
        profiler.disable()
        done = meter.snapshot()
    print(
        f"Imported {len(fixtures):,} files in {done.wall:.1f} s under the profiler; {done.queries:,} "
        f"queries ({done.queries / len(fixtures):.0f} per file), {done.sql_seconds:.1f} s waiting on SQL"
    )
    sections = [
        (f"top {top} by own time", "tottime", [top]),
        (f"top {top} by cumulative time", "cumulative", [top]),
        ("the importer's own steps, validation, history and savepoints", "cumulative", [IMPORTER_STEPS]),
    ]
    for title, order, restrictions in sections:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(*restrictions)
        print(f"\n--- {title} ---")
        print(out.getvalue().split("\n", 6)[-1].rstrip())


@dataclass(frozen=True)
class _Reading:
    wall: float
    cpu: float
    db_cpu: float | None
    queries: int
    sql_seconds: float


class _Meter:
    """Counts queries on the default connection and the time spent in them; reads CPU clocks."""

    def __init__(self):
        self.queries = 0
        self.sql_seconds = 0.0
        self.started = time.perf_counter()
        self.cpu_started = time.process_time()
        self.backend = None

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql_seconds += time.perf_counter() - started
            self.queries += 1

    def snapshot(self) -> _Reading:
        """Wall and CPU seconds since the start, and the queries so far."""
        return _Reading(
            wall=time.perf_counter() - self.started,
            cpu=time.process_time() - self.cpu_started,
            db_cpu=self._backend_cpu(),
            queries=self.queries,
            sql_seconds=self.sql_seconds,
        )

    def _backend_cpu(self) -> float | None:
        # CPU seconds of this connection's server process, when PostgreSQL runs on this machine.
        try:
            stat = Path(f"/proc/{self.backend}/stat").read_text()
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


def _configure_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")
    import django

    django.setup()


def _admin_connection(database_url: str):
    import psycopg

    parts = urlsplit(database_url)
    return parts.path.lstrip("/"), psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True
    )


def _recreate_database(database_url: str) -> None:
    from psycopg import sql

    name, connection = _admin_connection(database_url)
    with connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(database_url: str) -> None:
    from psycopg import sql

    name, connection = _admin_connection(database_url)
    with connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
