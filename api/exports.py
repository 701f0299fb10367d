"""Bulk exports of the whole briefing in other specifications' formats: Popolo JSON.

The document is built in ``briefing.popolo``; this module serves it and documents its shape.
The serializers only describe the response in the OpenAPI schema (their names are its component
names); the view returns the built document as is, and tests/api/test_popolo.py checks that the
two agree.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from briefing.models import Meeting, Organization
from briefing.popolo import popolo_export

POPOLO_DESCRIPTION = """\
Every official, organization, meeting and statement as one document following the
[Popolo data specification](https://www.popoloproject.com/), for tools that read parliamentary
and civic data. Objects refer to one another by `id` (the slug, or `statement-<id>` for speeches).

Memberships come in two kinds, told apart by `label`: each official's current title in their
current organization, and each role an official held at the time of meetings (with those
meetings as `sources`). Neither has dates: the briefing does not know when a role began or ended.
A speech's `date` is the day it was said, at `00:00:00Z`, because Popolo asks for a date-time;
its `type` is the statement's kind (`quote` or `paraphrase`). See docs/popolo.md.
"""


# ISO 8601 at a day's, a month's or a year's precision, as Popolo allows.
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


class PopoloLinkSerializer(serializers.Serializer):
    """A Popolo link: a URL and what it points at."""

    url = serializers.URLField(help_text="An absolute URL.")
    note = serializers.CharField(allow_null=True, help_text="What the URL points at.")


class PopoloOtherNameSerializer(serializers.Serializer):
    """A Popolo other name: an alternate name, such as an abbreviation."""

    name = serializers.CharField(help_text="The other name, e.g. `NATO`.")
    note = serializers.CharField(allow_null=True, help_text="What kind of name, e.g. `abbreviation`.")


class PopoloPersonSerializer(serializers.Serializer):
    """A Popolo person: one official."""

    id = serializers.CharField(help_text="The official's slug.")
    name = serializers.CharField(help_text="Canonical full name.")
    other_names = PopoloOtherNameSerializer(many=True, help_text="The official's aliases.")
    links = PopoloLinkSerializer(many=True, help_text="The official in this API.")


class PopoloPostSerializer(serializers.Serializer):
    """A Popolo post: an office one official holds at a time."""

    id = serializers.CharField(help_text="The post's slug.")
    label = serializers.CharField(help_text="The post's name, e.g. `US Secretary of State`.")
    organization_id = serializers.CharField(allow_null=True, help_text="The organization the post is in.")


class PopoloOrganizationSerializer(serializers.Serializer):
    """A Popolo organization: a body officials belong to."""

    id = serializers.CharField(help_text="The organization's slug.")
    name = serializers.CharField(help_text="Full name.")
    other_names = PopoloOtherNameSerializer(many=True, help_text="The abbreviation, if any.")
    classification = serializers.ChoiceField(Organization.Kind.choices, help_text="The organization's kind.")
    parent_id = serializers.CharField(allow_null=True, help_text="The `id` of the body it is part of.")
    links = PopoloLinkSerializer(many=True, help_text="The organization in this API.")


class PopoloMembershipSerializer(serializers.Serializer):
    """A Popolo membership: a title or role an official holds or held in an organization, or a
    dated holding of a post."""

    id = serializers.CharField(
        help_text="`membership-<person>-current`, `membership-<person>-as-<role>` or "
        "`membership-<person>-<post>-<n>`."
    )
    label = serializers.CharField(
        help_text="`Current title`, `Role at the time of a meeting` or `Holder of a post`: which kind of "
        "membership it is."
    )
    post_id = serializers.CharField(required=False, help_text="For a holder of a post: the post's `id`.")
    start_date = serializers.DateField(
        required=False, help_text="For a holder of a post: the first day, when known."
    )
    end_date = serializers.DateField(
        required=False, help_text="For a holder of a post: the last day, when known."
    )
    role = serializers.CharField(allow_null=True, help_text="The title or role held.")
    person_id = serializers.CharField(help_text="The member's `id` among the persons.")
    organization_id = serializers.CharField(
        allow_null=True, help_text="The official's current organization, when they have one."
    )
    sources = PopoloLinkSerializer(
        many=True, help_text="For a role at the time: the meetings it was held at."
    )


class PopoloEventSerializer(serializers.Serializer):
    """A Popolo event: one meeting."""

    id = serializers.CharField(help_text="The meeting's slug.")
    name = serializers.CharField(help_text="The meeting's title.")
    description = serializers.CharField(allow_null=True, help_text="The meeting's summary.")
    start_date = serializers.RegexField(
        PARTIAL_DATE,
        required=False,
        help_text="When the meeting took place, at the precision the article gives: `2018-05-17`, `2018-05` "
        "or `2018`; absent when the article does not say.",
    )
    end_date = serializers.RegexField(
        PARTIAL_DATE, required=False, help_text="The same as `start_date`: a meeting lasts a day."
    )
    location = serializers.CharField(allow_null=True, help_text="`Venue, City`, or either alone.")
    classification = serializers.ChoiceField(Meeting.Kind.choices, help_text="The meeting's kind.")
    attendees = PopoloPersonSerializer(many=True, help_text="The participants, as their person objects.")
    sources = PopoloLinkSerializer(many=True, help_text="The articles that report the meeting.")


class PopoloSpeechSerializer(serializers.Serializer):
    """A Popolo speech: one statement."""

    id = serializers.CharField(help_text="`statement-<id>`, after the statement's id in this API.")
    creator_id = serializers.CharField(
        allow_null=True, help_text="The speaker's `id` among the persons; null when the article does not say."
    )
    role = serializers.CharField(
        allow_null=True, help_text="The speaker's role at the meeting, when they took part in it."
    )
    text = serializers.CharField(help_text="The statement, verbatim as in the article.")
    date = serializers.DateTimeField(
        allow_null=True,
        help_text="The day it was said, at `00:00:00Z` (the time is not known); null when the article gives "
        "no day (Popolo's speech date cannot be a month or a year).",
    )
    title = serializers.CharField(help_text="The speaker and the start of the text.")
    # Not a ChoiceField: a second enum named by the field `type` would rename the history's `TypeEnum`.
    type = serializers.CharField(
        help_text="The statement's kind: `quote` (direct quotation) or `paraphrase` (reported speech)."
    )
    position = serializers.IntegerField(help_text="Order within the article (1 = first statement).")
    event_id = serializers.CharField(allow_null=True, help_text="The meeting's `id`, when the article tells.")
    sources = PopoloLinkSerializer(
        many=True, help_text="The article: in this API, and as published if known."
    )


class PopoloExportSerializer(serializers.Serializer):
    """The briefing as a Popolo document."""

    persons = PopoloPersonSerializer(many=True, help_text="Every official.")
    organizations = PopoloOrganizationSerializer(many=True, help_text="Every organization.")
    posts = PopoloPostSerializer(many=True, help_text="Every post.")
    memberships = PopoloMembershipSerializer(
        many=True, help_text="Current titles, roles at the time, and dated holdings of posts."
    )
    events = PopoloEventSerializer(many=True, help_text="Every meeting, oldest first.")
    speeches = PopoloSpeechSerializer(many=True, help_text="Every statement, in article order.")


class PopoloExportView(APIView):
    """The whole briefing as one Popolo JSON document."""

    # Read-only and public; the API's model permissions need a queryset this view does not have.
    permission_classes = [permissions.AllowAny]
    # The document is JSON by definition, whatever formats the API's lists learn to speak.
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        # The default would be `export_popolo.json_retrieve`: a dot breaks generated SDKs' method names.
        operation_id="export_popolo_retrieve",
        summary="Export everything as Popolo JSON",
        description=POPOLO_DESCRIPTION,
        responses=PopoloExportSerializer,
        tags=["export"],
    )
    def get(self, request: Request) -> Response:
        def api_url(model_name: str, slug: str) -> str:
            return request.build_absolute_uri(reverse(f"{model_name}-detail", kwargs={"slug": slug}))

        return Response(popolo_export(api_url=api_url))
