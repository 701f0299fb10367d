"""The **raw** contender: the meetings list as a bare WSGI app, psycopg 3 and orjson, no framework.

It answers ``/meetings/`` (``page_size``, ``cursor``, ``official`` (repeatable), ``topic``) with
the same ``results`` as the API's ``MeetingSerializer`` (same keys, order, nested order and
absolute URLs built from the request's ``Host``), so ``bench/run.py`` can check the two agree
before timing them. Its ``next``/``previous`` cursors are its own (a keyset on ``(date, id)``).

It is written as well as we know how, because a weak baseline flatters the API:

- one SQL statement per page builds every item's nested JSON with correlated ``json_agg``
  subqueries, over just the page's rows (the ``LIMIT`` is applied first);
- one connection per worker (opened after gunicorn forks), autocommit, statements prepared,
  parallel query off;
- a filtered page first turns its slugs into ids and then finds the page's meeting ids with
  a statement planned for those very ids (see RESOLVE: the obvious single statement with
  slug subqueries is 3× slower on the large corpus and 2× on xlarge);
- PostgreSQL's JSON is parsed and re-dumped by orjson only to drop its spaces.

    DATABASE_URL=postgres://... gunicorn --config gunicorn.conf.py bench.raw_app:application
"""

import base64
import os
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg
from psycopg.types.json import set_json_loads

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
JSON_HEADERS = [("Content-Type", "application/json")]

# One item of the page, exactly as MeetingSerializer represents it. The nested lists keep the
# orderings the serializer declares (articles newest first, undated last). `OFFSET 0` fences
# the topic lookup so PostgreSQL probes the primary key per link instead of hashing the whole
# table for each meeting (4× faster on the large corpus).
ITEM = """json_build_object(
    'slug', m.slug,
    'url', %(base)s || '/meetings/' || m.slug || '/',
    'title', m.title, 'date', m.date, 'kind', m.kind, 'location', m.location, 'city', m.city,
    'summary', m.summary,
    'participants', (
        SELECT coalesce(json_agg(json_build_object(
            'official', json_build_object(
                'slug', o.slug, 'name', o.name, 'url', %(base)s || '/officials/' || o.slug || '/'),
            'role', p.role) ORDER BY p.position, p.id), '[]')
        FROM briefing_participation p JOIN briefing_official o ON o.id = p.official_id
        WHERE p.meeting_id = m.id),
    'topics', (
        SELECT coalesce(json_agg(json_build_object(
            'slug', t.slug, 'name', t.name, 'url', %(base)s || '/topics/' || t.slug || '/')
            ORDER BY t.name, t.id), '[]')
        FROM briefing_meeting_topics mt
        CROSS JOIN LATERAL (
            SELECT t.id, t.slug, t.name FROM briefing_topic t WHERE t.id = mt.topic_id OFFSET 0
        ) t
        WHERE mt.meeting_id = m.id),
    'articles', (
        SELECT coalesce(json_agg(json_build_object(
            'slug', a.slug, 'title', a.title, 'url', %(base)s || '/articles/' || a.slug || '/')
            ORDER BY a.published_on DESC NULLS LAST, a.title, a.id), '[]')
        FROM briefing_meeting_articles ma JOIN briefing_article a ON a.id = ma.article_id
        WHERE ma.meeting_id = m.id),
    'statement_count', (SELECT count(*) FROM briefing_statement s WHERE s.meeting_id = m.id)
)"""

PAGE = """SELECT m.date, m.id, {item}
FROM (
    SELECT * FROM briefing_meeting m WHERE {where}
    ORDER BY m.date {direction}, m.id {direction} LIMIT %(limit)s
) m
ORDER BY m.date {direction}, m.id {direction}"""

# A filtered page takes three statements. Its slugs become ids first, so that PostgreSQL plans
# the search for the page's meeting ids knowing which official and topics it looks for: an
# official's popularity is skewed (official-0001 attends 44% of the meetings), and with the ids
# hidden in subqueries the planner guesses wrong and starts from the wrong side (33 ms instead
# of 1 ms on the large corpus). The nested JSON is then built for those ids, as for a list.
# A topic covers the topic and every topic below it, as the API's filter does.
RESOLVE = """SELECT ARRAY(SELECT (SELECT id FROM briefing_official WHERE slug = o)
                    FROM unnest(%(officials)s::text[]) WITH ORDINALITY AS s(o, n) ORDER BY n),
       ARRAY(WITH RECURSIVE sub(id) AS (
                 SELECT id FROM briefing_topic WHERE slug = %(topic)s
                 UNION ALL SELECT t.id FROM briefing_topic t JOIN sub ON t.parent_id = sub.id
             ) SELECT id FROM sub)"""
ATTENDED = """EXISTS (SELECT 1 FROM briefing_participation p
    WHERE p.meeting_id = m.id AND p.official_id = %(official_{n})s)"""
ON_TOPICS = """EXISTS (SELECT 1 FROM briefing_meeting_topics mt
    WHERE mt.meeting_id = m.id AND mt.topic_id = ANY (%(topics)s))"""
IDS = """SELECT m.id FROM briefing_meeting m WHERE {where}
ORDER BY m.date {direction}, m.id {direction} LIMIT %(limit)s"""

_connection: psycopg.Connection | None = None


class BadRequest(Exception):
    """A query parameter the raw app cannot honour."""


