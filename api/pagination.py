"""Keyset (cursor) pagination: constant cost at any depth, no item lost or repeated.

Cursors are signed (``django.core.signing``, keyed on ``SECRET_KEY``) for the list and the order
they were issued for: the position in a cursor goes straight into a query, so a cursor the API
did not issue is refused with a 400 before it gets there. A signed cursor holds only URL-safe
characters, so the value cut out of a `next` link is the value to send.
"""

from django.core import signing
from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.utils.urls import replace_query_param

from api.counting import CountingPaginationMixin


class KeysetPagination(CountingPaginationMixin, CursorPagination):
    """Opaque `cursor` links over a stable order (ties broken by id), `page_size` from 1 to 100.

    The order comes from the view's `ordering` filter. A bad `page_size` or `cursor` is a 400,
    not a silent default: clients learn about their mistake.
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    page_size_query_description = "Items per page, from 1 to 100 (default 20)."
    cursor_query_description = "Opaque position in the collection; follow the `next` and `previous` links."
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"Must be a whole number from 1 to {self.max_page_size}."]},
                code="invalid",
            )
        return size

    def cursor_signer(self, request) -> signing.Signer:
        """What a cursor is valid for: this path (list or history) walked in this order. The
        separator is URL-safe, so links carry cursors without percent-encoding."""
        return signing.Signer(sep=".", salt=f"api.pagination:{request.path}:{','.join(self.ordering)}")

    def encode_cursor(self, cursor: Cursor) -> str:
        """The page link for ``cursor``: its offset, direction and position, signed."""
        payload = {"o": cursor.offset, "r": int(cursor.reverse), "p": cursor.position}
        token = self.cursor_signer(self.request).sign_object(payload, compress=True)
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request) -> Cursor | None:
        """The cursor of the request; a 400 for any the API did not issue for this list and order."""
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        try:
            payload = self.cursor_signer(request).unsign_object(token)
        except signing.BadSignature as exc:
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        "Invalid cursor: use the `next` or `previous` link as given, with the same ordering."
                    ]
                },
                code="invalid",
            ) from exc
        return Cursor(offset=payload["o"], reverse=bool(payload["r"]), position=payload["p"])

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            paginated["properties"][link].update(
                example=f"https://api.example.org/meetings/?{self.cursor_query_param}=<signed cursor>",
                description="The adjacent page, or null. Its `cursor` parameter can also be passed as it stands.",
            )
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters


class HistoryPagination(KeysetPagination):
    """Pages of an object's change history, newest first."""

    ordering = "-history_id"

    def get_ordering(self, request, queryset, view):
        return (self.ordering,)


class FacetedKeysetPagination(KeysetPagination):
    """Keyset pages that can also count values over the whole filtered set (`?facet=`).

    The view's `facets` maps each facet name to a function of the filtered queryset (see
    briefing.facets); the answer gains `"facets": {name: [{value, label, count}, …]}`.
    """

    facet_query_param = "facet"

    def paginate_queryset(self, queryset, request, view=None):
        names = list(dict.fromkeys(request.query_params.getlist(self.facet_query_param)))
        available = getattr(view, "facets", {})
        unknown = [name for name in names if name not in available]
        if unknown:
            raise exceptions.ValidationError(
                {
                    self.facet_query_param: [
                        f"Unknown facet {', '.join(unknown)}. Available: {', '.join(available)}."
                    ]
                },
                code="invalid_choice",
            )
        self.facet_counts = {name: available[name](queryset) for name in names} if names else None
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.facet_counts is not None:
            response.data["facets"] = self.facet_counts
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        value = {
            "type": "object",
            "properties": {
                "value": {"type": "string", "nullable": True, "description": "The value (a slug, a month…)."},
                "label": {"type": "string", "description": "Human-readable name of the value."},
                "count": {"type": "integer", "description": "Items of the filtered set with this value."},
            },
            "required": ["value", "label", "count"],
        }
        paginated["properties"]["facets"] = {
            "type": "object",
            "description": "Present when `facet` was asked for: counts per value over the whole filtered set.",
            "additionalProperties": {"type": "array", "items": value},
        }
        return paginated

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.facet_query_param,
                "required": False,
                "in": "query",
                "description": "Count the filtered items per value of these fields (repeatable); "
                "answered in `facets`, at most 100 values each.",
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": list(getattr(view, "facets", {}))},
                },
                "explode": True,
                "style": "form",
            },
        ]
