"""Full-text search over statements that means the same on PostgreSQL and SQLite.

The syntax is PostgreSQL's web-search syntax (``websearch_to_tsquery``), as the API documents:
words must all occur, ``"a phrase"`` must occur as written, ``or`` between words accepts
either side, ``-word`` (or ``-"a phrase"``) excludes; English stemming (``applying`` finds
``apply``) and common words (``the``, ``more``) ignored.

* PostgreSQL: ``websearch_to_tsquery('english', …)`` over the stored ``search_vector`` column
  (migration 0007), ranked by ``ts_rank``.
* SQLite: an FTS5 table over the statement text (``briefing_statement_fts``, kept in sync by
  triggers; migration 0012) and ``parse_websearch`` translating the same syntax into an FTS5
  MATCH expression, ranked by ``bm25``. Terms are stemmed by FTS5's Porter tokenizer and the
  query drops PostgreSQL's English stop words, so the documented examples find the same rows.

Known differences, at the edges: Porter (SQLite) and Snowball (PostgreSQL) stem a few words
differently, PostgreSQL's parser keeps some punctuated tokens whole (``U.S.``, ``e-mail``) where
FTS5 reads them as adjacent words, a phrase with a common word inside (``"cats of the world"``)
needs those very words on SQLite where PostgreSQL accepts any, and relevance scores differ
(the set of rows found does not).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import FloatField, Q, QuerySet, Value
from django.db.models.expressions import Expression, RawSQL

FTS_TABLE = "briefing_statement_fts"
SEARCH_CONFIG = "english"

# PostgreSQL's `english` stop words (its tsearch_data/english.stop, from the Snowball project):
# websearch_to_tsquery('english', …) drops them, so the SQLite translation drops them too.
# tests/briefing/test_search.py checks the list against PostgreSQL's on every word of the data.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the
    and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 -- a word list reads better as text
)

# A quoted phrase (the closing quote may be missing) or a bare token, either possibly negated.
_TOKEN = re.compile(r'(?P<minus>-?)(?:"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+))')
# What FTS5's unicode61 tokenizer keeps as word characters: letters and digits.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """A word or phrase of a search: its words in order, lower case, and whether it excludes."""

    words: tuple[str, ...]
    negated: bool = False

    def fts5(self) -> str:
        """The term as an FTS5 string (a phrase when it has several words)."""
        return '"' + " ".join(self.words) + '"'


def parse_websearch(query: str) -> list[list[Term]]:
    """``query`` in web-search syntax as alternatives (``or``) of terms that must all hold.

    Stop words are dropped from the ends of each word or phrase, as PostgreSQL drops them; a
    term left with no word is dropped, and an alternative left with no term too.
    """
    alternatives: list[list[Term]] = [[]]
    for match in _TOKEN.finditer(query):
        bare, negated = match["bare"], bool(match["minus"])
        if bare is not None and bare.lower() == "or" and not negated:
            alternatives.append([])
            continue
        words = [word.lower() for word in _WORD.findall(bare if bare is not None else match["phrase"])]
        while words and words[0] in STOP_WORDS:
            words.pop(0)
        while words and words[-1] in STOP_WORDS:
            words.pop()
        if words:
            alternatives[-1].append(Term(tuple(words), negated))
    return [terms for terms in alternatives if terms]


def _fts5_all(terms: list[Term]) -> str:
    """An FTS5 expression for terms that must all hold (at least one of them not negated)."""
    wanted = " AND ".join(term.fts5() for term in terms if not term.negated)
    excluded = " OR ".join(term.fts5() for term in terms if term.negated)
    return f"({wanted}) NOT ({excluded})" if excluded else f"({wanted})"


def _fts5_ids(expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])


class Fts5Rank(Expression):
    """Relevance of the statement row to an FTS5 expression (``-bm25``: higher is better)."""

    output_field = FloatField()

    def __init__(self, expression: str):
        super().__init__()
        self.expression = expression

    def as_sql(self, compiler, connection):
        outer = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return (
            f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {outer}.{connection.ops.quote_name('id')})",
            [self.expression],
        )


def sqlite_search(queryset: QuerySet, query: str) -> QuerySet:
    """``query`` over the FTS5 table: the rows PostgreSQL's web search would find, ranked by bm25."""
    alternatives = parse_websearch(query)
    if not alternatives:
        # PostgreSQL matches nothing with a query of stop words alone (`the`), and so does this.
        return queryset.none()
    if all(any(not term.negated for term in terms) for terms in alternatives):
        condition = Q(pk__in=_fts5_ids(" OR ".join(_fts5_all(terms) for terms in alternatives)))
    else:
        # FTS5 cannot match "everything but": an alternative of exclusions alone (`-Sweden`) is
        # the rows outside those that match them.
        condition = Q()
        for terms in alternatives:
            if any(not term.negated for term in terms):
                condition |= Q(pk__in=_fts5_ids(_fts5_all(terms)))
            else:
                condition |= ~Q(pk__in=_fts5_ids(" OR ".join(term.fts5() for term in terms)))
    wanted = [term.fts5() for terms in alternatives for term in terms if not term.negated]
    rank = Fts5Rank(" OR ".join(wanted)) if wanted else Value(0.0, output_field=FloatField())
    return queryset.filter(condition).annotate(search_rank=rank)


