"""Request rate limits per client, counted in a cache all workers share (settings.CACHES["throttle"]).

Rates come from ``settings.API_THROTTLE_RATES`` on every request rather than from DRF's
import-time copy, so they can be configured per deployment and changed in tests. A throttled
request is a 429 problem with `Retry-After`.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

OFF = {None, "", "off", "none"}


class SharedCacheThrottleMixin:
    """Counts in the shared `throttle` cache; a scope whose rate is `off` is not throttled."""

    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        rate = settings.API_THROTTLE_RATES.get(self.scope)
        return None if rate in OFF else rate


class AnonThrottle(SharedCacheThrottleMixin, AnonRateThrottle):
    """Anonymous clients, by IP address."""


class UserThrottle(SharedCacheThrottleMixin, UserRateThrottle):
    """Authenticated clients, by user (anonymous ones are AnonThrottle's, counted once)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
