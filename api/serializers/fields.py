"""Serializer fields the API needs beyond DRF's."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.representation import ColumnsField, ExpressionField
from briefing import dates
from briefing.models import current_title


class OptionalURLField(serializers.URLField):
    """A URL that may be unknown: stored as "", shown and accepted as null (never a non-URL "")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None

    def to_internal_value(self, data):
        return "" if data in (None, "") else super().to_internal_value(data)

    def validate_empty_values(self, data):
        # null means "unknown", which the model stores as "".
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        "example": "2018-05",
        "description": "ISO 8601 at the precision the article gives: `2018-05-17`, `2018-05` or `2018`; null "
        "when it does not say.",
    }
)
class ReportedDateField(ColumnsField):
    """A date at its precision (``date`` and ``date_precision``): never a made-up day."""

    column_sources = ("date", "date_precision")

    def combine(self, day, precision):
        return dates.iso(day, precision)


@extend_schema_field({"type": "string"})
class CurrentTitleField(ExpressionField):
    """An official's current title (``briefing.models.current_title``): an editor's, else the post
    of their latest membership still held."""

    attribute = "current_title"  # where ``OfficialQuerySet.with_current_title`` puts it

    def expression(self, outer: str = "pk"):
        return current_title(outer)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        "example": "2018-05-17",
    }
)
class PartialDateField(serializers.Field):
    """A date written at the precision the article gives: `2018-05-17`, `2018-05`, `2018`, or null."""

    default_error_messages = {"invalid": "{error} Use YYYY-MM-DD, YYYY-MM, YYYY or null."}

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:  # null: the article does not say (a value, not a missing field)
            return True, dates.PartialDate.unknown()
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        try:
            return dates.PartialDate.parse(data if isinstance(data, str) else repr(data))
        except ValueError as exc:
            self.fail("invalid", error=str(exc))

    def to_representation(self, value):
        return value.iso() if isinstance(value, dates.PartialDate) else value
