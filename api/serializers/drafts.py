"""Drafts over the API: an article's text in, the drafter's proposal (a format-2 fixture) out."""

from django.urls import reverse
from rest_framework import serializers

from api.serializers.links import link
from briefing import drafting
from briefing.models import Draft
from briefing.services.drafts import draft_undecided


class DraftRequestSerializer(serializers.Serializer):
    """An article to draft: its text, and what the text itself does not say."""

    text = serializers.CharField(
        trim_whitespace=False,
        max_length=drafting.MAX_TEXT_BYTES,
        help_text="The article as plain text: the headline on the first line (unless `title` is given), "
        "then the body. The proposal's offsets index into the body in Unicode code points.",
    )
    title = serializers.CharField(
        required=False, max_length=300, help_text="The headline, when the text starts with the body."
    )
    published_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Publication date (`YYYY-MM-DD`): relative dates (“on Thursday”) are read against it; "
        "without it they stay `unknown`.",
    )
    publisher = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    url = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")

    def validate(self, attrs):
        try:
            attrs["title"], attrs["body"] = drafting.read_article_text(
                attrs.pop("text").encode("utf-8"), title=attrs.get("title")
            )
        except drafting.DraftInputError as error:
            raise serializers.ValidationError({"text": [str(error)]}, code="invalid") from error
        return attrs


class DraftSerializer(serializers.ModelSerializer):
    """A draft in review: the drafter's proposal, and how far the editor's review has come."""

    url = link("draft-detail", lookup_field="pk")
    status = serializers.ChoiceField(choices=Draft.Status.choices, read_only=True)
    proposal = serializers.JSONField(
        read_only=True,
        help_text="The draft as an article fixture in format version 2 (`fixtures/article.schema.json`): "
        "every statement with its exact `start`, speaker, attribution and `confidence` (0 to 1), the "
        "officials, mentions, meetings and topics. Nothing of it is public until an editor has reviewed "
        "and published it (in the admin).",
    )
    undecided = serializers.SerializerMethodField(
        help_text="The proposed items no editor has decided yet (`statement 3`, `meeting 1`)."
    )
    review_url = serializers.SerializerMethodField(help_text="The admin page where an editor reviews it.")
    article = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The slug of the article publishing made of it; null until then.",
    )

    class Meta:
        model = Draft
        fields = [
            "url", "id", "status", "title", "published_on", "publisher", "article", "created_at",
            "published_at", "undecided", "review_url", "proposal",
        ]  # fmt: skip
        read_only_fields = fields

    def get_undecided(self, draft) -> list[str]:
        return draft_undecided(draft)

    def get_review_url(self, draft) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("admin:briefing_draft_review", args=[draft.pk])
        )