def postgresql_search(queryset: QuerySet, query: str) -> QuerySet:
    """``websearch_to_tsquery`` over the stored ``search_vector`` column, ranked by ``ts_rank``."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    from briefing.models import StoredSearchVector

    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        queryset.alias(search_vector=StoredSearchVector())
        .filter(search_vector=search_query)
        .annotate(search_rank=SearchRank(StoredSearchVector(), search_query))
    )


def statement_search(queryset: QuerySet, query: str) -> QuerySet:
    """Statements of ``queryset`` matching ``query`` (web-search syntax), with a ``search_rank``."""
    if connection.vendor == "postgresql":
        return postgresql_search(queryset, query)
    return sqlite_search(queryset, query)


# -- the SQLite index ----------------------------------------------------------------------------

# An external-content FTS5 table: it indexes briefing_statement.text without a copy of it.
# `porter` stems English words; diacritics are kept (`Zoe` does not find `Zoë`), as PostgreSQL's
# `english` configuration keeps them.
SQLITE_FTS_SCHEMA = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text, content='briefing_statement', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON briefing_statement BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON briefing_statement BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF text ON briefing_statement BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_FTS_TRIGGERS = {f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update"}


def sqlite_fts_install(connection) -> bool:
    """Create the FTS5 table and its triggers where missing, and then index every statement.

    Returns whether anything was missing. Idempotent: run by migration 0012 and after every
    ``migrate`` (briefing.apps), because SQLite drops a table's triggers whenever Django remakes
    the table to alter it, and the index would silently fall behind the statements.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if "briefing_statement" not in present or {FTS_TABLE, *SQLITE_FTS_TRIGGERS} <= present:
            return False
        for statement in SQLITE_FTS_SCHEMA:
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


@contextmanager
def sqlite_fts_suspended(connection) -> Iterator[None]:
    """Write statements in bulk without the per-row triggers, then index them all at once.

    Inside a transaction (the triggers come back with it on rollback). Indexing row by row from
    triggers costs about five times one rebuild at the end (2.5 s against 0.5 s for 50,000
    statements on this machine), which matters to the corpus generator and nothing else.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for trigger in sorted(SQLITE_FTS_TRIGGERS):
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    yield
    sqlite_fts_install(connection)


def sqlite_fts_uninstall(connection) -> None:
    """Drop the FTS5 table and its triggers (migration 0012 backwards)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for trigger in sorted(SQLITE_FTS_TRIGGERS):
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
