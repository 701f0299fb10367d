"""Turn every error a DRF view raises into the API's problem-details body (see api.problems)."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from drf_orjson_renderer.renderers import ORJSONRenderer as JSONRenderer
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from api.problems import problem

# A stable machine-readable code per DRF exception class.
_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: answer with a problem body, and roll the request back."""
    request = context.get("request")
    if (
        request is not None
        and getattr(getattr(request, "accepted_renderer", None), "format", "json") != "json"
    ):
        # A client asking for CSV, Markdown or iCalendar still gets its error as a JSON problem.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        set_rollback()
        return _response(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "request_too_large", "The request body is too large."
        )
    elif isinstance(exc, ProtectedError | RestrictedError):
        set_rollback()
        used_by = sorted(
            {str(obj._meta.verbose_name_plural) for obj in exc.protected_objects if hasattr(obj, "_meta")}
        )
        return _response(
            status.HTTP_409_CONFLICT,
            "protected",
            f"Other data still refers to this object ({', '.join(used_by)}); change or delete those first.",
        )
    elif isinstance(exc, DataError):
        # The database refused a value the validation let through (e.g. a NUL character).
        set_rollback()
        return _response(
            status.HTTP_400_BAD_REQUEST,
            "invalid_value",
            "A value is out of range or has characters that cannot be stored (such as NUL).",
        )
    elif isinstance(exc, IntegrityError):
        # A concurrent write took the same unique value after this request validated it.
        set_rollback()
        return _response(
            status.HTTP_409_CONFLICT, "conflict", "The change conflicts with a concurrent change; retry."
        )
    elif isinstance(exc, RecursionError):
        set_rollback()
        return _response(status.HTTP_400_BAD_REQUEST, "parse_error", "The JSON body is nested too deeply.")
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    code = _CODES.get(type(exc), exc.default_code)
    if isinstance(exc, exceptions.ValidationError):
        detail, errors = "The request has invalid parameters or fields.", _flatten(exc.detail)
    else:
        detail, errors = str(exc.detail), []
    set_rollback()
    return _response(exc.status_code, code, detail, errors, headers)


def _response(status_code, code, detail, errors=None, headers=None) -> Response:
    return Response(problem(status_code, code, detail, errors), status=status_code, headers=headers)


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list of ``{field, code, message}``."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in _flatten(value, _join(field, None if key == "non_field_errors" else str(key)))
        ]
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            return [error for item in detail for error in _flatten(item, field)]
        return [error for i, item in enumerate(detail) for error in _flatten(item, _join(field, str(i)))]
    return [{"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def _join(prefix: str | None, key: str | None) -> str | None:
    if prefix is None:
        return key
    return prefix if key is None else f"{prefix}.{key}"
