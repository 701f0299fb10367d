"""/export/popolo.json: the seed as Popolo objects, valid against the Popolo JSON Schemas, offline.

The schemas are vendored in tests/data/popolo/ (see its README); they refer to one another by
absolute URLs, which a `referencing` registry maps to those files, so validation never fetches.
"""

import copy
import datetime
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from jsonschema import Draft3Validator, Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from briefing import services
from briefing.models import Article, Meeting, Membership, Official, Organization, Post, Statement
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "popolo"
SCHEMAS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_DIR.glob("*.json")}
REGISTRY = Registry().with_resources(
    (schema["id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()
)
COLLECTION_SCHEMAS = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "events": "event",
    "speeches": "speech",
}
ARTICLE_URL = "http://testserver/articles/nato-secretary-general-visits-washington-2022/"
ARTICLE_SOURCE = {"url": ARTICLE_URL, "note": "NATO Secretary General visits Washington D.C."}

# jsonschema checks `date-time` and `uri` only with optional packages; check them here, strictly,
# so a plain date where Popolo asks for a date-time is caught.
FORMATS = FormatChecker(formats=())
FORMATS.checkers = {**Draft3Validator.FORMAT_CHECKER.checkers}  # a copy: `checks` below adds to it
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value: object) -> bool:
    """An RFC 3339 date-time, with its time zone."""
    if not isinstance(value, str):
        return True
    return bool(DATE_TIME.fullmatch(value)) and bool(datetime.datetime.fromisoformat(value))


@FORMATS.checks("uri")
def is_uri(value: object) -> bool:
    """An absolute URI."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path)) and not re.search(r"\s", value)


def popolo_validator(name: str) -> Draft3Validator:
    """A validator for the Popolo schema `name` (e.g. `speech`), resolving references offline."""
    return Draft3Validator(SCHEMAS[name], registry=REGISTRY, format_checker=FORMATS)


def popolo_errors(name: str, instance: dict) -> list[str]:
    """Where and why `instance` breaks the Popolo schema `name`; empty when it is valid."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in popolo_validator(name).iter_errors(instance)
    ]


@pytest.fixture
def export(api) -> dict:
    response = api.get(reverse("popolo-export"))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def by_id(objects: list[dict], id_: str) -> dict:
    (found,) = [o for o in objects if o["id"] == id_]
    return found


# -- what the export holds --------------------------------------------------------------------


def test_popolo_export_holds_every_official_organization_meeting_and_statement_of_the_seed(export):
    assert {name: len(objects) for name, objects in export.items()} == {
        "persons": 8,
        "organizations": 10,
        "posts": 0,  # the seed names no posts
        "memberships": 14,  # 8 current titles, 6 roles held at meetings
        "events": 4,
        "speeches": 40,
    }
    assert {p["id"] for p in export["persons"]} == set(Official.objects.values_list("slug", flat=True))
    assert {o["id"] for o in export["organizations"]} == set(
        Organization.objects.values_list("slug", flat=True)
    )
    assert {e["id"] for e in export["events"]} == set(Meeting.objects.values_list("slug", flat=True))
    assert {s["id"] for s in export["speeches"]} == {
        f"statement-{pk}" for pk in Statement.objects.values_list("pk", flat=True)
    }


def test_popolo_speech_keeps_the_verbatim_text_its_speaker_role_meeting_and_article(export):
    text = "You know — but as I think about this, I’ve never seen NATO more energized, more united,"
    statement = Statement.objects.get(text=text)
    assert by_id(export["speeches"], f"statement-{statement.pk}") == {
        "id": f"statement-{statement.pk}",
        "creator_id": "lloyd-austin",
        "role": "US Secretary of Defense",
        "text": text,
        "date": "2022-06-02T00:00:00Z",
        "title": "Lloyd J. Austin III: “You know — but as I think about this, I’ve never seen NATO…”",
        "type": "quote",
        "position": 35,
        "event_id": "stoltenberg-austin-pentagon-meeting-2022-06-02",
        "sources": [ARTICLE_SOURCE],
    }


def test_popolo_speech_without_a_meeting_has_no_role_event_or_date(export):
    statement = Statement.objects.get(meeting=None)
    speech = by_id(export["speeches"], f"statement-{statement.pk}")
    assert (speech["creator_id"], speech["type"], speech["position"]) == ("jens-stoltenberg", "quote", 8)
    assert (speech["role"], speech["event_id"], speech["date"]) == (None, None, None)


