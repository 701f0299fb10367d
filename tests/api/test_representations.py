"""One representation per resource: list items equal their details, and the compiled loading
equals DRF's own rendering of the declared serializers.

The data is built here (factories): undated articles and statements, empty nested lists, several
articles per meeting (dated, undated, tied), statements from several articles, officials without
an organization, nested hierarchies. Whatever else the database holds (the seeded fixtures) is
compared too, item by item, without depending on what it is.
"""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework import serializers

from api import serializers as api_serializers
from api.representation import Representation, RepresentationError, nested
from tests import factories

pytestmark = pytest.mark.django_db

RESOURCES = ["meeting", "statement", "official", "topic", "article", "organization"]
SERIALIZERS = [
    api_serializers.MeetingSerializer,
    api_serializers.MeetingDetailSerializer,
    api_serializers.StatementSerializer,
    api_serializers.OfficialSerializer,
    api_serializers.OfficialDetailSerializer,
    api_serializers.TopicSerializer,
    api_serializers.ArticleSerializer,
    api_serializers.ArticleDetailSerializer,
    api_serializers.OrganizationSerializer,
    api_serializers.OrganizationDetailSerializer,
]


def article(title: str, published_on: datetime.date | None):
    """An article whose body holds four distinct sentences to quote."""
    body = " ".join(f"{title} sentence number {n} is here." for n in range(1, 5))
    return factories.ArticleFactory(title=title, published_on=published_on, body=body)


def quote(source, speaker, sentence: int, meeting=None, topics=()):
    """A statement quoting one sentence of ``source``, validated like any write."""
    text = f"{source.title} sentence number {sentence} is here."
    return factories.statement_for(source, speaker, meeting, text=text, topics=list(topics))


@pytest.fixture
def varied(db):
    """Rows that exercise every ordering, bound and empty case of the representations."""
    alliance = factories.OrganizationFactory(name="Alliance")
    ministry = factories.OrganizationFactory(name="Ministry", parent=alliance)
    factories.OrganizationFactory(name="Empty office")
    ada, bo, cy = (factories.OfficialFactory(name=n, organization=ministry) for n in ("Ada", "Bo", "Cy"))
    loner = factories.OfficialFactory(name="Loner", organization=None)
    broad = factories.TopicFactory(name="Broad")
    narrow = factories.TopicFactory(name="Narrow", parent=broad)
    other = factories.TopicFactory(name="Other")

    undated_a, undated_d = article("Alpha", None), article("Delta", None)
    older, newer = article("Bravo", datetime.date(2023, 1, 1)), article("Charlie", datetime.date(2024, 5, 1))
    tied = article("Echo", datetime.date(2024, 5, 1))
    article("Unused", None)

    busy = factories.MeetingFactory(title="Busy meeting", date=datetime.date(2024, 5, 2))
    busy.articles.set([undated_a, older, newer, undated_d, tied])
    busy.topics.set([other, narrow, broad])
    for position, official in enumerate([cy, ada, bo]):
        factories.ParticipationFactory(meeting=busy, official=official, position=position)
    for source in (undated_a, older, newer, undated_d, tied):
        # In text order, so that position and span agree whichever one orders statements.
        quote(source, bo, 1, meeting=busy)
        quote(source, ada, 2, meeting=busy, topics=[narrow, other])
    factories.MeetingFactory(title="Empty meeting", date=datetime.date(2024, 5, 2))
    second = factories.MeetingFactory(title="Second meeting", date=datetime.date(2023, 1, 2))
    second.articles.set([older])
    factories.ParticipationFactory(meeting=second, official=ada, position=0)
    # Undated statements (no meeting, no date) sort as the oldest.
    quote(undated_a, loner, 3)
    quote(older, ada, 3, topics=[broad])
    return {"busy": busy, "ada": ada}


def every_item(api, resource: str) -> list[dict]:
    """Every item of a collection, following its `next` links."""
    items, url = [], reverse(f"{resource}-list") + "?page_size=7"
    while url:
        body = api.get(url).json()
        items += body["results"]
        url = body["next"]
    return items


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_item_equals_its_detail(api, varied, resource):
    items = every_item(api, resource)

    assert items
    for item in items:
        detail = api.get(item["url"]).json()
        assert {name: detail[name] for name in item} == item


def test_meeting_articles_are_newest_first_undated_last_in_list_and_detail(api, varied):
    busy = varied["busy"]
    expected = ["Charlie", "Echo", "Bravo", "Alpha", "Delta"]
    listed = api.get(reverse("meeting-list"), {"search": "Busy"}).json()["results"][0]
    detail = api.get(reverse("meeting-detail", args=[busy.slug])).json()

    assert [a["title"] for a in listed["articles"]] == expected
    assert [a["title"] for a in detail["articles"]] == expected
    # Statements follow the articles' order, each article's in article order.
    assert [(s["article"]["title"], s["speaker"]["name"]) for s in detail["statements"]] == [
        (title, speaker) for title in expected for speaker in ("Bo", "Ada")
    ]


