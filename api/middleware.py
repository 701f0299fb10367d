"""Middleware that keeps every answer in the problem format: a lost database, a failed precondition.

Any view, DRF or plain Django (the admin included), that raises ``OperationalError`` or
``InterfaceError`` gets a ``database_unavailable`` problem with ``Retry-After``. Together with
the short ``connect_timeout`` and ``statement_timeout`` in the settings, a request answers
within a bounded time when PostgreSQL is down, unreachable or stuck.

``LengthRequiredMiddleware`` refuses a body whose length nobody knows (``Transfer-Encoding`` without
``Content-Length``, on a server that does not de-chunk it; see briefing.wsgi) with a 411 problem.

``ConditionalGetMiddleware`` is Django's (ETags, 304s), with its empty 412 for a GET whose
``If-Match`` names another representation turned into a ``precondition_failed`` problem.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware

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


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's ETag and 304 handling; a failed ``If-Match`` on a GET answers a 412 problem."""

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        if answer is not response and answer.status_code == 412:
            return problem_response(
                412,
                "precondition_failed",
                "The object changed since you read it (If-Match names another representation); "
                "fetch it again.",
                headers={"ETag": response["ETag"]} if response.has_header("ETag") else None,
            )
        return answer


class LengthRequiredMiddleware:
    """A body sent without ``Content-Length`` that the server has not decoded: 411, not an empty body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("HTTP_TRANSFER_ENCODING") and not request.META.get("CONTENT_LENGTH"):
            return problem_response(
                411,
                "length_required",
                "This server cannot read a body sent without Content-Length (Transfer-Encoding: "
                "chunked); send the body with a Content-Length header.",
            )
        return self.get_response(request)
