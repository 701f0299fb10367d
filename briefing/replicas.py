"""Health of the read replicas: whether each answers, and how far it is behind the primary.

A process checks a replica at most every ``REPLICA_CHECK_SECONDS`` and keeps the answer, so
routing a read (``briefing.db_router``) costs no query most of the time; ``/readyz/`` reports
that same kept answer (so a probe costs no more than a read). A replica is used while it is ``ok``: it answers, it is a standby (``pg_is_in_recovery()``)
and it lags by at most ``REPLICA_MAX_LAG_SECONDS``.

How lag is measured, so that an idle primary does not look like a lagging replica:

* The primary's flushed WAL position is read first, then the replica's replay position. A replica
  that has replayed up to it misses nothing the primary had committed: lag 0, however long ago the
  last transaction was (``now() - pg_last_xact_replay_timestamp()`` keeps growing on an idle primary).
* A replica behind that position lags by at most the age of the last transaction it replayed, on
  the primary's clock: every commit it misses is newer. That bound is tight under steady writes.
  Right after an idle spell it is not (the first new commit makes it large while the replica is
  milliseconds behind), so a bound past the limit is confirmed by watching replay for
  ``CATCH_UP_SECONDS``: a replica that catches up in that time lags by the time it took since
  the primary's position was read.
* If the primary does not answer, no commit can be missing from a replica that does: it stays in
  use, with its lag unknown, so reads go on while the primary is down.

A check that finds a replica unusable costs the request that runs it the time it took:
milliseconds for a refused connection, the connect timeout for a host that does not answer, the
watch above for a lagging replica. Such a result, after T seconds, is trusted for
``max(REPLICA_CHECK_SECONDS, SLOW_FAILURE_FACTOR × T)``, so these checks take at most about
1/SLOW_FAILURE_FACTOR of a worker's time.
"""

import logging
import threading
import time
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

OK = "ok"
LAGGING = "lagging"
DOWN = "down"
NOT_IN_RECOVERY = "not_in_recovery"

CATCH_UP_SECONDS = 0.5
SLOW_FAILURE_FACTOR = 10
_CATCH_UP_POLL_SECONDS = 0.005

_PRIMARY_POSITION = "SELECT pg_current_wal_flush_lsn()::text, clock_timestamp()"
_REPLICA_POSITION = (
    "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()),"
    " pg_last_xact_replay_timestamp()"
)
_REPLICA_BEHIND = "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())"


@dataclass(frozen=True)
class Health:
    """One check of one replica: its state, and its lag when known."""

    alias: str
    state: str
    lag_seconds: float | None = None
    lag_bytes: int | None = None
    reason: str = field(default="", compare=False)
    checked_at: float = field(default_factory=time.monotonic)
    # How long this answer is trusted; None: REPLICA_CHECK_SECONDS.
    valid_for: float | None = None

    @property
    def usable(self) -> bool:
        """Whether reads may go to this replica."""
        return self.state == OK

    def as_dict(self) -> dict:
        """The state and lag as ``/readyz/`` reports them."""
        return {
            "state": self.state,
            "lag_seconds": None if self.lag_seconds is None else round(self.lag_seconds, 3),
            "lag_bytes": self.lag_bytes,
        }


def replica_aliases() -> list[str]:
    """The database aliases of the configured read replicas (none without DATABASE_REPLICA_URLS)."""
    return list(getattr(settings, "DATABASE_REPLICAS", []))


class ReplicaMonitor:
    """The per-process record of each replica's last check."""

    def __init__(self):
        self._health: dict[str, Health] = {}
        self._lock = threading.Lock()

    def health(self, alias: str) -> Health:
        """The last check of ``alias`` if it is recent enough, else a new one."""
        known = self._health.get(alias)
        if known is not None and time.monotonic() - known.checked_at < (
            known.valid_for or settings.REPLICA_CHECK_SECONDS
        ):
            return known
        return self.check(alias)

    def check(self, alias: str) -> Health:
        """Check ``alias`` now and remember the result."""
        with self._lock:
            started = time.monotonic()
            health = measure(alias, max_lag=settings.REPLICA_MAX_LAG_SECONDS)
        if not health.usable:
            health = replace(health, valid_for=_trusted_for(time.monotonic() - started))
        self.record(health)
        return health

    def mark_down(self, alias: str, reason: str, *, took: float = 0.0) -> None:
        """Record that ``alias`` just failed, after ``took`` seconds of trying."""
        self.record(down(alias, reason, took=took))

    def record(self, health: Health) -> None:
        """Remember ``health`` as the latest check of its replica, logging a change of state."""
        with self._lock:
            previous = self._health.get(health.alias)
            self._health[health.alias] = health
        _log_change(previous, health)

    def usable_replicas(self) -> list[str]:
        """The replicas reads may go to now, checking those whose last check is too old."""
        return [alias for alias in replica_aliases() if self.health(alias).usable]

    def forget(self) -> None:
        """Drop every remembered check (tests start from a clean slate)."""
        with self._lock:
            self._health.clear()


