"""Briefings: topic, official and meeting dossiers, as JSON and as Markdown."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPLICATIONS = "finland-sweden-applications"
PENTAGON = "stoltenberg-austin-pentagon-meeting-2022-06-02"


def test_topic_briefing_holds_both_speakers_statements_in_date_and_article_order(api):
    body = api.get(reverse("topic-briefing", args=[APPLICATIONS])).json()
    speakers = {s["official"]["slug"]: s for s in body["speakers"]}
    assert list(speakers) == ["jens-stoltenberg", "antony-blinken"]
    assert (
        speakers["jens-stoltenberg"]["statement_count"],
        speakers["antony-blinken"]["statement_count"],
    ) == (6, 5)
    for speaker in speakers.values():
        keys = [(s["date"], s["start"]) for s in speaker["statements"]]
        assert keys == sorted(keys)
    first = speakers["antony-blinken"]["statements"][0]
    assert (
        first["text"]
        == "US Secretary and NATO General Secretary welcomed the decision of Finland and Sweden to seek NATO membership."
    )
    assert (first["meeting"]["slug"], first["date"], first["article"]["slug"]) == (
        "stoltenberg-blinken-press-conference-2022-06-01",
        "2022-06-01",
        "nato-secretary-general-visits-washington-2022",
    )
    assert first["end"] - first["start"] == len(first["text"])


def test_topic_briefing_covers_sub_topics_and_lists_meetings_by_date(api):
    body = api.get(reverse("topic-briefing", args=["nato-enlargement"])).json()
    assert [t["slug"] for t in body["subtopics"]] == [APPLICATIONS]
    assert [m["date"] for m in body["meetings"]] == ["2022-06-01", "2022-06-01", "2022-06-02"]
    assert sum(s["statement_count"] for s in body["speakers"]) == 13


def test_topic_briefing_query_count_is_constant(queries_for, many_rows):
    assert queries_for(reverse("topic-briefing", args=["nato-enlargement"])) == queries_for(
        reverse("topic-briefing", args=[APPLICATIONS])
    )


def test_official_briefing_has_roles_meetings_with_counterparts_and_statements_by_topic(api):
    body = api.get(reverse("official-briefing", args=["lloyd-austin"])).json()
    assert body["official"]["title"] == "US Secretary of Defense"
    assert [(r["role"], [m["slug"] for m in r["meetings"]]) for r in body["roles"]] == [
        ("US Secretary of Defense", [PENTAGON])
    ]
    (meeting,) = body["meetings"]
    assert [(p["official"]["slug"], p["role"]) for p in meeting["counterparts"]] == [
        ("jens-stoltenberg", "NATO Secretary General")
    ]
    groups = {g["topic"]["slug"]: len(g["statements"]) for g in body["statements_by_topic"]}
    assert groups == {
        "nato-unity": 4,
        "russia-war-in-ukraine": 2,
        "burden-sharing": 1,
        "defence-ministerial": 1,
        "madrid-summit": 1,
    }


def test_official_briefing_groups_untagged_statements_last(api, admin_user):
    from briefing.models import Statement

    Statement.objects.get(text__startswith="I know that there’s been").topics.clear()
    groups = api.get(reverse("official-briefing", args=["lloyd-austin"])).json()["statements_by_topic"]
    assert groups[-1]["topic"] is None
    assert groups[-1]["statements"][0]["text"].startswith("I know that there’s been")


def test_meeting_briefing_gives_each_participants_statements_in_article_order(api):
    body = api.get(reverse("meeting-briefing", args=[PENTAGON])).json()
    assert [(p["official"]["slug"], len(p["statements"])) for p in body["participants"]] == [
        ("jens-stoltenberg", 1),
        ("lloyd-austin", 6),
    ]
    starts = [s["start"] for s in body["participants"][1]["statements"]]
    assert starts == sorted(starts)
    assert [t["slug"] for t in body["topics"]][:2] == ["nato-unity", "burden-sharing"]
    assert [a["slug"] for a in body["articles"]] == ["nato-secretary-general-visits-washington-2022"]


def test_topic_briefing_as_markdown_quotes_with_source_lines(api):
    response = api.get(reverse("topic-briefing", args=[APPLICATIONS]), {"format": "md"})
    text = response.content.decode()
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert text.startswith("# Briefing: Finland and Sweden's membership applications\n")
    assert "### Antony Blinken (5 statements)" in text
    assert (
        "> “I am confident that we will find a united way forward.”\n>\n"
        "> — [Jens Stoltenberg meets Antony Blinken](http://testserver/meetings/stoltenberg-blinken-meeting-2022-06-01/), "
        "1 June 2022, [NATO Secretary General visits Washington D.C.]"
        "(http://testserver/articles/nato-secretary-general-visits-washington-2022/), characters 1440–1494\n"
    ) in text


def test_markdown_is_negotiated_from_the_accept_header(api):
    response = api.get(reverse("official-briefing", args=["lloyd-austin"]), HTTP_ACCEPT="text/markdown")
    assert response.content.decode().startswith(
        "# Briefing: Lloyd J. Austin III\n\nUS Secretary of Defense, U.S. Department of Defense."
    )


def test_meeting_briefing_markdown_names_participants_and_sources(api):
    text = api.get(reverse("meeting-briefing", args=[PENTAGON]), {"format": "md"}).content.decode()
    assert "## Lloyd J. Austin III, US Secretary of Defense" in text
    assert "2 June 2022, The Pentagon, Washington D.C." in text
    assert text.rstrip().endswith(
        "## Sources\n\n- [NATO Secretary General visits Washington D.C.]"
        "(http://testserver/articles/nato-secretary-general-visits-washington-2022/)"
    )


def test_unknown_briefing_subject_in_markdown_is_a_json_404_problem(api):
    response = api.get(reverse("topic-briefing", args=["no-such-topic"]), {"format": "md"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_unknown_format_is_a_406_naming_the_formats(api):
    response = api.get(reverse("topic-briefing", args=[APPLICATIONS]), {"format": "pdf"})
    assert response.status_code == 406
    assert response.json()["detail"] == "Format “pdf” is not available here. Available: json, md."
