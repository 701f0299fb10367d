"""App configuration for the HTTP API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API over the briefing domain."""

    name = "api"
    verbose_name = "API"
