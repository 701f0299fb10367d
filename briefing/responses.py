"""The site's response cache: answers to GET kept under the data version, served before Django.

A view marks an answer cacheable (``mark_cacheable``; the API's viewsets mark every ``200`` to
a GET). ``ResponseCacheMiddleware``, the first middleware, keeps it as the whole stack left it
(security and CORS headers included), with its ``ETag``, under a key made of the data version
(``briefing.cache``), the code's release, and every request input the answer depends on:
scheme, host, path and query string, ``Accept`` and ``Origin`` (taken raw from the WSGI
environment). A write that commits advances the version, so no answer computed before it is
served after it, by any worker.

- **Hits never enter Django**: ``briefing.wsgi`` wraps the application in ``serve_cached``,
  which answers a hit (or its ``304`` for a matching ``If-None-Match``) from the environment
  alone: reading the version (one Redis round trip, or a ``stat`` of the version file) and a
  dictionary lookup. No request object, middleware, view or database query.
- **Where:** in Redis when ``REDIS_URL`` is set (shared by every worker and instance; entries
  expire after ``RESPONSE_CACHE_SECONDS``), and in each worker's memory in front of it (at
  most ``RESPONSE_CACHE_LOCAL_BYTES``, emptied whenever the version changes); without Redis,
  only the workers' memory.
- **What bypasses it:** other methods; requests with credentials or cookies (authentication
  and throttling run for them: a wrong token is still a ``401``); ``If-Match`` and
  ``If-Modified-Since``; answers that stream (CSV exports), set cookies, or are not marked
  (the admin); a thread whose connection holds uncommitted writes. If the version cannot be
  read (Redis down), answers are computed as if there were no cache.
- **Throttling** runs in the view, so hits are not counted against an anonymous client's
  rate: a hit costs the server about what a ``429`` would.

An answer the cache was consulted for says ``X-Cache: hit`` or ``miss`` (``bypass`` when the
version could not be read).

Written here rather than with Django's cache middleware: that one needs two lookups per hit,
keys by a fixed prefix (no invalidation but expiry), runs inside Django, and sets
``Cache-Control: max-age``, which would let clients and proxies keep answers a write made stale.
"""

import hashlib
import logging
import pickle
from collections import OrderedDict
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import set_response_etag
from django.utils.http import parse_etags

from briefing import cache as data

logger = logging.getLogger(__name__)

CACHEABLE = "_briefing_cacheable"
# In a request's environment: the cache will keep its answer if it can (read it from the primary).
STORING = "briefing.responses.storing"
# Headers of one answer only, never kept.
DROPPED_HEADERS = {"set-cookie", "date", "x-cache"}
# What makes a request ineligible (see the module docstring), as WSGI environment keys.
BYPASSING = ("HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE")
# The request inputs an answer depends on (the middleware below reads nothing else).
VARIES = (
    "wsgi.url_scheme", "HTTP_X_FORWARDED_PROTO", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT",
    "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "HTTP_ACCEPT", "HTTP_ORIGIN",
)  # fmt: skip


def mark_cacheable(response) -> None:
    """Let the response cache keep ``response`` (a view's ``200`` to a GET, the same for everyone)."""
    setattr(response, CACHEABLE, True)


@cache
def release() -> str:
    """A hash of the code that makes the answers: a deploy never serves the old code's."""
    import django
    import rest_framework

    digest = hashlib.sha256(f"{django.get_version()}|{rest_framework.VERSION}".encode())
    root = Path(__file__).resolve().parent.parent
    for folder in ("api", "briefing"):
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class LocalCache:
    """A worker's own copy of recent answers, least recently used out first, bounded in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.size = 0
        self.version: str | None = None

    def get(self, version: str, key: str):
        if version != self.version:
            # Everything held is from an older version now: free it at once.
            self.entries.clear()
            self.size, self.version = 0, version
            return None
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, version: str, key: str, entry: tuple) -> None:
        if version != self.version or len(entry[2]) > self.max_bytes:
            return
        if key in self.entries:
            self.size -= len(self.entries.pop(key)[2])
        self.entries[key] = entry
        self.size += len(entry[2])
        while self.size > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped[2])


class ResponseCache:
    """This process's cache: a worker's memory, and Redis behind it when configured."""

    def __init__(self):
        self.local = LocalCache(settings.RESPONSE_CACHE_LOCAL_BYTES)
        self.redis = data.redis_for(settings.REDIS_URL) if settings.REDIS_URL else None
        self.seconds = settings.RESPONSE_CACHE_SECONDS
        self.prefix = f"briefing:{data.namespace()}:answer:{release()}"

    @staticmethod
    def consults(environ) -> bool:
        """Whether the cache may answer this request (see the module docstring)."""
        return (
            settings.RESPONSE_CACHE
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not any(environ.get(name) for name in BYPASSING)
            and not data.has_uncommitted_changes()
        )

    def key(self, environ, version: str) -> str:
        """The entry of this request's answer at ``version``."""
        varies = "\n".join(str(environ.get(name, "")) for name in VARIES)
        return f"{self.prefix}:{version}:{hashlib.sha256(varies.encode()).hexdigest()}"

    def get(self, version: str, key: str):
        """The stored ``(status, headers, content, etag)`` of ``key``, or ``None``."""
        entry = self.local.get(version, key)
        if entry is None and self.redis is not None:
            try:
                found = self.redis("GET", key)
            except Exception:
                logger.warning("Response cache unavailable", exc_info=True)
                return None
            if found is not None:
                entry = pickle.loads(found)  # our own entries, in our own Redis
                self.local.put(version, key, entry)
        return entry

    def put(self, version: str, key: str, entry: tuple) -> None:
        """Keep ``entry`` in this worker's memory and in Redis."""
        self.local.put(version, key, entry)
        if self.redis is not None:
            try:
                self.redis(
                    "SET", key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), "EX", self.seconds
                )
            except Exception:
                logger.warning("Response cache unavailable", exc_info=True)


