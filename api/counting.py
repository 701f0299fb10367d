"""An opt-in total on lists: ``?count=true`` counts the filtered items, up to a cap.

Counting every row that matches is what makes deep lists slow on PostgreSQL (a count reads
each matching row, and a large table has hundreds of thousands), so the count stops at
``COUNT_CAP``: a list answers ``"count": N, "count_exact": true`` when N is below the cap, and
``"count": 10000, "count_exact": false`` ("at least 10,000") beyond it. One query, whatever the
page size, and only when asked for.
"""

from rest_framework import exceptions

COUNT_CAP = 10_000
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


class CountingPaginationMixin:
    """Adds ``count`` and ``count_exact`` to a paginated list when ``?count=true`` is given."""

    count_query_param = "count"
    count_cap = COUNT_CAP

    def paginate_queryset(self, queryset, request, view=None):
        self.counted = self._count(queryset) if self._count_wanted(request) else None
        return super().paginate_queryset(queryset, request, view)

    def _count_wanted(self, request) -> bool:
        raw = request.query_params.get(self.count_query_param)
        if raw is None or raw.lower() in FALSE:
            return False
        if raw.lower() in TRUE:
            return True
        raise exceptions.ValidationError(
            {self.count_query_param: [f"Must be true or false, not “{raw}”."]}, code="invalid"
        )

    def _count(self, queryset) -> int:
        # COUNT(*) over the first cap + 1 ids: the database stops reading there.
        return queryset.order_by().values("pk")[: self.count_cap + 1].count()

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.counted is not None:
            response.data = {
                "count": min(self.counted, self.count_cap),
                "count_exact": self.counted <= self.count_cap,
                **response.data,
            }
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": {
                "type": "integer",
                "minimum": 0,
                "maximum": self.count_cap,
                "description": f"Present with `count=true`: how many items the filters select, counted up "
                f"to {self.count_cap:,} (see `count_exact`).",
            },
            "count_exact": {
                "type": "boolean",
                "description": f"Present with `count=true`: false when there are more than {self.count_cap:,} "
                "items, so `count` means “at least”.",
            },
            **paginated["properties"],
        }
        return paginated

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": f"Add the number of items the filters select (`count`, up to {self.count_cap:,}, "
                "and `count_exact`): one more query.",
                "schema": {"type": "boolean", "default": False},
            },
        ]
