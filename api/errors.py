"""The site's error answers outside DRF views: unknown paths and Django's error handlers.

One function, ``error_response``, decides how such an answer looks: today always a problem
document (RFC 9457, see api.problems), so a JSON client never gets an HTML page. A page for
people (``Accept: text/html``) would be decided there too, and only there.

Unknown paths resolve to ``unknown_path`` (the site URLconf's last pattern) instead of raising
``Http404``: with DEBUG on, Django answers an unresolved path with its HTML debug page and never
calls ``handler404``, so ``make run`` would answer JSON clients with HTML. The catch-all takes
over what ``APPEND_SLASH`` did: a GET without its trailing slash is redirected to it; another
method gets a 404 naming the path with the slash (a redirect would lose the body).
"""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import escape_leading_slashes
from django.views.decorators.csrf import csrf_exempt

from api.problems import problem_response

REDIRECTABLE_METHODS = ("GET", "HEAD")


def error_response(
    request: HttpRequest, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None
) -> HttpResponse:
    """The answer for an error outside DRF views: the one place that decides its representation."""
    return problem_response(status, code, detail, headers=headers)


# It changes nothing, so a cookie-carrying write to an unknown path is told "not found", not
# refused by the CSRF check first (with Django's HTML 403 page).
@csrf_exempt
def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any method on a path no route serves: a 404 problem, or the redirect to the slashed path."""
    slashed = f"{request.path_info}/"
    if not request.path_info.endswith("/") and _served(slashed):
        if request.method in REDIRECTABLE_METHODS:
            return HttpResponsePermanentRedirect(
                escape_leading_slashes(request.get_full_path(force_append_slash=True))
            )
        return error_response(
            request,
            404,
            "not_found",
            f"Nothing is at {request.path}; the same path with a trailing slash is {request.path}/.",
        )
    return not_found(request)


def _served(path: str) -> bool:
    """Whether a route other than the catch-all serves ``path``."""
    try:
        return resolve(path).func is not unknown_path
    except Resolver404:
        return False


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404 handler: nothing is at this path."""
    return error_response(
        request,
        404,
        "not_found",
        f"Nothing is at {request.path}. The collections are listed at {reverse('api-root')}.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF check's failure view (CSRF_FAILURE_VIEW): a 403 problem, not Django's HTML page."""
    return error_response(
        request,
        403,
        "csrf_failed",
        "A write with a session cookie needs its CSRF token (the X-CSRFToken header); API clients "
        "authenticate with a token instead.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 handler: no trace of the cause."""
    return error_response(
        request, 500, "server_error", "The server failed to answer; the error has been logged."
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 400 handler (e.g. a disallowed Host header)."""
    return error_response(request, 400, "bad_request", "The request could not be understood.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 403 handler."""
    return error_response(request, 403, "permission_denied", "You do not have permission to do this.")