@cache
def response_cache() -> ResponseCache:
    """This process's response cache (made on first use, after the settings are loaded)."""
    return ResponseCache()


@receiver(setting_changed, dispatch_uid="briefing.responses.settings")
def _settings_changed(setting, **kwargs) -> None:
    if setting.startswith("RESPONSE_CACHE") or setting in {"REDIS_URL", "DATA_VERSION_FILE", "DATABASES"}:
        response_cache.cache_clear()


def current_version() -> str | None:
    """The data version, or ``None`` when it cannot be read (then nothing is cached)."""
    try:
        return data.data_version()
    except Exception:
        logger.warning("Data version unavailable; answering without the response cache", exc_info=True)
        return None


def not_modified(environ, etag: str) -> bool:
    """Whether the request's ``If-None-Match`` names ``etag`` (weak comparison, as Django's)."""
    offered = environ.get("HTTP_IF_NONE_MATCH")
    if not offered:
        return False
    tags = parse_etags(offered)
    return "*" in tags or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}


def serve_cached(application):
    """``application`` with cache hits answered before Django sees the request."""

    def serve(environ, start_response):
        if not ResponseCache.consults(environ):
            return application(environ, start_response)
        version = current_version()
        if version is None:
            return application(environ, start_response)
        cache_ = response_cache()
        entry = cache_.get(version, cache_.key(environ, version))
        if entry is None:
            return application(environ, start_response)
        _, headers, content, etag = entry
        if not_modified(environ, etag):
            kept = [(n, v) for n, v in headers if n.lower() not in ("content-type", "content-length")]
            start_response("304 Not Modified", [*kept, ("X-Cache", "hit")])
            return [b""]
        start_response("200 OK", [*headers, ("X-Cache", "hit")])
        return [content]

    return serve


class ResponseCacheMiddleware:
    """Keep cacheable answers; answer hits too when the WSGI layer did not (the test client).

    The first middleware: what it keeps is the answer as every other one left it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        environ = request.META
        if not ResponseCache.consults(environ):
            return self.get_response(request)
        version = current_version()
        if version is None:
            response = self.get_response(request)
            response["X-Cache"] = "bypass"
            return response
        cache_ = response_cache()
        key = cache_.key(environ, version)
        entry = cache_.get(version, key)
        if entry is not None:
            return rebuilt(entry, not_modified(environ, entry[3]))
        # Computed in full (no 304 from below), so that what is kept is the whole answer.
        if_none_match = environ.pop("HTTP_IF_NONE_MATCH", None)
        environ[STORING] = True
        try:
            response = self.get_response(request)
        finally:
            if if_none_match is not None:
                environ["HTTP_IF_NONE_MATCH"] = if_none_match
        if environ.get("REQUEST_METHOD") == "GET" and keeps(response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            headers = [
                (name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS
            ]
            entry = (response.status_code, headers, response.content, response["ETag"])
            cache_.put(version, key, entry)
            if not_modified(environ, entry[3]):
                return rebuilt(entry, True, state="miss")
        response["X-Cache"] = "miss"
        return response


def keeps(response) -> bool:
    """Whether an answer may be stored: marked by its view, a plain 200 setting no cookie."""
    return (
        getattr(response, CACHEABLE, False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
    )


def rebuilt(entry: tuple, not_modified_: bool, state: str = "hit") -> HttpResponse:
    """The stored answer as a response (its ``304`` when the client has it already)."""
    status, headers, content, _ = entry
    if not_modified_:
        response = HttpResponse(status=304)
        headers = [(n, v) for n, v in headers if n.lower() not in ("content-type", "content-length")]
        del response["Content-Type"]
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Cache"] = state
    return response
