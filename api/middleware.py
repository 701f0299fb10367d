"""Middleware that answers a lost database with a 503 problem instead of a 500 page.

Any view, DRF or plain Django (the admin included), that raises ``OperationalError`` or
``InterfaceError`` gets a ``database_unavailable`` problem with ``Retry-After``. Together with
the short ``connect_timeout`` and ``statement_timeout`` in the settings, a request answers
within a bounded time when PostgreSQL is down, unreachable or stuck.
"""

import logging

from django.db import InterfaceError, OperationalError

from api.problems import problem_response

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Map database connection failures raised by a view to 503 ``database_unavailable``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A 503 problem response for a database failure; ``None`` leaves other errors alone."""
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return problem_response(
            503,
            "database_unavailable",
            "The database is temporarily unavailable. Please retry shortly.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
