"""Serializer fields the API needs beyond DRF's."""

from rest_framework import serializers


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
