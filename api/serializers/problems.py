"""The schema of the API's one error format (RFC 9457 problem details, see api.problems)."""

from rest_framework import serializers


class ProblemErrorSerializer(serializers.Serializer):
    """One problem with one field or parameter of a request."""

    field = serializers.CharField(
        allow_null=True, help_text="The field or query parameter at fault (dotted path); null when general."
    )
    code = serializers.CharField(help_text="Machine-readable code, e.g. `invalid_choice`, `required`.")
    message = serializers.CharField(help_text="Human-readable explanation.")


class ProblemSerializer(serializers.Serializer):
    """An error answer, in RFC 9457 problem-details form, for every 4xx and 5xx status."""

    type = serializers.URLField(help_text="URI identifying the kind of problem; stable per `code`.")
    title = serializers.CharField(help_text="Short summary of the HTTP status.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="Human-readable explanation of this occurrence.")
    code = serializers.CharField(
        help_text="Machine-readable problem code, e.g. `not_found`, `validation_error`."
    )
    errors = ProblemErrorSerializer(many=True, help_text="Individual field problems (400); empty otherwise.")