def test_popolo_speech_by_an_official_not_taking_part_in_the_meeting_has_no_role(api):
    meeting, article = factories.MeetingFactory(), factories.ArticleFactory()
    statement = factories.statement_for(article, factories.OfficialFactory(), meeting)
    speeches = api.get(reverse("popolo-export")).json()["speeches"]
    speech = by_id(speeches, f"statement-{statement.pk}")
    assert (speech["role"], speech["event_id"], speech["date"]) == (
        None,
        meeting.slug,
        f"{meeting.date.isoformat()}T00:00:00Z",
    )


def test_popolo_memberships_of_kamala_harris_are_her_current_title_and_her_role_at_the_time(export):
    assert [m for m in export["memberships"] if m["person_id"] == "kamala-harris"] == [
        {
            "id": "membership-kamala-harris-current",
            "label": "Current title",
            "role": "Vice President",
            "person_id": "kamala-harris",
            "organization_id": "white-house",
            "sources": [],
        },
        {
            "id": "membership-kamala-harris-as-vice-president",
            "label": "Role at the time of a meeting",
            "role": "Vice President",
            "person_id": "kamala-harris",
            "organization_id": "white-house",
            "sources": [
                {
                    "url": "http://testserver/meetings/white-house-meeting-2022-06-02/",
                    "note": "Jens Stoltenberg meets Joe Biden at the White House (2022-06-02)",
                }
            ],
        },
    ]


def test_popolo_role_at_the_time_stays_when_the_current_title_changes(api):
    Official.objects.filter(slug="antony-blinken").update(title="Former US Secretary of State")
    memberships = api.get(reverse("popolo-export")).json()["memberships"]
    assert [(m["label"], m["role"], len(m["sources"])) for m in memberships if m["person_id"] == "antony-blinken"] == [
        ("Current title", "Former US Secretary of State", 0),
        ("Role at the time of a meeting", "US Secretary of State", 2),
    ]  # fmt: skip


def test_popolo_roles_that_slugify_alike_get_distinct_membership_ids(api):
    official = factories.OfficialFactory(slug="someone")
    for role in ["U.S. Envoy", "US Envoy"]:
        factories.ParticipationFactory(official=official, role=role)
    memberships = api.get(reverse("popolo-export")).json()["memberships"]
    assert [m["id"] for m in memberships if m["person_id"] == "someone"] == [
        "membership-someone-current",
        "membership-someone-as-us-envoy",
        "membership-someone-as-us-envoy-2",
    ]


def test_popolo_event_is_the_meeting_with_its_attendees_and_reporting_articles(export):
    assert by_id(export["events"], "stoltenberg-austin-pentagon-meeting-2022-06-02") == {
        "id": "stoltenberg-austin-pentagon-meeting-2022-06-02",
        "name": "Jens Stoltenberg meets Lloyd J. Austin III at the Pentagon",
        "description": Meeting.objects.get(slug="stoltenberg-austin-pentagon-meeting-2022-06-02").summary,
        "start_date": "2022-06-02",
        "end_date": "2022-06-02",
        "location": "The Pentagon, Washington D.C.",
        "classification": "bilateral_meeting",
        "attendees": [
            {
                "id": "jens-stoltenberg",
                "name": "Jens Stoltenberg",
                "other_names": [],
                "links": [
                    {"url": "http://testserver/officials/jens-stoltenberg/", "note": "Summit Briefing API"}
                ],
            },
            {
                "id": "lloyd-austin",
                "name": "Lloyd J. Austin III",
                "other_names": [],
                "links": [
                    {"url": "http://testserver/officials/lloyd-austin/", "note": "Summit Briefing API"}
                ],
            },
        ],
        "sources": [ARTICLE_SOURCE],
    }
    assert [e["id"] for e in export["events"]] == [
        "stoltenberg-blinken-meeting-2022-06-01",
        "stoltenberg-blinken-press-conference-2022-06-01",
        "stoltenberg-austin-pentagon-meeting-2022-06-02",
        "white-house-meeting-2022-06-02",
    ]


