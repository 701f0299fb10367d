"""The article page: the body with every statement's span highlighted, linked to speaker and meeting."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefing.models import Statement
from tests import factories
from tests.api.reader.html import Page

pytestmark = pytest.mark.django_db

SEED_ARTICLE = "nato-secretary-general-visits-washington-2022"
BODY = "One: the allies agreed on a plan. Two: the plan holds firm.\n\nThree: nobody objected to it."


def said(article, speaker, text, meeting=None) -> Statement:
    """A statement quoting ``text`` of ``article``, written like any statement."""
    return factories.statement_for(article, speaker, meeting, text=text)


@pytest.fixture
def tangled():
    """An article whose statements nest, overlap, coincide (two speakers) and cross a paragraph."""
    article = factories.ArticleFactory(body=BODY)
    meeting = factories.MeetingFactory()
    meeting.articles.add(article)
    ana, ben = factories.OfficialFactory(name="Ana Alpha"), factories.OfficialFactory(name="Ben Beta")
    statements = {
        "overlapping": said(article, ana, "the allies agreed on a plan. Two: the plan", meeting),
        "overlapped": said(article, ben, "Two: the plan holds firm.", meeting),
        "nested": said(article, ana, "agreed on a plan"),
        "shared by ana": said(article, ana, "nobody objected to it.", meeting),
        "shared by ben": said(article, ben, "nobody objected to it.", meeting),
        "across paragraphs": said(article, ben, "holds firm.\n\nThree:"),
    }
    # Statements are numbered in body order: later ones renumber those after them.
    for statement in statements.values():
        statement.refresh_from_db()
    return article, statements


def article_page(client, slug: str) -> tuple[str, Page]:
    response = client.get(reverse("reader:article-detail", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    return html, Page(html)


def test_every_highlight_of_the_seed_article_is_exactly_its_statements_span(client, api):
    article = api.get(reverse("article-detail", args=[SEED_ARTICLE])).json()
    _, page = article_page(client, SEED_ARTICLE)
    highlighted = page.highlighted()
    assert set(highlighted) == {s["id"] for s in article["statements"]}
    for statement in article["statements"]:
        assert highlighted[statement["id"]] == article["body"][statement["start"] : statement["end"]]


def test_the_text_read_on_the_page_is_the_whole_body(client, api):
    article = api.get(reverse("article-detail", args=[SEED_ARTICLE])).json()
    html, _ = article_page(client, SEED_ARTICLE)
    body = html[html.index('<div class="body">') : html.index("</div>", html.index('<div class="body">'))]
    visible = re.sub(r'<span class="(ref|span-start)".*?</span></span>', "", body, flags=re.S)
    words = Page(visible).text
    assert words == " ".join(article["body"].split())


def test_nested_overlapping_and_shared_spans_each_highlight_their_own_text(client, tangled):
    article, statements = tangled
    _, page = article_page(client, article.slug)
    highlighted = page.highlighted()
    for name, statement in statements.items():
        expected = BODY[statement.start : statement.end]
        if name == "across paragraphs":
            expected = expected.replace("\n\n", "")
        assert highlighted[statement.pk] == expected, name


def test_text_covered_by_several_statements_is_one_highlight_naming_them_all(client, tangled):
    article, s = tangled
    _, page = article_page(client, article.slug)
    assert page.marks == [
        ((s["overlapping"].pk,), "the allies "),
        ((s["overlapping"].pk, s["nested"].pk), "agreed on a plan"),
        ((s["overlapping"].pk,), ". "),
        ((s["overlapping"].pk, s["overlapped"].pk), "Two: the plan"),
        ((s["overlapped"].pk,), " "),
        ((s["overlapped"].pk, s["across paragraphs"].pk), "holds firm."),
        ((s["across paragraphs"].pk,), "Three:"),
        ((s["shared by ana"].pk, s["shared by ben"].pk), "nobody objected to it."),
    ]


def test_overlap_depth_is_a_class_of_its_own(client, tangled):
    article, s = tangled
    html, _ = article_page(client, article.slug)
    assert re.findall(r'<mark class="(depth-\d)" data-statements="([\d ]+)">', html) == [
        ("depth-1", f"{s['overlapping'].pk}"),
        ("depth-2", f"{s['overlapping'].pk} {s['nested'].pk}"),
        ("depth-1", f"{s['overlapping'].pk}"),
        ("depth-2", f"{s['overlapping'].pk} {s['overlapped'].pk}"),
        ("depth-1", f"{s['overlapped'].pk}"),
        ("depth-2", f"{s['overlapped'].pk} {s['across paragraphs'].pk}"),
        ("depth-1", f"{s['across paragraphs'].pk}"),
        ("depth-2", f"{s['shared by ana'].pk} {s['shared by ben'].pk}"),
    ]


def test_a_span_shared_by_two_speakers_ends_with_a_reference_to_each(client, tangled):
    article, s = tangled
    html, _ = article_page(client, article.slug)
    ana, ben = s["shared by ana"], s["shared by ben"]
    tail = html[html.index("nobody objected to it.</mark>") :].split("</p>")[0]
    assert Page(tail).links == [
        (f"#statement-{ana.pk}", f"statement {ana.position}"),
        (reverse("reader:official-detail", args=[ana.speaker.slug]), "Ana Alpha"),
        (f"#statement-{ben.pk}", f"statement {ben.position}"),
        (reverse("reader:official-detail", args=[ben.speaker.slug]), "Ben Beta"),
    ]


def test_each_statement_has_one_start_one_reference_and_one_entry_and_no_id_repeats(client, tangled):
    article, statements = tangled
    _, page = article_page(client, article.slug)
    assert len(page.ids) == len(set(page.ids))
    for statement in statements.values():
        for prefix in ("span", "ref", "statement"):
            assert page.ids.count(f"{prefix}-{statement.pk}") == 1


def test_each_entry_links_its_speaker_its_meeting_and_its_place_in_the_text(client, tangled):
    article, s = tangled
    html, _ = article_page(client, article.slug)
    statement = s["overlapped"]
    entry = html[html.index(f'<li id="statement-{statement.pk}"') :].split("</li>")[0]
    page = Page(entry)
    assert page.links[:2] == [
        (reverse("reader:official-detail", args=[statement.speaker.slug]), "Ben Beta"),
        (reverse("reader:meeting-detail", args=[statement.meeting.slug]), statement.meeting.title),
    ]
    assert (f"#span-{statement.pk}", f"Show statement {statement.position} in the text") in page.links
    assert f"characters {statement.start}–{statement.end}" in page.text


def test_article_page_queries_do_not_grow_with_its_statements(client, tangled):
    article, _ = tangled
    counts = []
    for slug in (SEED_ARTICLE, article.slug):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reader:article-detail", args=[slug])).status_code == 200
        counts.append(len(captured))
    assert counts == [4, 4]