monitor = ReplicaMonitor()


def down(alias: str, reason: str, *, took: float) -> Health:
    """A failed attempt that took ``took`` seconds, trusted longer the slower it failed."""
    return Health(alias, DOWN, reason=reason, valid_for=_trusted_for(took))


def _trusted_for(took: float) -> float:
    """How long a check that found a replica unusable after ``took`` seconds is trusted."""
    return max(settings.REPLICA_CHECK_SECONDS, SLOW_FAILURE_FACTOR * took)


def _log_change(previous: Health | None, health: Health) -> None:
    """Log a replica's state when it changes (not on every check while it stays down)."""
    if previous is not None and previous.state == health.state:
        return
    lag = "" if health.lag_seconds is None else f", lag {health.lag_seconds:.3f} s"
    if health.lag_bytes:
        lag += f" ({health.lag_bytes} bytes of WAL behind)"
    reason = f": {health.reason}" if health.reason else ""
    logger.log(
        logging.INFO if health.usable else logging.WARNING,
        "Replica %s is %s%s%s",
        health.alias,
        health.state,
        lag,
        reason,
    )


def measure(alias: str, *, max_lag: float) -> Health:
    """Query the primary and the replica ``alias`` for the replica's state and lag."""
    started = time.monotonic()
    flushed, primary_now = _primary_position()
    try:
        in_recovery, behind, replayed_at = _replica_query(alias, _REPLICA_POSITION, [flushed])
    except DatabaseError as error:
        return Health(alias, DOWN, reason=str(error).strip())
    if not in_recovery:
        return Health(alias, NOT_IN_RECOVERY, reason="pg_is_in_recovery() is false: not a standby")
    if behind is None:
        # The primary did not answer: no commit can be missing (see the module docstring).
        return Health(alias, OK, reason="the primary does not answer; lag unknown")
    behind = int(behind)
    if behind <= 0:
        return Health(alias, OK, 0.0, 0)
    lag = (primary_now - replayed_at).total_seconds() if replayed_at is not None else None
    if lag is None or lag > max_lag:
        caught_up_after = _catch_up_seconds(
            alias, flushed, since=started, until=time.monotonic() + CATCH_UP_SECONDS
        )
        if caught_up_after is not None:
            lag = caught_up_after
    if lag is not None and lag <= max_lag:
        return Health(alias, OK, lag, behind)
    return Health(alias, LAGGING, lag, behind, reason=f"more than {max_lag:g} s behind the primary")


def _primary_position() -> tuple[str | None, object]:
    """The primary's flushed WAL position and clock, or ``(None, None)`` if it does not answer."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(_PRIMARY_POSITION)
            return cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Primary does not answer a replica check: %s", error)
        return None, None


def _replica_query(alias: str, sql: str, params: list):
    """One row from the replica; a broken kept-alive connection is replaced once."""
    connection = connections[alias]
    try:
        return _fetch_one(connection, sql, params)
    except DatabaseError:
        connection.close()
    return _fetch_one(connection, sql, params)


def _fetch_one(connection, sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _catch_up_seconds(alias: str, flushed: str, *, since: float, until: float) -> float | None:
    """Seconds from ``since`` until the replica replays ``flushed``, if it does by ``until``.

    The watch starts once the replica has answered, so opening connections does not eat it up.
    """
    while time.monotonic() < until:
        time.sleep(_CATCH_UP_POLL_SECONDS)
        try:
            (behind,) = _replica_query(alias, _REPLICA_BEHIND, [flushed])
        except DatabaseError:
            return None
        if behind is not None and behind <= 0:
            return time.monotonic() - since
    return None
