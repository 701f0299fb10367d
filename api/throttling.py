"""Request rate limits per client, counted in a cache all workers share (settings.CACHES["throttle"]).

Rates come from ``settings.API_THROTTLE_RATES`` on every request rather than from DRF's
import-time copy, so they can be configured per deployment and changed in tests. A throttled
request is a 429 problem with `Retry-After`.

Clients are told apart by address (``client_address``): the TCP peer, or the address the
outermost of ``NUM_PROXIES`` trusted proxies saw. The same address keys the anonymous rate, the
failed-authentication limit and the admin's login lockout (django-axes).
"""

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, SimpleRateThrottle, UserRateThrottle

from api.problems import problem_response

OFF = {None, "", "off", "none"}


def client_address(request: HttpRequest) -> str:
    """The client's address as the throttles see it (``NUM_PROXIES``; see docs/operations.md)."""
    return BaseThrottle().get_ident(request)


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


class AuthFailureThrottle(SharedCacheThrottleMixin, SimpleRateThrottle):
    """Failed authentications per client address (scope ``auth_failure``).

    Only failures count. Once a client has failed as often as the rate allows, every request of
    it that offers credentials is refused with a 429 until the oldest failure ages out, before the
    credentials are even looked up: guessing tokens gets nowhere. Reading without credentials
    stays possible (under the anonymous rate).
    """

    scope = "auth_failure"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def check(self, request) -> None:
        """Raise ``Throttled`` while the client is over its limit of failures."""
        if self.rate is None:
            return
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        if len(self.history) >= self.num_requests:
            raise exceptions.Throttled(
                self.wait(), detail="Too many failed authentication attempts from this address."
            )

    def record_failure(self, request) -> None:
        """Count one failed authentication of the client (call ``check`` first)."""
        if self.rate is not None:
            self.throttle_success()


def admin_locked_out(request: HttpRequest, response=None, credentials=None) -> JsonResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a 429 problem, like any other limit."""
    cool_off = settings.AXES_COOLOFF_TIME
    return problem_response(
        429,
        "locked_out",
        "Too many failed logins for this account or from this address. Try again later, or ask an "
        "administrator to unlock it (README: Editors).",
        headers={"Retry-After": str(int(cool_off.total_seconds()))} if cool_off else None,
    )
