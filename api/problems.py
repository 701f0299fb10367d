"""The API's one error format: RFC 9457 problem details, as JSON.

Every 4xx and 5xx answer of the API carries a body of this shape::

    {
      "type": "https://summit-briefing.example/problems/validation-error",
      "title": "Invalid input",
      "status": 400,
      "detail": "One or more parameters are invalid.",
      "code": "validation_error",
      "errors": [{"field": "official", "code": "invalid_choice", "message": "Select a valid choice…"}]
    }

``type`` is a stable URI per ``code`` (documented in ``docs/errors.md``); ``errors`` lists the
individual problems of a 400 and is empty otherwise.
"""

from http import HTTPStatus

from django.http import JsonResponse

PROBLEM_TYPE_BASE = "https://summit-briefing.example/problems/"


def problem(status: int, code: str, detail: str, errors: list[dict] | None = None) -> dict:
    """The problem-details body for ``status`` with a machine-readable ``code``."""
    return {
        "type": PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }


def problem_response(
    status: int,
    code: str,
    detail: str,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """A plain Django ``JsonResponse`` with a problem body, for answers outside DRF views."""
    return JsonResponse(problem(status, code, detail, errors), status=status, headers=headers)