@pytest.mark.parametrize(
    ("location", "city", "expected"),
    [
        ("The Pentagon", "Washington D.C.", "The Pentagon, Washington D.C."),
        ("", "Washington D.C.", "Washington D.C."),
        ("NATO Headquarters", "", "NATO Headquarters"),
        ("NATO Headquarters, Brussels", "Brussels", "NATO Headquarters, Brussels"),
        ("", "", None),
    ],
)
def test_popolo_event_location_joins_venue_and_city_once(api, location, city, expected):
    meeting = factories.MeetingFactory(location=location, city=city)
    events = api.get(reverse("popolo-export")).json()["events"]
    assert by_id(events, meeting.slug)["location"] == expected


def test_popolo_organization_has_its_kind_parent_and_abbreviation(export):
    assert by_id(export["organizations"], "us-department-of-defense") == {
        "id": "us-department-of-defense",
        "name": "U.S. Department of Defense",
        "other_names": [{"name": "DoD", "note": "abbreviation"}],
        "classification": "department",
        "parent_id": "united-states",
        "links": [
            {
                "url": "http://testserver/organizations/us-department-of-defense/",
                "note": "Summit Briefing API",
            }
        ],
    }
    assert by_id(export["organizations"], "russia")["other_names"] == []


def test_popolo_sources_add_the_published_article_when_its_url_is_known(api):
    Article.objects.update(url="https://www.nato.int/cps/en/natohq/news_196185.htm")
    body = api.get(reverse("popolo-export")).json()
    published = {
        "url": "https://www.nato.int/cps/en/natohq/news_196185.htm",
        "note": "NATO Secretary General visits Washington D.C. (as published)",
    }
    assert body["speeches"][0]["sources"] == [ARTICLE_SOURCE, published]
    assert body["events"][0]["sources"] == [ARTICLE_SOURCE, published]


def test_popolo_export_refers_only_to_objects_it_holds(export):
    ids = {name: [o["id"] for o in objects] for name, objects in export.items()}
    for name, values in ids.items():
        assert len(values) == len(set(values)), f"duplicate ids among {name}"
    persons, organizations, events = set(ids["persons"]), set(ids["organizations"]), set(ids["events"])
    assert {m["person_id"] for m in export["memberships"]} <= persons
    assert {m["organization_id"] for m in export["memberships"]} - {None} <= organizations
    assert {o["parent_id"] for o in export["organizations"]} - {None} <= organizations
    assert {a["id"] for e in export["events"] for a in e["attendees"]} <= persons
    assert {s["creator_id"] for s in export["speeches"]} <= persons
    assert {s["event_id"] for s in export["speeches"]} - {None} <= events


# -- validity --------------------------------------------------------------------------------


@pytest.mark.parametrize(("collection", "schema"), COLLECTION_SCHEMAS.items())
def test_every_popolo_object_validates_against_the_popolo_schema(export, collection, schema):
    problems = {obj["id"]: errors for obj in export[collection] if (errors := popolo_errors(schema, obj))}
    assert problems == {}


@pytest.mark.parametrize(
    ("schema", "change", "expected"),
    [
        # A plain date where a date-time is due: caught only because formats are checked.
        ("speech", {"date": "2022-06-02"}, "date: '2022-06-02' is not a 'date-time'"),
        ("speech", {"position": "35"}, "position: '35' is not of type 'integer', 'null'"),
        # Errors inside referenced schemas: caught only because the references resolve.
        ("event", {"attendees": ["lloyd-austin"]}, "attendees/0: 'lloyd-austin' is not of type 'object'"),
        ("event", {"sources": [{"note": "no url"}]}, "sources/0/url: 'url' is a required property"),
        ("person", {"links": [{"url": "not a url"}]}, "links/0/url: 'not a url' is not a 'uri'"),
    ],
)
def test_popolo_validation_rejects_a_broken_object(export, schema, change, expected):
    collection = next(c for c, s in COLLECTION_SCHEMAS.items() if s == schema)
    valid = export[collection][0]
    assert popolo_errors(schema, valid) == []
    assert popolo_errors(schema, {**valid, **change}) == [expected]


