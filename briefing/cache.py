"""The data version: one counter that every committed change to the briefing data advances.

Whatever caches a view of the data (the response cache, ``briefing.responses``) keys it by this
version, so a write makes every older entry unreachable the moment it commits, in every worker
and on every host that shares the store:

- with ``REDIS_URL`` the counter is a Redis key (shared by every instance);
- without it, a file on this host (``DATA_VERSION_FILE``) that each change appends a byte to:
  right for one host's workers, and for ``make run``.

Every write through the ORM is seen: ``post_save``, ``post_delete`` and ``m2m_changed`` of the
briefing models (and of users, whose names the change history shows) call ``data_changed()``.
**Writes that send no signals** (``bulk_create``, ``bulk_update``, ``QuerySet.update()``/
``delete()``, raw SQL) **must call ``data_changed()`` themselves**; the services do, after their
bulk writes. Inside a transaction the version advances when it commits (``on_commit``): a
reader that took the old version before the commit may cache what it read under that old
version, which nobody asks for any more. Until then, the writing connection's own reads bypass
caches (``has_uncommitted_changes``): only they can see the uncommitted rows.
"""

import hashlib
import logging
import os
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

# On a connection wrapper: it wrote briefing data in the transaction it has open.
UNCOMMITTED = "briefing_data_uncommitted"
# On a connection wrapper: the callback that advances the version when its transaction commits.
PENDING = "briefing_data_version_pending"


def namespace() -> str:
    """What tells this deployment's data apart from others sharing a store: its database."""
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    where = f"{database['ENGINE']}|{database.get('HOST')}|{database.get('PORT')}|{database['NAME']}"
    return hashlib.sha256(where.encode()).hexdigest()[:12]


class Redis:
    """One Redis connection per thread, used directly: a command costs one round trip and no
    connection-pool bookkeeping (which took as long as the round trip itself)."""

    def __init__(self, url: str):
        import redis

        self.pool = redis.ConnectionPool.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.local = threading.local()

    def __call__(self, *args):
        """The reply to one command; a broken connection is reopened once."""
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = self.pool.make_connection()
        try:
            connection.send_command(*args)
            return connection.read_response()
        except (ConnectionError, OSError, TimeoutError) as first:
            connection.disconnect()
            try:
                connection.send_command(*args)
                return connection.read_response()
            except Exception:
                raise first from None
        except Exception:
            connection.disconnect()
            raise


@cache
def redis_for(url: str) -> Redis:
    """This process's link to the Redis at ``url``."""
    return Redis(url)


class RedisVersion:
    """The version as a Redis counter, shared by every process that uses the same Redis."""

    def __init__(self, url: str):
        self.redis = redis_for(url)
        self.key = f"briefing:{namespace()}:data-version"

    def get(self) -> str:
        value = self.redis("GET", self.key)
        if value is None:
            # Never start again from a number used before (Redis flushed or restarted empty).
            self.redis("SET", self.key, time.time_ns(), "NX")
            value = self.redis("GET", self.key)
        return value.decode()

    def bump(self) -> None:
        self.redis("INCR", self.key)


class FileVersion:
    """The version as the size (and identity) of a file each change appends a byte to."""

    def __init__(self, path: Path):
        self.path = path

    def get(self) -> str:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return "0"
        # A removed and recreated file restarts its size: its inode tells the two apart.
        return f"{found.st_ino}.{found.st_size}"

    def bump(self) -> None:
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, b".")
        finally:
            os.close(descriptor)


@cache
def store() -> RedisVersion | FileVersion:
    """Where this process keeps the version (settings decide; see the module docstring)."""
    if settings.REDIS_URL:
        return RedisVersion(settings.REDIS_URL)
    path = settings.DATA_VERSION_FILE or Path(tempfile.gettempdir()) / f"briefing-data-version-{namespace()}"
    return FileVersion(Path(path))


def data_version() -> str:
    """The current data version (an opaque string; it changes with every committed change)."""
    return store().get()


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Advance the data version: now, or when the open transaction on ``using`` commits.

    Call it after any write that sends no model signals (bulk operations, ``update()``, SQL).
    Several calls in one transaction advance the version once.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        _advance()
        return
    connection.__dict__[UNCOMMITTED] = True
    # Once per transaction; a savepoint rolled back takes its callbacks with it, so look.
    pending = connection.__dict__.get(PENDING)
    if pending is None or not any(func is pending for _, func, _ in connection.run_on_commit):

        def committed() -> None:
            connection.__dict__[PENDING] = None
            _committed()

        connection.__dict__[PENDING] = committed
        transaction.on_commit(committed, using=using, robust=True)


def has_uncommitted_changes(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this thread's connection holds briefing changes not yet committed."""
    connection = connections[using]
    if not connection.__dict__.get(UNCOMMITTED):
        return False
    if connection.in_atomic_block:
        return True
    connection.__dict__[UNCOMMITTED] = False  # committed (and advanced) or rolled back
    return False


def _committed() -> None:
    for connection in connections.all(initialized_only=True):
        connection.__dict__[UNCOMMITTED] = False
    _advance()


def _advance() -> None:
    try:
        store().bump()
    except Exception:
        # The write itself is done; say loudly that caches may serve the old data until their
        # entries expire (RESPONSE_CACHE_SECONDS).
        logger.exception("Could not advance the data version: cached answers may be stale")


# -- signals --------------------------------------------------------------------------------------


def _is_watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and (meta.app_label == "briefing" or sender is get_user_model())


def _saved(sender, update_fields=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # A sign-in records `last_login`, which no answer shows.
    if _is_watched(sender) and set(update_fields or ()) != {"last_login"}:
        data_changed(using)


def _deleted(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if _is_watched(sender):
        data_changed(using)


def _linked(sender, action, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if action.startswith("post_") and _is_watched(sender):
        data_changed(using)


def _migrated(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # Data migrations write through historical models, which these receivers do not see.
    if sender.label == "briefing":
        data_changed(using)


def _settings_changed(setting, **kwargs) -> None:
    if setting in {"REDIS_URL", "DATA_VERSION_FILE", "DATABASES"}:
        store.cache_clear()


def connect() -> None:
    """Watch every write to the briefing data (called once, from the app's ``ready()``)."""
    post_save.connect(_saved, dispatch_uid="briefing.cache.saved")
    post_delete.connect(_deleted, dispatch_uid="briefing.cache.deleted")
    m2m_changed.connect(_linked, dispatch_uid="briefing.cache.linked")
    post_migrate.connect(_migrated, dispatch_uid="briefing.cache.migrated")
    setting_changed.connect(_settings_changed, dispatch_uid="briefing.cache.settings")
