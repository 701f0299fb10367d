"""Per-request routing for read replicas: read-your-writes, and failed replica reads retried.

Installed (before the session middleware) only when ``DATABASE_REPLICA_URLS`` is set. For each
request it opens the read scope of ``briefing.db_router``:

* **Pinned to the primary** are unsafe methods (POST, PUT, PATCH, DELETE) and every request of a
  client that wrote within ``READ_YOUR_WRITES_SECONDS``. A response to a write marks its client
  both ways the API is used: a signed cookie (browsers and the admin keep it; its signature's
  timestamp ends the window) and, for a request with an ``Authorization`` header (token clients,
  which keep no cookies), a marker under a hash of that header in the shared
  ``read_your_writes`` cache (Redis with ``REDIS_URL``, else the primary's cache table).
* **Retried on the primary**: a safe request whose replica failed under it (connection lost, or a
  query cancelled by recovery; see ``ReadScope``) and that would answer 5xx is served again,
  pinned to the primary. A statement timeout is not retried: it would time out there too.

With ``DATABASE_ROUTING_HEADER`` on, ``X-Read-Database`` names the databases the request read
from (``default`` is the primary), for operators and tests.
"""

import hashlib
import logging
import math

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished

from briefing import db_router, responses

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
COOKIE_NAME = "primary_reads"
COOKIE_SALT = "briefing.middleware.read-your-writes"
CACHE_ALIAS = "read_your_writes"
ROUTING_HEADER = "X-Read-Database"


class ReplicaRoutingMiddleware:
    """Open each request's read scope; mark writers; retry a failed replica read on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        # A streamed response reads while it is sent, so the scope ends when the response is closed.
        request_finished.connect(db_router.close_scope, dispatch_uid="briefing.middleware.close_scope")

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        # An answer the response cache will keep is read from the primary: a replica a moment
        # behind would have its stale answer kept under the version that follows a write.
        storing = request.META.get(responses.STORING, False)
        scope = db_router.open_scope(primary_only=not safe or storing or wrote_recently(request))
        response = self.get_response(request)
        if scope.failed_replica and safe and response.status_code >= 500 and not response.streaming:
            logger.warning(
                "Reading from %s failed for %s %s; serving it from the primary",
                scope.failed_replica,
                request.method,
                request.path,
            )
            scope = db_router.open_scope(primary_only=True)
            response = self.get_response(request)
        if scope.wrote or (not safe and response.status_code < 400):
            remember_write(request, response)
        if settings.DATABASE_ROUTING_HEADER and scope.read_from:
            response[ROUTING_HEADER] = ", ".join(scope.read_from)
        return response


def wrote_recently(request) -> bool:
    """Whether the client of ``request`` wrote within READ_YOUR_WRITES_SECONDS."""
    window = settings.READ_YOUR_WRITES_SECONDS
    if request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=window):
        return True
    credential = request.headers.get("Authorization")
    if not credential:
        return False
    try:
        return caches[CACHE_ALIAS].get(_marker_key(credential)) is not None
    except Exception as error:  # Any cache backend's failure: reading from the primary is always right.
        logger.warning("Read-your-writes cache unavailable, reading from the primary: %s", error)
        return True


def remember_write(request, response) -> None:
    """Mark the client of ``request`` as having written, for READ_YOUR_WRITES_SECONDS."""
    window = settings.READ_YOUR_WRITES_SECONDS
    response.set_signed_cookie(
        COOKIE_NAME,
        "1",
        salt=COOKIE_SALT,
        max_age=math.ceil(window),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    credential = request.headers.get("Authorization")
    if not credential:
        return
    try:
        caches[CACHE_ALIAS].set(_marker_key(credential), 1, timeout=window)
    except Exception as error:  # Any cache backend's failure: the write itself has succeeded.
        logger.warning("Read-your-writes cache unavailable; the next reads may be stale: %s", error)


def _marker_key(credential: str) -> str:
    return hashlib.sha256(credential.encode()).hexdigest()