def test_every_reference_in_the_popolo_schemas_resolves_to_a_vendored_file():
    def refs(node):
        if isinstance(node, dict):
            yield from ([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    found = {ref for schema in SCHEMAS.values() for ref in refs(schema)}
    assert "http://www.popoloproject.com/schemas/person.json#" in found
    resolver = REGISTRY.resolver()
    for ref in found:
        assert resolver.lookup(ref).contents["id"] == ref


# -- the HTTP answer and its documentation ---------------------------------------------------


def test_popolo_export_query_count_does_not_grow_with_the_data(api, queries_for, request):
    url = reverse("popolo-export")
    with_seed = queries_for(url)
    request.getfixturevalue("many_rows")
    assert len(api.get(url).json()["speeches"]) == 40 + 55
    assert queries_for(url) == with_seed == 8


def test_popolo_export_answers_304_to_a_client_holding_the_current_etag(api):
    first = api.get(reverse("popolo-export"))
    again = api.get(reverse("popolo-export"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")


def test_popolo_export_answers_406_for_a_media_type_other_than_json(api):
    response = api.get(reverse("popolo-export"), HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.json() == {
        "type": "https://summit-briefing.example/problems/not-acceptable",
        "title": "Not Acceptable",
        "status": 406,
        "detail": "Could not satisfy the request Accept header.",
        "code": "not_acceptable",
        "errors": [],
    }


@pytest.fixture(scope="module")
def documented_export_schema() -> dict:
    """The OpenAPI `PopoloExport` component as a strict JSON Schema: no undocumented keys."""
    from drf_spectacular.generators import SchemaGenerator

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    # The export's components and the enums they use; other components are none of this test's business.
    components = {
        "schemas": {
            name: copy.deepcopy(schema)
            for name, schema in schemas.items()
            if name.startswith("Popolo") or name.endswith("KindEnum")
        }
    }

    def strict(node):
        if isinstance(node, dict):
            if node.pop("nullable", False):
                node["type"] = [node["type"], "null"]
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
            for value in node.values():
                strict(value)
        elif isinstance(node, list):
            for value in node:
                strict(value)

    strict(components)
    return {"$ref": "#/components/schemas/PopoloExport", "components": components}


def test_popolo_export_matches_its_openapi_documentation(export, documented_export_schema):
    validator = Draft202012Validator(documented_export_schema, format_checker=FORMATS)
    assert [f"{error.json_path}: {error.message}" for error in validator.iter_errors(export)] == []


# -- what an article does not say ---------------------------------------------------------------


def test_popolo_event_of_a_month_keeps_the_month_and_an_unknown_date_is_left_out(api):
    factories.MeetingFactory(slug="in-july", date=datetime.date(2018, 7, 1), date_precision="month")
    factories.MeetingFactory(slug="some-wednesday", date=None, date_precision="unknown")
    events = api.get(reverse("popolo-export")).json()["events"]
    assert (by_id(events, "in-july")["start_date"], by_id(events, "in-july")["end_date"]) == (
        "2018-07",
        "2018-07",
    )
    assert "start_date" not in by_id(events, "some-wednesday")
    assert popolo_errors("event", by_id(events, "in-july")) == []
    assert popolo_errors("event", by_id(events, "some-wednesday")) == []


def test_popolo_speech_of_an_unknown_speaker_has_no_creator(api):
    article = factories.ArticleFactory(body="“The door is open,” an official said.")
    services.statement_save(
        statement=Statement(
            article=article, speaker=None, attribution="none", kind="quote", text="The door is open,"
        )
    )
    speech = next(
        s for s in api.get(reverse("popolo-export")).json()["speeches"] if s["text"] == "The door is open,"
    )
    assert (speech["creator_id"], speech["role"]) == (None, None)
    assert popolo_errors("speech", speech) == []


def test_popolo_dated_membership_names_its_post_start_and_end(api):
    official = factories.OfficialFactory(slug="ines-arrau")
    post = Post.objects.create(slug="foreign-minister-of-vantara", label="Foreign Minister of Vantara")
    Membership.objects.create(
        official=official,
        post=post,
        start_date=datetime.date(2018, 4, 26),
        end_date=datetime.date(2021, 1, 20),
    )
    export = api.get(reverse("popolo-export")).json()
    (membership,) = [m for m in export["memberships"] if m.get("post_id") == post.slug]
    assert membership == {
        "id": f"membership-ines-arrau-foreign-minister-of-vantara-{Membership.objects.get().pk}",
        "label": "Holder of a post",
        "role": "Foreign Minister of Vantara",
        "person_id": "ines-arrau",
        "post_id": "foreign-minister-of-vantara",
        "organization_id": None,
        "start_date": "2018-04-26",
        "end_date": "2021-01-20",
        "sources": [],
    }
    assert popolo_errors("membership", membership) == []
    assert by_id(export["posts"], post.slug) == {
        "id": post.slug,
        "label": post.label,
        "organization_id": None,
    }
