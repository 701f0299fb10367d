"""Request bodies for creating and changing briefing data.

Relations are named by slug (statements by id), as everywhere in the API. Validation beyond
types and lengths is the domain's: each serializer hands the object to its entity's
``briefing.services`` write — the same functions the importer and the admin call — and their
errors come back as 400 field errors. No rule is written a second time here.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from api.serializers.fields import OptionalURLField
from briefing import services, validators
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
# Offsets fit a 32-bit integer on every database (bodies are far shorter).
MAX_OFFSET = 2**31 - 1


class WriteSerializer(serializers.ModelSerializer):
    """Saves through a ``briefing.services`` write; answers with the resource's detail."""

    #: Many-to-many fields set after the row is saved.
    m2m_fields: tuple[str, ...] = ()

    def create(self, validated_data):
        return self.save_instance(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self.save_instance(instance, validated_data)

    @transaction.atomic
    def save_instance(self, instance, validated_data):
        extra = {name: validated_data.pop(name) for name in self.service_arguments if name in validated_data}
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return self.service(instance, extra, reason=self.context.get("reason"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(self.error_detail(exc)) from exc

    @property
    def service_arguments(self) -> tuple[str, ...]:
        """Fields handed to the service beside the instance (links, a chosen occurrence…)."""
        return self.m2m_fields

    def service(self, instance, extra: dict, *, reason: str | None):
        """The entity's write (default: one row under its own rules, with its links)."""
        return services.record_save(instance=instance, m2m=extra, reason=reason)

    def error_detail(self, exc: DjangoValidationError):
        return serializers.as_serializer_error(exc)


@extend_schema_serializer(component_name="Organization")
class OrganizationWriteSerializer(WriteSerializer):
    """An organization to create or change; `parent` names the body it is part of."""

    parent = _slug(Organization, "Slug of the body this one is part of.", required=False, allow_null=True)

    class Meta:
        model = Organization
        fields = ["slug", "name", "abbreviation", "kind", "parent"]


@extend_schema_serializer(component_name="Official")
class OfficialWriteSerializer(WriteSerializer):
    """An official to create or change."""

    organization = _slug(
        Organization, "Slug of the official's organization.", required=False, allow_null=True
    )

    class Meta:
        model = Official
        fields = ["slug", "name", "title", "organization"]


@extend_schema_serializer(component_name="Topic")
class TopicWriteSerializer(WriteSerializer):
    """A topic to create or change; a topic cannot become its own ancestor."""

    parent = _slug(Topic, "Slug of the broader topic.", required=False, allow_null=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "parent"]


@extend_schema_serializer(component_name="Article")
class ArticleWriteSerializer(WriteSerializer):
    """A source article to create or change; a new body keeps every statement's span true or is refused."""

    source_url = OptionalURLField(
        source="url", required=False, max_length=500, help_text="Where it was published; null when unknown."
    )
    body = serializers.CharField(
        trim_whitespace=False,
        help_text="Full text. A changed body must still hold every statement quoted from it: their "
        "spans move with the edit, or the change is refused naming each statement it would lose.",
    )

    def service(self, instance, extra, *, reason):
        return services.article_save(article=instance, reason=reason)

    class Meta:
        model = Article
        fields = ["slug", "title", "publisher", "source_url", "published_on", "body"]


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
    """A meeting to create or change; `participants` replaces the list (an official once each)."""

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

    @property
    def service_arguments(self):
        return (*self.m2m_fields, "participants")

    def service(self, instance, extra, *, reason):
        participants = extra.get("participants")
        return services.meeting_save(
            meeting=instance,
            topics=extra.get("topics"),
            articles=extra.get("articles"),
            participants=None if participants is None else [(p["official"], p["role"]) for p in participants],
            reason=reason,
        )

    def error_detail(self, exc):
        index = (getattr(exc, "params", None) or {}).get("index")
        if getattr(exc, "code", None) == "duplicate_participant" and index is not None:
            return {"participants": {index: {"official": exc.messages}}}
        return super().error_detail(exc)


@extend_schema_serializer(component_name="Statement")
class StatementWriteSerializer(WriteSerializer):
    """A statement to create or change: a verbatim span of its article, numbered in body order."""

    article = _slug(Article, "Slug of the source article; `text` must occur in its body verbatim.")
    speaker = _slug(Official, "Slug of the official who said it.")
    meeting = _slug(
        Meeting, "Slug of the meeting it was said at, if the article tells.", required=False, allow_null=True
    )
    topics = _slug(Topic, "Slugs of the topics it touches.", many=True, required=False)
    text = serializers.CharField(
        trim_whitespace=False,
        help_text="The statement exactly as it stands in the article body (a verbatim span). "
        "When the body holds it more than once, give `start` too.",
    )
    start = serializers.IntegerField(
        min_value=0,
        max_value=MAX_OFFSET,
        required=False,
        write_only=True,
        help_text="Which occurrence of `text` is meant, by its offset in the body (code points). Needed "
        "only when the text occurs more than once; a 400 without it lists the occurrences.",
    )
    m2m_fields = ("topics",)

    class Meta:
        model = Statement
        fields = ["article", "speaker", "meeting", "text", "kind", "topics", "date", "start"]
        extra_kwargs = {
            "date": {"help_text": "When it was said, if there is no meeting (a meeting's date wins)."},
        }

    @property
    def service_arguments(self):
        return (*self.m2m_fields, "start")

    def service(self, instance, extra, *, reason):
        return services.statement_save(
            statement=instance, topics=extra.get("topics"), start=extra.get("start"), reason=reason
        )
