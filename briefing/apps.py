"""App configuration for the briefing domain."""

from django.apps import AppConfig


class BriefingConfig(AppConfig):
    """The briefing domain app."""

    name = "briefing"
    verbose_name = "Summit briefings"

    def ready(self) -> None:
        from briefing import cache

        # Every write to the data advances the data version that response caches key by.
        cache.connect()
