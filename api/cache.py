"""A shared cache of the API's answers to GET, invalidated by every committed write.

``ResponseCacheMiddleware`` keeps each cacheable answer (a ``200`` of the briefing endpoints,
marked by ``BriefingViewSet``) under a key made of the data version (``briefing.cache``), the
code's release, and what the answer depends on: scheme, host, path with query string, and the
``Accept`` header. A write that commits advances the version, so no answer computed before it
is ever served after it, by any worker.

- **Where:** in Redis when ``REDIS_URL`` is set (shared by every worker and instance, entries
  expire after ``RESPONSE_CACHE_SECONDS``), and in each worker's memory in front of it (at most
  ``RESPONSE_CACHE_LOCAL_BYTES``, emptied whenever the version changes). Without Redis, only
  the workers' memory.
- **What a hit costs:** reading the version (one Redis round trip, or a ``stat`` of the version
  file) and a dictionary lookup; no database query, no view, no serializer. An answer is
  stored with its ``ETag``, so ``ConditionalGetMiddleware`` (above this one) answers a
  matching ``If-None-Match`` with ``304`` from the cache too.
- **What bypasses it:** other methods, answers that set cookies or stream (CSV exports), the
  admin and anything else not marked cacheable, and a connection holding uncommitted writes.
  If the version cannot be read (Redis down), answers are computed as if there were no cache.
- **Throttling** runs in the view, so cache hits are not counted against a client's rate: a
  hit costs the server about what a ``429`` would.

An answer the cache was consulted for says ``X-Cache: hit`` or ``miss`` (``bypass`` when the
version could not be read).

Written here rather than with Django's cache middleware: that one needs two lookups per hit,
keys by a fixed prefix (no invalidation but expiry) and sets ``Cache-Control: max-age``, which
would let clients and proxies keep answers a write has made stale.
"""

import hashlib
import logging
import pickle
from collections import OrderedDict
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import set_response_etag

from briefing import cache as data

logger = logging.getLogger(__name__)

CACHEABLE = "_briefing_cacheable"
# Headers a stored answer keeps; the rest (Vary, CORS, security headers) is added per request
# by the middleware above this one.
KEPT_HEADERS = {"content-type", "etag", "content-disposition", "x-frame-options", "allow", "content-language"}


def mark_cacheable(response) -> None:
    """Let the response cache keep ``response`` (a view's ``200`` to a GET)."""
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


class SharedCache:
    """Answers in Redis, shared by every worker and instance, expiring after ``seconds``."""

    def __init__(self, url: str, seconds: int):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.seconds = seconds

    def get(self, key: str):
        found = self.client.get(key)
        return None if found is None else pickle.loads(found)  # our own entries, in our own Redis

    def put(self, key: str, entry: tuple) -> None:
        self.client.set(key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), ex=self.seconds)


class ResponseCacheMiddleware:
    """Answer repeated GETs from the cache; keep cacheable answers (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.local = LocalCache(settings.RESPONSE_CACHE_LOCAL_BYTES)
        self.shared = (
            SharedCache(settings.REDIS_URL, settings.RESPONSE_CACHE_SECONDS) if settings.REDIS_URL else None
        )
        self.prefix = f"briefing:{data.namespace()}:answer:{release()}"

    def __call__(self, request):
        if (
            not settings.RESPONSE_CACHE
            or request.method not in ("GET", "HEAD")
            or data.has_uncommitted_changes()
        ):
            return self.get_response(request)
        try:
            version = data.data_version()
        except Exception:
            logger.warning("Data version unavailable; answering without the response cache", exc_info=True)
            response = self.get_response(request)
            response["X-Cache"] = "bypass"
            return response
        key = self.key(request, version)
        entry = self.local.get(version, key)
        if entry is None and self.shared is not None:
            entry = self._shared_get(key)
            if entry is not None:
                self.local.put(version, key, entry)
        if entry is not None:
            return self.rebuilt(entry, "hit")
        response = self.get_response(request)
        if self.keeps(response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            entry = (
                response.status_code,
                [(name, value) for name, value in response.items() if name.lower() in KEPT_HEADERS],
                response.content,
            )
            self.local.put(version, key, entry)
            if self.shared is not None:
                self._shared_put(key, entry)
        response["X-Cache"] = "miss"
        return response

    def key(self, request, version: str) -> str:
        """The entry of this request's answer at ``version``."""
        varies = "\n".join(
            [request.scheme, request.get_host(), request.get_full_path(), request.headers.get("Accept", "")]
        )
        return f"{self.prefix}:{version}:{hashlib.sha256(varies.encode()).hexdigest()}"

    @staticmethod
    def keeps(response) -> bool:
        """Whether an answer may be stored: marked by its view, a plain 200 setting no cookie."""
        return (
            getattr(response, CACHEABLE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )

    @staticmethod
    def rebuilt(entry: tuple, state: str) -> HttpResponse:
        """The stored answer as a new response."""
        status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Cache"] = state
        return response

    def _shared_get(self, key: str):
        try:
            return self.shared.get(key)
        except Exception:
            logger.warning("Response cache unavailable", exc_info=True)
            return None

    def _shared_put(self, key: str, entry: tuple) -> None:
        try:
            self.shared.put(key, entry)
        except Exception:
            logger.warning("Response cache unavailable", exc_info=True)
