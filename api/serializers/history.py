"""The change history of an object, as the API shows it."""

from rest_framework import serializers

from briefing.history import HISTORY_TYPES


class ChangeSerializer(serializers.Serializer):
    """One field's value before and after (related objects by id, many-to-many as id lists)."""

    field = serializers.CharField(help_text="The field that changed.")
    old = serializers.JSONField(allow_null=True, help_text="The value before; null on creation.")
    new = serializers.JSONField(allow_null=True, help_text="The value after.")


class HistoryEntrySerializer(serializers.Serializer):
    """One recorded change: who, when, why, and the values before and after."""

    id = serializers.IntegerField(source="history_id", help_text="Identifier of the history entry.")
    date = serializers.DateTimeField(source="history_date", help_text="When the change was made.")
    type = serializers.ChoiceField(
        choices=list(HISTORY_TYPES.values()), source="history_kind", help_text="What happened to the object."
    )
    user = serializers.CharField(
        source="history_user.username",
        allow_null=True,
        default=None,
        help_text="Who made it, shown only to those who may change the object (editors); "
        "null for everyone else, and for the importer.",
    )
    reason = serializers.CharField(
        source="history_change_reason",
        allow_null=True,
        help_text="Why, when recorded (e.g. `import <file>`).",
    )
    changes = ChangeSerializer(many=True, help_text="The fields that changed.")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The view decides (briefing.history.shows_editors); without its word, nobody is named.
        if not self.context.get("show_users", False):
            data["user"] = None
        return data
