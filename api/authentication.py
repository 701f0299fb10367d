"""Token authentication whose failures are limited per client (see api.throttling.AuthFailureThrottle)."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from api.throttling import AuthFailureThrottle


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token <key>`, answering 429 to a client that failed too often."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        throttle = AuthFailureThrottle()
        throttle.check(request)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise
