"""App configuration for the briefing domain."""

from django.apps import AppConfig


class BriefingConfig(AppConfig):
    """The briefing domain app."""

    name = "briefing"
    verbose_name = "Summit briefings"
