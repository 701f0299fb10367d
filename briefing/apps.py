"""App configuration for the briefing domain."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _keep_sqlite_search_index(sender, using, **kwargs) -> None:
    """Re-create the SQLite statement index where a migration dropped it (see briefing.search)."""
    from django.db import connections

    from briefing.search import sqlite_fts_install

    sqlite_fts_install(connections[using])


class BriefingConfig(AppConfig):
    """The briefing domain app."""

    name = "briefing"
    verbose_name = "Summit briefings"

    def ready(self) -> None:
        post_migrate.connect(_keep_sqlite_search_index, sender=self, dispatch_uid="briefing-sqlite-fts")
        from briefing import cache

        # Every write to the data advances the data version that response caches key by.
        cache.connect()
