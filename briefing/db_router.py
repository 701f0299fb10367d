"""Database router for read replicas: a request's reads go to a healthy replica, all else to the primary.

Installed (``DATABASE_ROUTERS``) only when ``DATABASE_REPLICA_URLS`` is set. Replicas serve reads
only inside a *read scope*, which ``briefing.middleware.ReplicaRoutingMiddleware`` opens for each
request; management commands, the shell and migrations have none, so they read and write on the
primary. Inside a scope a read goes to the primary when

* the scope is pinned to the primary (an unsafe method, or a client that wrote a moment ago),
* the request has written (the rest of it reads its own writes),
* it runs inside ``transaction.atomic`` (a transaction sees its own writes and locks rows there), or
* the model is a database cache (the throttle counters must not lag).

Otherwise the scope picks one usable replica (``briefing.replicas``) at its first read and keeps
it, so one request reads one consistent copy; with none usable it reads from the primary. While
the scope lasts it watches that replica's queries: a lost connection marks the replica down, and
``failed_replica`` tells the middleware to serve the request again from the primary.
Writes and migrations only ever go to the primary.
"""

import random
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

from briefing import replicas

# The app label Django gives the models of its database cache backend.
CACHE_APP_LABEL = "django_cache"
# SQLSTATE of a statement cancelled by statement_timeout: it would time out on the primary too.
QUERY_CANCELED = "57014"


@dataclass
class ReadScope:
    """Where one request may read: a replica, unless pinned to the primary or after it wrote."""

    primary_only: bool = False
    wrote: bool = False
    replica: str | None = None
    read_from: dict[str, None] = field(default_factory=dict)
    failed_replica: str | None = None
    _watched: object = field(default=None, repr=False)

    def route(self, alias: str) -> str:
        """Record that a read went to ``alias`` and return it."""
        self.read_from.setdefault(alias, None)
        return alias

    def use_replica(self, alias: str) -> None:
        """Read from ``alias`` for the rest of the scope, watching its queries for failures."""
        self.replica = alias
        connections[alias].execute_wrappers.append(self._watch)
        self._watched = connections[alias]

    def end(self) -> None:
        """Stop watching the replica's queries."""
        if self._watched is not None and self._watch in self._watched.execute_wrappers:
            self._watched.execute_wrappers.remove(self._watch)
        self._watched = None

    def _watch(self, execute, sql, params, many, context):
        """An execute wrapper on the replica's connection: note a failure so the request can be retried."""
        try:
            return execute(sql, params, many, context)
        except (OperationalError, InterfaceError) as error:
            if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
                self.failed_replica = self.replica
                raw = context["connection"].connection
                if raw is None or raw.closed or raw.broken:
                    replicas.monitor.mark_down(self.replica, f"connection lost: {str(error).strip()}")
            raise


_scope: ContextVar[ReadScope | None] = ContextVar("briefing_read_scope", default=None)


def open_scope(*, primary_only: bool) -> ReadScope:
    """Start the read scope of a request (ending any left over in this context)."""
    close_scope()
    scope = ReadScope(primary_only=primary_only)
    _scope.set(scope)
    return scope


def close_scope(**kwargs) -> None:
    """End the current read scope: reads go to the primary again (a ``request_finished`` receiver)."""
    scope = _scope.get()
    if scope is not None:
        scope.end()
        _scope.set(None)


def current_scope() -> ReadScope | None:
    """The read scope of the request being served, if any."""
    return _scope.get()


def choose_replica() -> str | None:
    """A usable replica with a working connection, or ``None`` to read from the primary."""
    candidates = replicas.monitor.usable_replicas()
    random.shuffle(candidates)
    for alias in candidates:
        connection = connections[alias]
        started = time.monotonic()
        try:
            # A kept-alive connection to a replica that restarted or stopped since the last check
            # is replaced, or fails here, before any query of the request depends on it.
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            replicas.monitor.mark_down(alias, str(error).strip(), took=time.monotonic() - started)
            continue
        return alias
    return None


class ReplicaRouter:
    """Reads to a healthy replica inside a request's read scope; writes and migrations to the primary."""

    def db_for_read(self, model, **hints) -> str:
        """The database a read of ``model`` goes to (see the module docstring)."""
        scope = _scope.get()
        if scope is None or model._meta.app_label == CACHE_APP_LABEL:
            return DEFAULT_DB_ALIAS
        if scope.primary_only or scope.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return scope.route(DEFAULT_DB_ALIAS)
        if scope.replica is None:
            alias = choose_replica()
            if alias is None:
                scope.replica = DEFAULT_DB_ALIAS
            else:
                scope.use_replica(alias)
        return scope.route(scope.replica)

    def db_for_write(self, model, **hints) -> str:
        """Always the primary; the request's later reads follow it there."""
        scope = _scope.get()
        if scope is not None and model._meta.app_label != CACHE_APP_LABEL:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        """Objects from the primary and its replicas may be related: they are the same data."""
        ours = {DEFAULT_DB_ALIAS, *replicas.replica_aliases()}
        return True if {obj1._state.db, obj2._state.db} <= ours else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        """Migrations run on the primary only; replicas receive them through replication."""
        return db == DEFAULT_DB_ALIAS
