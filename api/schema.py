"""OpenAPI generation: every operation documents its error answers and sparse-field parameters."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS

from api.serializers import ProblemSerializer

ERROR_DESCRIPTIONS = {
    400: "Invalid query parameter, filter value or body (see `errors`).",
    401: "Authentication required or failed.",
    403: "Not allowed.",
    404: "No such object.",
    406: "The `Accept` header asks for a media type the API cannot produce.",
    409: "Other data refers to the object, or a concurrent change took the same unique value.",
    411: "The body came without `Content-Length` (chunked) and this server cannot read it so; "
    "send `Content-Length` (gunicorn reads chunked bodies, Django's development server does not).",
    412: "The object changed since it was read (`If-Match`).",
    413: "The request body is too large.",
    415: "The body is not JSON.",
    422: "The `Idempotency-Key` was used for a different request; use a new key.",
    429: "Too many requests; retry after `Retry-After` seconds.",
    503: "The database is temporarily unavailable; retry after `Retry-After` seconds.",
}


class BriefingAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the API's error format and `fields`/`omit` documented."""

    def get_summary(self):
        summary = super().get_summary()
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if summary or model is None:
            return summary
        one, many = model._meta.verbose_name, model._meta.verbose_name_plural
        return {
            "list": f"List {many}",
            "retrieve": f"Retrieve one {one}",
            "create": f"Create a {one}",
            "update": f"Replace a {one}",
            "partial_update": f"Update some fields of a {one}",
            "destroy": f"Delete a {one}",
            "history": f"Change history of one {one}",
            "briefing": f"Briefing on one {one}",
        }.get(getattr(self.view, "action", None))

    def error_statuses(self) -> list[int]:
        """The error statuses this operation can answer."""
        statuses = [400, 406, 429, 503]
        if self.method not in SAFE_METHODS or self._editors_only():
            statuses += [401, 403]
        if self.method not in SAFE_METHODS:
            statuses += [411, 413, 415, 422]
        if self.method not in SAFE_METHODS:
            statuses.append(409)
        if self._is_a_detail():
            statuses.append(404)
        # A write with a stale If-Match, and any GET whose If-Match names another ETag.
        if self.method in ("GET", "PUT", "PATCH", "DELETE"):
            statuses.append(412)
        return sorted(statuses)

    def _editors_only(self) -> bool:
        """Whether reading needs an editor's credentials too (drafts are not public)."""
        return getattr(self.view, "editors_only", False)

    def _is_a_detail(self) -> bool:
        return "{" in self.path

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for response in responses.values():
            csv = response.get("content", {}).get("text/csv")
            if csv is not None:
                csv["schema"] = {
                    "type": "string",
                    "description": "Every filtered row (not a page), one per line, columns as the JSON "
                    "fields: nested objects by slug, lists joined by `;` (docs/exports.md).",
                }
        problem = self.resolve_serializer(ProblemSerializer, direction).ref
        for code in self.error_statuses():
            responses.setdefault(
                str(code),
                {
                    "content": {"application/json": {"schema": problem}},
                    "description": ERROR_DESCRIPTIONS[code],
                },
            )
        responses.setdefault(
            "414",
            {
                "content": {"text/html": {"schema": {"type": "string"}}},
                "description": "The request line is longer than the server accepts (8 KiB): answered by "
                "gunicorn before the API, as an HTML page (the one error not in the problem format).",
            },
        )
        return responses

    def get_response_serializers(self):
        # A write answers with the object's full representation, not the request body.
        if getattr(self.view, "action", None) in ("create", "update", "partial_update"):
            return self.view.read_serializer_class()
        return super().get_response_serializers()

    def get_auth(self):
        # Anonymous clients may read: say so, or generated clients insist on credentials.
        auth = super().get_auth()
        if self.method in SAFE_METHODS and not self._editors_only() and {} not in auth:
            auth.append({})
        return auth

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        view = self.view
        if self.method not in SAFE_METHODS:
            parameters = [
                *parameters,
                OpenApiParameter(
                    "Idempotency-Key",
                    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                    OpenApiParameter.HEADER,
                    description="A key of your choice (e.g. a UUID) that makes the write safe to retry: "
                    "a retry with the same key and body gets the first answer (with "
                    "`Idempotent-Replayed: true`) instead of writing again. Kept 24 hours, per user.",
                ),
            ]
        if self.method in ("PUT", "PATCH", "DELETE"):
            return [
                *parameters,
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The `ETag` of the representation you read; a stale one is refused with 412.",
                ),
            ]
        if self.method != "GET" or getattr(view, "action", None) not in ("list", "retrieve"):
            return parameters
        names = ", ".join(f"`{n}`" for n in view.get_serializer_class()().fields)
        return [
            *parameters,
            _csv_parameter(
                "fields", f"Return only these fields (repeat it, or separate with commas), among: {names}."
            ),
            _csv_parameter("omit", "Leave these fields out (repeat it, or separate with commas)."),
        ]


def _csv_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name=name,
        type={"type": "array", "items": {"type": "string"}},
        location=OpenApiParameter.QUERY,
        description=description,
        explode=True,
        style="form",
    )


def sparse_response_components(result, generator, request, public):
    """Postprocessing hook: properties of trimmable representations are not required.

    `fields`/`omit` can leave any property of a list item or detail out, so a typed client must
    not insist on them. Nested and request components keep their required properties.
    """
    from api import views

    names = set()
    for viewset in views.BriefingViewSet.__subclasses__():
        for serializer_class in (viewset.serializer_class, viewset.detail_serializer_class):
            if serializer_class is not None:
                names.add(serializer_class.__name__.removesuffix("Serializer"))
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name in names:
            component.pop("required", None)
    return result
