"""Request bodies for creating and changing briefing data.

Relations are named by slug (statements by id), as everywhere in the API. Validation beyond
types and lengths is the domain's: each serializer hands the object to a ``briefing.services``
write, which runs the models' ``full_clean()`` — the same rules as the importer and the admin —
and its errors come back as 400 field errors. No rule is written a second time here.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from api.serializers.fields import OptionalURLField
from briefing import rules, services, validators
from briefing.models import Article, Meeting, Official, Organization, Statement, Topic


class SlugField(serializers.SlugRelatedField):
    """A related object named by its slug; a value that cannot be a slug is refused unlooked-up."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


def _slug(model, help_text: str, **kwargs) -> SlugField:
    return SlugField(slug_field="slug", queryset=model.objects.all(), help_text=help_text, **kwargs)


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class WriteSerializer(serializers.ModelSerializer):
    """Saves through ``briefing.services.record_save``; answers with the resource's detail."""

    #: Many-to-many fields set after the row is saved.
    m2m_fields: tuple[str, ...] = ()

    def create(self, validated_data):
        return self.save_instance(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self.save_instance(instance, validated_data)

    @transaction.atomic
    def save_instance(self, instance, validated_data):
        m2m = {name: validated_data.pop(name) for name in self.m2m_fields if name in validated_data}
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return services.record_save(instance=instance, m2m=m2m, reason=self.context.get("reason"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc


@extend_schema_serializer(component_name="Organization")
class OrganizationWriteSerializer(WriteSerializer):
    parent = _slug(Organization, "Slug of the body this one is part of.", required=False, allow_null=True)

    class Meta:
        model = Organization
        fields = ["slug", "name", "abbreviation", "kind", "parent"]


@extend_schema_serializer(component_name="Official")
class OfficialWriteSerializer(WriteSerializer):
    organization = _slug(
        Organization, "Slug of the official's organization.", required=False, allow_null=True
    )

    class Meta:
        model = Official
        fields = ["slug", "name", "title", "organization"]


@extend_schema_serializer(component_name="Topic")
class TopicWriteSerializer(WriteSerializer):
    parent = _slug(Topic, "Slug of the broader topic.", required=False, allow_null=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "parent"]


@extend_schema_serializer(component_name="Article")
class ArticleWriteSerializer(WriteSerializer):
    source_url = OptionalURLField(
        source="url", required=False, max_length=500, help_text="Where it was published; null when unknown."
    )

    class Meta:
        model = Article
        fields = ["slug", "title", "publisher", "source_url", "published_on", "body"]
        # Stored as published, spaces at either end included.
        extra_kwargs = {"body": {"trim_whitespace": False}}


class ParticipantWriteSerializer(serializers.Serializer):
    """An official at a meeting and the role they held there."""

    official = _slug(Official, "Slug of the participating official.")
    role = serializers.CharField(
        max_length=200,
        validators=[validators.single_line_text],
        help_text="Title held at the time of the meeting.",
    )

    def validate(self, attrs):
        # A PATCH makes nested fields optional too; a participant still needs both.
        missing = {
            name: [serializers.ErrorDetail("This field is required.", code="required")]
            for name in ("official", "role")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


@extend_schema_serializer(component_name="Meeting")
class MeetingWriteSerializer(WriteSerializer):
    topics = _slug(Topic, "Slugs of the topics discussed.", many=True, required=False)
    articles = _slug(Article, "Slugs of the articles that report it.", many=True, required=False)
    participants = ParticipantWriteSerializer(
        many=True, required=False, help_text="Who took part, in display order; replaces the current list."
    )
    m2m_fields = ("topics", "articles")

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "date",
            "kind",
            "location",
            "city",
            "summary",
            "topics",
            "articles",
            "participants",
        ]

    @transaction.atomic
    def save_instance(self, instance, validated_data):
        participants = validated_data.pop("participants", None)
        meeting = super().save_instance(instance, validated_data)
        if participants is not None:
            try:
                services.meeting_participants_set(
                    meeting=meeting,
                    participants=[(p["official"], p["role"]) for p in participants],
                    reason=self.context.get("reason"),
                )
            except DjangoValidationError as exc:
                index = (exc.params or {}).get("index")
                raise serializers.ValidationError(
                    {
                        "participants": {index: {"official": exc.messages}}
                        if index is not None
                        else exc.messages
                    }
                ) from exc
        return meeting


@extend_schema_serializer(component_name="Statement")
class StatementWriteSerializer(WriteSerializer):
    article = _slug(Article, "Slug of the source article; `text` must occur in its body verbatim.")
    speaker = _slug(Official, "Slug of the official who said it.")
    meeting = _slug(
        Meeting, "Slug of the meeting it was said at, if the article tells.", required=False, allow_null=True
    )
    topics = _slug(Topic, "Slugs of the topics it touches.", many=True, required=False)
    # Bounds written out: the model's own come from the database backend, and the schema
    # must not depend on which database generated it.
    position = serializers.IntegerField(
        min_value=1,
        max_value=rules.MAX_POSITION,
        required=False,
        help_text="Order within the article; the next free number when left out.",
    )
    m2m_fields = ("topics",)

    class Meta:
        model = Statement
        fields = ["article", "speaker", "meeting", "text", "kind", "topics", "date", "position"]
        extra_kwargs = {
            "date": {"help_text": "When it was said, if there is no meeting (a meeting's date wins)."},
            # Verbatim: leading and trailing spaces are part of the text the article must contain.
            "text": {"trim_whitespace": False},
        }
        # Position is unique per article, but optional here: the model's own constraint check
        # (in full_clean) reports a clash, after the next free position is filled in.
        validators = []
