"""Every gold fixture imports through the real importer and exports back to the same data.

The gold set is what `manage.py draft` is scored against, and what an editor publishes a
reviewed draft as; so each file must import as it is (`services.article_import`) and survive
`services.fixture_export` unchanged, apart from what the exporter writes in its own canonical way
(offsets only where the text is ambiguous, empty defaults spelled out, records in slug order).
"""

import json

import pytest

from briefing import services
from briefing.models import (
    Article,
    ImportRecord,
    Meeting,
    Membership,
    Mention,
    Official,
    Organization,
    Participation,
    Post,
    Statement,
    Topic,
)
from tests.conftest import SEED_PATH
from tests.gold import GOLD, PATHS, load

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "article": {"publisher": "", "original_source": "", "url": "", "published_on": None},
    "organizations": {"abbreviation": "", "kind": "other", "parent": None},
    "officials": {"aliases": [], "title": "", "organization": None},
    "posts": {"organization": None},
    "memberships": {"start_date": None, "end_date": None, "source": ""},
    "topics": {"description": "", "parent": None},
    "mentions": {"name_as_printed": "", "title_as_given": "", "honorifics": ""},
    "meetings": {
        "date_as_reported": "",
        "location": "",
        "city": "",
        "summary": "",
        "topics": [],
        "participants_complete": True,
        "inferred": [],
    },
    "statements": {"meeting": None, "topics": []},
}


def nearest(body: str, text: str, start: int) -> int:
    """The offset of the occurrence of ``text`` nearest ``start`` (how the importer finds it)."""
    found, offset = [], body.find(text)
    while offset >= 0:
        found.append(offset)
        offset = body.find(text, offset + 1)
    return min(found, key=lambda at: abs(at - start))


def normalised(fixture: dict) -> dict:
    """The fixture's imported data in one canonical form, so a file and its export compare equal."""
    body = fixture["article"]["body"]
    out = {"article": {**DEFAULTS["article"], **fixture["article"]}}
    for kind in ("organizations", "officials", "posts", "topics", "meetings"):
        out[kind] = {row["slug"]: {**DEFAULTS[kind], **row} for row in fixture.get(kind, [])}
    for meeting in out["meetings"].values():
        meeting["topics"] = sorted(meeting["topics"])
        meeting["inferred"] = sorted(meeting["inferred"])
        meeting["participants"] = sorted(meeting["participants"], key=lambda p: p["official"])
    out["memberships"] = sorted(
        ({**DEFAULTS["memberships"], **row} for row in fixture.get("memberships", [])),
        key=lambda m: (m["official"], m["post"], m["start_date"] or ""),
    )
    out["mentions"] = [
        {**DEFAULTS["mentions"], **row, "start": row.get("start", body.find(row["text"]))}
        for row in fixture.get("mentions", [])
    ]
    out["statements"] = []
    for row in fixture["statements"]:
        row = {**DEFAULTS["statements"], **row, "start": row.get("start", body.find(row["text"]))}
        if row["meeting"]:
            row.setdefault("meeting_relation", "at")
        if "attribution_text" in row:
            row.setdefault("attribution_start", nearest(body, row["attribution_text"], row["start"]))
        row["topics"] = sorted(row["topics"])
        out["statements"].append(row)
    return out


@pytest.fixture
def empty_database():
    """No briefing rows and no import records (as for a scorer's fresh database); rolled back after."""
    for model in (
        Statement,
        Participation,
        Meeting,
        Mention,
        Article,
        Membership,
        Post,
        Official,
        ImportRecord,
    ):
        model.objects.all().delete()
    while Topic.objects.exists():
        Topic.objects.filter(children__isnull=True).delete()
    while Organization.objects.exists():
        Organization.objects.filter(children__isnull=True).delete()


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_gold_fixture_imports_and_exports_back_to_the_same_data(path):
    gold = load(path)

    report = services.article_import(path=path)
    exported = services.fixture_export(article=Article.objects.get(slug=gold["article"]["slug"]))

    assert report.total("created") > 0
    assert normalised(exported) == normalised(gold)


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_gold_fixture_keeps_its_counts_and_spans_in_the_database(path):
    gold = load(path)
    services.article_import(path=path)
    article = Article.objects.get(slug=gold["article"]["slug"])

    statements = list(Statement.objects.filter(article=article).order_by("position"))
    mentions = list(Mention.objects.filter(article=article).order_by("start"))
    assert [(s.start, s.text, s.attribution) for s in statements] == [
        (row["start"], row["text"], row["attribution"]) for row in gold["statements"]
    ]
    assert [(m.start, m.text) for m in mentions] == [(row["start"], row["text"]) for row in gold["mentions"]]
    assert Meeting.objects.filter(articles=article).count() == len(gold["meetings"])


@pytest.mark.usefixtures("empty_database")
def test_the_whole_gold_set_imports_into_one_database():
    for path in PATHS:
        services.article_import(path=path)

    assert set(Article.objects.values_list("slug", flat=True)) == {load(p)["article"]["slug"] for p in PATHS}
    assert Statement.objects.count() == sum(len(load(p)["statements"]) for p in PATHS)
    assert Mention.objects.count() == sum(len(load(p)["mentions"]) for p in PATHS)


@pytest.mark.usefixtures("empty_database")
def test_importing_the_gold_set_again_changes_nothing():
    for path in PATHS:
        services.article_import(path=path)
    again = [services.article_import(path=path) for path in PATHS]

    assert [(r.total("created"), r.total("updated"), r.total("deleted")) for r in again] == [(0, 0, 0)] * len(
        PATHS
    )


def test_the_gold_seed_imported_over_its_version_1_copy_writes_every_version_2_value():
    assert json.loads(SEED_PATH.read_text(encoding="utf-8")).get("format", 1) == 1
    gold = GOLD / SEED_PATH.name

    report = services.article_import(path=gold)

    assert report.notes == []
