"""Liveness and readiness probes for load balancers, orchestrators and the image's HEALTHCHECK.

Plain Django views, outside DRF so that they depend on as little as possible:

* ``/healthz/`` (liveness): the process answers. It touches no database, so a database outage
  never makes an orchestrator restart healthy workers.
* ``/readyz/`` (readiness): the database answers and every migration is applied, so this
  instance can take traffic. Otherwise 503 ``not_ready`` in the API's problem format. With read
  replicas configured, the answer lists each database with its state and lag as this worker
  last checked it, at most ``REPLICA_CHECK_SECONDS`` ago, or up to 10 × a slow failed check's
  time after one (``briefing.replicas``), so a probe
  costs no more than a read; a replica that is down or lagging leaves the instance ready, since
  reads then go to the primary.

Both are exempt from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so probes can use plain HTTP.
"""

from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from api.problems import problem_response
from briefing import replicas

PROBE_METHODS = ("GET", "HEAD")
RETRY_AFTER_SECONDS = 5


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: always 200 ``{"status": "ok"}`` while the process can answer."""
    if request.method not in PROBE_METHODS:
        return _method_not_allowed(request)
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the primary answers and has no unapplied migration, else 503."""
    if request.method not in PROBE_METHODS:
        return _method_not_allowed(request)
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Error:
        return _not_ready("The database is unreachable.")
    if unapplied:
        return _not_ready(f"{len(unapplied)} database migration(s) are not applied yet.")
    aliases = replicas.replica_aliases()
    if not aliases:
        return JsonResponse({"status": "ok"})
    databases = {DEFAULT_DB_ALIAS: {"role": "primary", "state": replicas.OK}}
    for alias in aliases:
        databases[alias] = {"role": "replica", **replicas.monitor.health(alias).as_dict()}
    return JsonResponse({"status": "ok", "databases": databases})


def _not_ready(detail: str) -> JsonResponse:
    return problem_response(503, "not_ready", detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _method_not_allowed(request: HttpRequest) -> JsonResponse:
    return problem_response(
        405,
        "method_not_allowed",
        f'Method "{request.method}" not allowed.',
        headers={"Allow": ", ".join(PROBE_METHODS)},
    )