def connection() -> psycopg.Connection:
    """This worker's connection, opened on first use (after gunicorn has forked the worker)."""
    global _connection
    if _connection is None or _connection.closed:
        # No parallel query: its workers cost more than they save on page-sized queries (the
        # filtered ids on xlarge: 16 ms with two workers, 8 ms without), and a server under load
        # has no idle core to lend anyway.
        _connection = psycopg.connect(
            os.environ["DATABASE_URL"], autocommit=True, options="-c max_parallel_workers_per_gather=0"
        )
        set_json_loads(orjson.loads, _connection)
    return _connection


def keyset(cursor: str | None) -> tuple[list[str], str]:
    """The conditions a cursor puts on (date, id), and the direction the page reads in."""
    if cursor == "n":
        return ["(m.date, m.id) < (%(date)s::date, %(id)s::bigint)"], "DESC"
    if cursor == "p":
        return ["(m.date, m.id) > (%(date)s::date, %(id)s::bigint)"], "ASC"
    return [], "DESC"


def page_rows(args: dict, officials: list[str], topic: str | None, cursor: str | None) -> tuple[list, str]:
    """The page's (date, id, item) rows, one more than asked when there are more, and the direction."""
    where, direction = keyset(cursor)
    db = connection()
    if not officials and topic is None:
        sql = PAGE.format(item=ITEM, where=" AND ".join(where) or "TRUE", direction=direction)
        return db.execute(sql, args, prepare=True).fetchall(), direction
    official_ids, topic_ids = db.execute(
        RESOLVE, {"officials": officials, "topic": topic}, prepare=True
    ).fetchone()
    if None in official_ids or (topic is not None and not topic_ids):
        return [], direction  # An unknown slug matches nothing.
    where += [ATTENDED.format(n=n) for n in range(len(official_ids))]
    if topic is not None:
        where.append(ON_TOPICS)
    id_args = {**args, "topics": topic_ids} | {f"official_{n}": pk for n, pk in enumerate(official_ids)}
    # Not prepared: planned each time with these very ids (see RESOLVE).
    ids = db.execute(IDS.format(where=" AND ".join(where), direction=direction), id_args, prepare=False)
    page = PAGE.format(item=ITEM, where="m.id = ANY (%(ids)s)", direction=direction)
    return db.execute(page, {**args, "ids": [row[0] for row in ids]}, prepare=True).fetchall(), direction


def encode_cursor(date, pk: int, kind: str) -> str:
    """An opaque position: the (date, id) key of an item, and which side of it to read."""
    return base64.urlsafe_b64encode(f"{kind}|{date.isoformat()}|{pk}".encode()).decode()


def decode_cursor(value: str) -> tuple[str, str, int]:
    """The kind, date and id in a cursor made by encode_cursor."""
    try:
        kind, date, pk = base64.urlsafe_b64decode(value.encode()).decode().split("|")
        if kind not in {"n", "p"}:
            raise ValueError(kind)
        return kind, date, int(pk)
    except ValueError as exc:
        raise BadRequest("Invalid cursor.") from exc


def meetings_page(params: dict[str, list[str]], base: str, path: str) -> dict:
    """The page of meetings ``params`` ask for, as the API's paginated body."""
    try:
        limit = int(params.get("page_size", [DEFAULT_PAGE_SIZE])[-1])
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise BadRequest("page_size must be a whole number from 1 to 100.")
    args: dict = {"base": base, "limit": limit + 1}
    kind = None
    if "cursor" in params:
        kind, args["date"], args["id"] = decode_cursor(params["cursor"][-1])
    topic = params["topic"][-1] if "topic" in params else None
    rows, direction = page_rows(args, params.get("official", []), topic, kind)
    more = len(rows) > limit
    rows = rows[:limit]
    if direction == "ASC":
        rows.reverse()

    def link(cursor: str | None) -> str | None:
        if cursor is None:
            return None
        query = {key: values for key, values in params.items() if key != "cursor"}
        query["cursor"] = [cursor]
        return f"{base}{path}?{urlencode(sorted(query.items()), doseq=True)}"

    first, last = (rows[0], rows[-1]) if rows else (None, None)
    if kind == "p":
        next_cursor = encode_cursor(last[0], last[1], "n") if last else None
        previous_cursor = encode_cursor(first[0], first[1], "p") if more and first else None
    else:
        next_cursor = encode_cursor(last[0], last[1], "n") if more else None
        previous_cursor = encode_cursor(first[0], first[1], "p") if kind and first else None
    return {"next": link(next_cursor), "previous": link(previous_cursor), "results": [r[2] for r in rows]}


def application(environ, start_response):
    """WSGI entry point: ``GET /meetings/``; anything else is a 404."""
    path = environ.get("PATH_INFO", "")
    if path != "/meetings/" or environ.get("REQUEST_METHOD") != "GET":
        start_response("404 Not Found", JSON_HEADERS)
        return [b'{"detail":"Not found."}']
    base = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '127.0.0.1')}"
    params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    try:
        body = orjson.dumps(meetings_page(params, base, path))
        status = "200 OK"
    except BadRequest as exc:
        body, status = orjson.dumps({"detail": str(exc)}), "400 Bad Request"
    start_response(status, [*JSON_HEADERS, ("Content-Length", str(len(body)))])
    return [body]
