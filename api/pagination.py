"""Keyset (cursor) pagination: constant cost at any depth, no item lost or repeated."""

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
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

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the `next` or `previous` link as given."]},
                code="invalid",
            ) from exc

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
