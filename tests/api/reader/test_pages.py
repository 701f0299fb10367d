"""The reader's pages: what each shows, that lists select what the API selects, and their queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.reader.html import Page, section

pytestmark = pytest.mark.django_db

PENTAGON = "stoltenberg-austin-pentagon-meeting-2022-06-02"
STATEMENT_LINK = re.compile(r"^/read/articles/[-\w]+/#statement-(\d+)$")


def get_page(client, url: str, **params) -> tuple[str, Page]:
    """The HTML of a reader page (asserting 200) and the page parsed."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    return html, Page(html)


def queries(client, url: str) -> int:
    """How many SQL queries a GET of the reader page ``url`` takes (asserting 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    return len(captured)


def result_meetings(html: str) -> list[str]:
    """The slugs of the meetings a list shows, in order."""
    hrefs = Page(section(html, "results")).hrefs()
    return [h.split("/")[3] for h in hrefs if re.fullmatch(r"/read/meetings/[-\w]+/", h)]


def result_statements(html: str) -> list[int]:
    """The ids of the statements a list shows, in order."""
    hrefs = Page(section(html, "results")).hrefs()
    return [int(m.group(1)) for h in hrefs if (m := STATEMENT_LINK.match(h))]


def test_home_says_what_this_is_and_links_collections_docs_schema_exports_and_admin(client):
    _, page = get_page(client, reverse("reader:home"))
    assert "who met whom, when and where, about what, and who said what" in page.text
    hrefs = set(page.hrefs())
    for name in ["meeting-list", "official-list", "topic-list", "statement-list", "article-list"]:
        assert reverse(f"reader:{name}") in hrefs
        assert f"{reverse(name)}?format=json" in hrefs
    assert {
        reverse("swagger-ui"),
        reverse("redoc"),
        reverse("schema"),
        reverse("meeting-calendar"),
        reverse("popolo-export"),
        f"{reverse('meeting-list')}?format=csv",
        f"{reverse('statement-list')}?format=csv",
        reverse("admin:index"),
    } <= hrefs


def test_home_shows_the_latest_meetings(client, api):
    latest = api.get(reverse("meeting-list"), {"page_size": 5}).json()["results"]
    html, _ = get_page(client, reverse("reader:home"))
    assert result_meetings(html.replace('aria-labelledby="latest"', 'aria-labelledby="results"')) == [
        m["slug"] for m in latest
    ]


def test_home_links_no_other_host_and_loads_only_its_own_stylesheet(client):
    html, page = get_page(client, reverse("reader:home"))
    assert not [h for h in page.hrefs() if h.startswith(("http:", "https:", "//"))]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/reader/reader.css"]
    assert "<script" not in html


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"official": ["jens-stoltenberg", "lloyd-austin"]},
        {"topic": "nato-enlargement"},
        {"search": "press conference"},
        {"ordering": "title"},
        {"page_size": "2"},
    ],
)
def test_meeting_list_shows_the_meetings_the_api_answers_for_the_same_query(client, api, query):
    html, _ = get_page(client, reverse("reader:meeting-list"), **query)
    answer = api.get(reverse("meeting-list"), query).json()
    assert result_meetings(html) == [m["slug"] for m in answer["results"]]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"search": "Finland Sweden"},
        {"speaker": "antony-blinken", "topic": "nato-enlargement"},
        {"kind": "paraphrase", "ordering": "position"},
        {"date_after": "2022-06-02"},
    ],
)
def test_statement_search_shows_the_statements_the_api_answers_for_the_same_query(client, api, query):
    html, _ = get_page(client, reverse("reader:statement-list"), **query)
    answer = api.get(reverse("statement-list"), query).json()
    assert result_statements(html) == [s["id"] for s in answer["results"]]


def test_statement_search_facets_count_what_the_api_facets_count(client, api):
    html, _ = get_page(client, reverse("reader:statement-list"), search="NATO")
    facets = section(html, "facet-speaker")
    answer = api.get(reverse("statement-list"), {"search": "NATO", "facet": "speaker"}).json()
    shown = re.findall(r">([^<>]+)</a>\s*<span class=\"count\">(\d+)<", facets)
    assert [(label, int(count)) for label, count in shown] == [
        (row["label"], row["count"]) for row in answer["facets"]["speaker"]
    ]


def test_a_facet_value_narrows_the_search_and_the_selected_value_widens_it_back(client, api):
    html, page = get_page(client, reverse("reader:statement-list"), search="NATO")
    narrow = dict((text, href) for href, text in Page(section(html, "facet-speaker")).links)["Antony Blinken"]
    assert narrow == "?search=NATO&speaker=antony-blinken"
    html, page = get_page(client, reverse("reader:statement-list") + narrow)
    answer = api.get(reverse("statement-list"), {"search": "NATO", "speaker": "antony-blinken"}).json()
    assert result_statements(html) == [s["id"] for s in answer["results"]]
    assert "Filters in force Speaker: Antony Blinken Remove" in page.text
    selected = Page(section(html, "facet-speaker")).links
    assert ("?search=NATO", "Remove the filter: ✓ Antony Blinken") in selected


def test_the_filters_in_force_read_as_names_dates_and_words_each_with_a_link_dropping_it(client):
    html, _ = get_page(
        client,
        reverse("reader:statement-list"),
        search="NATO",
        speaker="antony-blinken",
        date_after="2022-06-01",
    )
    shown = Page(section(html, "active-filters"))
    assert [(text, href) for href, text in shown.links] == [
        ("Remove the filter Speaker: Antony Blinken", "?search=NATO&date_after=2022-06-01"),
        ("Remove the filter Date after: 1 June 2022", "?search=NATO&speaker=antony-blinken"),
        ("Remove the filter Search: “NATO”", "?speaker=antony-blinken&date_after=2022-06-01"),
        ("Clear all filters", "?"),
    ]


def test_a_month_facet_selects_that_month_with_the_date_range_filters(client):
    html, _ = get_page(client, reverse("reader:meeting-list"))
    months = dict((text, href) for href, text in Page(section(html, "facet-date")).links)
    assert months["June 2022"] == "?date_after=2022-06-01&date_before=2022-06-30"


def test_an_official_facet_adds_to_the_officials_already_chosen(client):
    html, _ = get_page(client, reverse("reader:meeting-list"), official="jens-stoltenberg")
    links = dict((text, href) for href, text in Page(section(html, "facet-official")).links)
    assert links["Lloyd J. Austin III"] == "?official=jens-stoltenberg&official=lloyd-austin"


def test_next_page_link_continues_where_the_page_ends(client, api):
    html, page = get_page(client, reverse("reader:statement-list"), page_size="3")
    (next_link,) = [href for href, text in page.links if text == "Next page"]
    following, _ = get_page(client, reverse("reader:statement-list") + next_link)
    answer = api.get(reverse("statement-list"), {"page_size": "6"}).json()
    ids = [s["id"] for s in answer["results"]]
    assert (result_statements(html), result_statements(following)) == (ids[:3], ids[3:])


def test_a_cursor_from_the_api_works_in_the_reader_and_back(client, api):
    api_next = api.get(reverse("statement-list"), {"page_size": 3}).json()["next"]
    query = api_next.partition("?")[2]
    html, page = get_page(client, f"{reverse('reader:statement-list')}?{query}")
    api_page = api.get(f"{reverse('statement-list')}?{query}").json()
    assert result_statements(html) == [s["id"] for s in api_page["results"]]
    (reader_next,) = [href for href, text in page.links if text == "Next page"]
    following = api.get(reverse("statement-list") + reader_next).json()
    assert following["results"] == api.get(api_page["next"]).json()["results"]


def test_a_bad_query_answers_400_with_the_errors_the_api_gives(client, api):
    response = client.get(reverse("reader:statement-list"), {"speaker": "nobody", "colour": "red"})
    problem = api.get(reverse("statement-list"), {"speaker": "nobody", "colour": "red"}).json()
    assert response.status_code == 400
    text = Page(response.content.decode()).text
    assert problem["errors"]
    for error in problem["errors"]:
        assert f"{error['field']}: {error['message']}" in text


@pytest.mark.parametrize(
    "url",
    [
        reverse("reader:meeting-detail", args=["no-such-meeting"]),
        reverse("reader:official-detail", args=["no-such-official"]),
        reverse("reader:topic-detail", args=["no-such-topic"]),
        reverse("reader:article-detail", args=["no-such-article"]),
        reverse("reader:statement-detail", args=[987654321]),
        "/read/no-such-page/",
    ],
)
def test_an_unknown_object_is_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert f"Nothing is at {url}." in Page(response.content.decode()).text


def test_meeting_page_shows_participants_roles_topics_sources_and_who_said_what(client, api):
    meeting = api.get(reverse("meeting-detail", args=[PENTAGON])).json()
    html, page = get_page(client, reverse("reader:meeting-detail", args=[PENTAGON]))
    assert f"<title>{meeting['title']} — Summit Briefing</title>" in html
    assert f"{meeting['title']} 2 June 2022 · Bilateral meeting · The Pentagon, Washington D.C." in page.text
    participants = Page(section(html, "participants")).text
    for p in meeting["participants"]:
        assert f"{p['official']['name']} {p['role']}" in participants
    assert [t for _, t in Page(section(html, "topics")).links][: len(meeting["topics"])] == [
        t["name"] for t in meeting["topics"]
    ]
    assert [t for _, t in Page(section(html, "sources")).links] == [a["title"] for a in meeting["articles"]]
    briefing = section(html, "briefing")
    assert result_statements(f'<section aria-labelledby="results">{briefing}</section>') == [
        s["id"] for s in meeting["statements"]
    ]
    assert "Lloyd J. Austin III, US Secretary of Defense" in Page(briefing).text


def test_official_page_shows_roles_meetings_with_counterparts_and_statements_by_topic(client, api):
    briefing = api.get(reverse("official-briefing", args=["lloyd-austin"])).json()
    html, page = get_page(client, reverse("reader:official-detail", args=["lloyd-austin"]))
    assert "Lloyd J. Austin III US Secretary of Defense" in page.text
    roles = Page(section(html, "roles")).text
    assert roles.startswith(
        "Roles held US Secretary of Defense at Jens Stoltenberg meets Lloyd J. Austin III"
    )
    meetings = Page(section(html, "meetings")).text
    assert "As US Secretary of Defense, with Jens Stoltenberg (NATO Secretary General)." in meetings
    topics = [
        text for href, text in Page(section(html, "statements")).links if href.startswith("/read/topics/")
    ]
    assert [t for t in dict.fromkeys(topics)][: len(briefing["statements_by_topic"])] == [
        g["topic"]["name"] for g in briefing["statements_by_topic"] if g["topic"]
    ]


def test_topic_page_shows_subtopics_meetings_and_each_speakers_statements(client, api):
    briefing = api.get(reverse("topic-briefing", args=["nato-enlargement"])).json()
    html, page = get_page(client, reverse("reader:topic-detail", args=["nato-enlargement"]))
    assert "Covers also: " + ", ".join(t["name"] for t in briefing["subtopics"]) + "." in page.text
    assert result_meetings(f'<section aria-labelledby="results">{section(html, "meetings")}</section>') == [
        m["slug"] for m in briefing["meetings"]
    ]
    who = Page(section(html, "who")).text
    for speaker in briefing["speakers"]:
        count = speaker["statement_count"]
        assert f"{speaker['official']['name']} {count} statement{'s' * (count != 1)}" in who


def test_topic_list_nests_sub_topics_under_their_parent(client):
    html, _page = get_page(client, reverse("reader:topic-list"))
    nato = html.index(f'href="{reverse("reader:topic-detail", args=["nato-enlargement"])}"')
    child = html.index(f'href="{reverse("reader:topic-detail", args=["finland-sweden-applications"])}"')
    between = html[nato:child]
    assert between.count("<ul>") == 1 and "</li>" not in between


def test_official_list_shows_counts_the_api_gives(client, api):
    _html, page = get_page(client, reverse("reader:official-list"), search="Stoltenberg")
    (official,) = api.get(reverse("official-list"), {"search": "Stoltenberg"}).json()["results"]
    assert (
        f"{official['name']} {official['title']} {official['organization']['name']} "
        f"{official['meeting_count']} {official['statement_count']}"
    ) in page.text


def test_a_statements_own_address_leads_to_its_span_in_the_article(client, api):
    statement = api.get(reverse("statement-list"), {"page_size": 1}).json()["results"][0]
    response = client.get(reverse("reader:statement-detail", args=[statement["id"]]))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("reader:article-detail", args=[statement["article"]["slug"]])
        + f"#statement-{statement['id']}"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [("meeting-list", 8), ("statement-list", 7), ("official-list", 1), ("article-list", 1)],
)
def test_list_pages_run_the_same_queries_whatever_the_page_size(client, many_rows, name, expected):
    url = reverse(f"reader:{name}")
    assert queries(client, f"{url}?page_size=1") == queries(client, f"{url}?page_size=50") == expected


def test_meeting_page_queries_do_not_grow_with_participants_or_statements(client, many_rows):
    from briefing.models import Meeting

    small = Meeting.objects.filter(slug__startswith="synthetic-").first().slug
    assert queries(client, reverse("reader:meeting-detail", args=[PENTAGON])) == 7
    assert queries(client, reverse("reader:meeting-detail", args=[small])) == 7


def test_official_page_queries_do_not_grow_with_meetings_or_statements(client, many_rows):
    from briefing.models import Official

    small = Official.objects.filter(slug__startswith="synthetic-", statements__isnull=False).first().slug
    assert queries(client, reverse("reader:official-detail", args=["jens-stoltenberg"])) == 5
    assert queries(client, reverse("reader:official-detail", args=[small])) == 5


def test_topic_pages_queries_do_not_grow_with_the_topic(client, many_rows):
    from briefing.models import Topic

    synthetic = Topic.objects.filter(slug__startswith="synthetic-").first().slug
    assert queries(client, reverse("reader:topic-detail", args=["nato-enlargement"])) == 7
    assert queries(client, reverse("reader:topic-detail", args=[synthetic])) == 7
    assert queries(client, reverse("reader:topic-list")) == 1


def test_home_runs_three_queries(client, many_rows):
    assert queries(client, reverse("reader:home")) == 3