def test_empty_lists_are_empty_in_list_and_detail(api, varied):
    listed = api.get(reverse("meeting-list"), {"search": "Empty"}).json()["results"][0]
    detail = api.get(listed["url"]).json()

    for body in (listed, detail):
        assert (body["participants"], body["topics"], body["articles"], body["statement_count"]) == (
            [],
            [],
            [],
            0,
        )
    assert detail["statements"] == []


def rendered_by_drf(serializer_class, objects, request) -> list[dict]:
    """What the declared serializer itself renders, an object at a time (querying lazily)."""
    return [dict(serializer_class(obj, context={"request": request}).data) for obj in objects]


@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=lambda c: c.__name__)
def test_compiled_representation_equals_the_serializers_own_rendering(varied, serializer_class):
    request = RequestFactory().get("/")
    model = serializer_class.Meta.model
    representation = Representation(serializer_class)

    compiled = representation.build(list(representation.rows(model.objects.order_by("pk"))), request)

    assert compiled == rendered_by_drf(serializer_class, model.objects.order_by("pk"), request)


class StatementWithTopicsSerializer(api_serializers.StatementSummarySerializer):
    """A declaration no view uses: a list inside a list, and a foreign key two steps away."""

    topics = nested(api_serializers.BriefTopicSerializer, order_by=("-name",))
    speaker_organization = api_serializers.BriefOrganizationSerializer(
        source="speaker.organization", allow_null=True, read_only=True
    )
    meeting_date = serializers.DateField(source="meeting.date", allow_null=True, read_only=True)

    class Meta(api_serializers.StatementSummarySerializer.Meta):
        fields = [
            *api_serializers.StatementSummarySerializer.Meta.fields,
            "topics",
            "speaker_organization",
            "meeting_date",
        ]


class MeetingWithStatementTopicsSerializer(api_serializers.MeetingSerializer):
    statements = nested(StatementWithTopicsSerializer, order_by=("-id",), limit=3)

    class Meta(api_serializers.MeetingSerializer.Meta):
        fields = [*api_serializers.MeetingSerializer.Meta.fields, "statements"]


@pytest.mark.parametrize(
    "serializer_class",
    [StatementWithTopicsSerializer, MeetingWithStatementTopicsSerializer],
    ids=lambda c: c.__name__,
)
def test_a_new_declaration_is_compiled_without_further_code(varied, serializer_class):
    request = RequestFactory().get("/")
    model = serializer_class.Meta.model
    representation = Representation(serializer_class)

    compiled = representation.build(list(representation.rows(model.objects.order_by("pk"))), request)

    assert compiled == rendered_by_drf(serializer_class, model.objects.order_by("pk"), request)
    assert any(item.get("statements") or item.get("topics") for item in compiled)


def test_a_field_that_cannot_be_loaded_in_bulk_is_refused_by_name():
    class ShoutingMeetingSerializer(api_serializers.MeetingSerializer):
        shout = serializers.SerializerMethodField()

        class Meta(api_serializers.MeetingSerializer.Meta):
            fields = [*api_serializers.MeetingSerializer.Meta.fields, "shout"]

        def get_shout(self, meeting):
            return meeting.title.upper()

    with pytest.raises(
        RepresentationError, match=r"^ShoutingMeetingSerializer\.shout: a method field cannot"
    ):
        Representation(ShoutingMeetingSerializer)


def test_the_system_check_names_a_representation_that_cannot_be_compiled():
    import gc

    from api.apps import representations_compile
    from api.views import MeetingViewSet

    class ShoutingMeetingSerializer(api_serializers.MeetingSerializer):
        shout = serializers.SerializerMethodField()

        class Meta(api_serializers.MeetingSerializer.Meta):
            fields = [*api_serializers.MeetingSerializer.Meta.fields, "shout"]

    assert representations_compile() == []
    shouting = type(
        "ShoutingMeetingViewSet", (MeetingViewSet.__base__,), {"serializer_class": ShoutingMeetingSerializer}
    )
    try:
        [error] = representations_compile()
        assert (error.id, error.obj) == ("api.E001", ShoutingMeetingSerializer)
        assert error.msg.startswith(
            "ShoutingMeetingSerializer.shout: a method field cannot be loaded in bulk"
        )
    finally:
        del shouting
        gc.collect()
