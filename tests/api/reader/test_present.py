"""The presentation layer: what pages show of rows, absent values included (an unknown speaker)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from api.reader import present
from briefing import reading
from tests import factories
from tests.api.reader.html import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted():
    """A synthetic article with one statement, at a meeting its speaker is not listed at."""
    article = factories.ArticleFactory()
    meeting = factories.MeetingFactory()
    factories.ParticipationFactory(meeting=meeting)
    statement = factories.statement_for(article, factories.OfficialFactory(name="Cleo Cato"), meeting)
    return article, meeting, statement


def render(template: str, **context) -> Page:
    return Page(render_to_string(template, context, request=RequestFactory().get("/read/")))


def test_a_statement_view_carries_its_provenance(quoted):
    article, meeting, statement = quoted
    view = present.statement_view(
        reading.statement_rows(type(statement).objects.filter(pk=statement.pk)).get()
    )
    assert view == present.StatementView(
        id=statement.pk,
        number=1,
        text=statement.text,
        is_quote=True,
        kind="Direct quotation",
        speaker=present.Link("Cleo Cato", reverse("reader:official-detail", args=[statement.speaker.slug])),
        meeting=present.Link(meeting.title, reverse("reader:meeting-detail", args=[meeting.slug])),
        date=present.date_label(meeting.date),
        article=present.Link(article.title, reverse("reader:article-detail", args=[article.slug])),
        in_article_url=reverse("reader:article-detail", args=[article.slug]) + f"#statement-{statement.pk}",
        span=f"characters {statement.start}–{statement.end}",
        topics=(),
        api_url=reverse("statement-detail", args=[statement.pk]),
    )


def test_an_unknown_speaker_is_named_so_and_links_nowhere(quoted):
    _, _, statement = quoted
    statement.speaker_id = None
    view = present.statement_view(statement)
    assert view.speaker == present.Link("Speaker unknown", None)
    page = render("reader/_statement.html", s=view)
    assert "Speaker unknown" in page.text
    assert not [href for href in page.hrefs() if "/officials/" in href]


def test_the_article_page_shows_an_unknown_speaker_in_the_text_and_the_list(quoted):
    article, _, statement = quoted
    loaded = reading.article_page(article)
    loaded.statements[0].speaker_id = None
    page = render("reader/article_detail.html", page=present.article_page(loaded))
    assert f"[End of statement {statement.position}, by Speaker unknown]" in page.text
    assert not [
        href for href in page.hrefs() if href.startswith("/read/officials/") and href != "/read/officials/"
    ]


def test_a_meeting_page_shows_statements_by_someone_not_listed_as_participant(client, quoted):
    _, meeting, statement = quoted
    response = client.get(reverse("reader:meeting-detail", args=[meeting.slug]))
    text = Page(response.content.decode()).text
    assert "Cleo Cato, not listed as a participant" in text
    assert statement.text in text


def test_dates_read_as_people_write_them():
    import datetime

    assert (present.date_label(datetime.date(2022, 6, 2)), present.date_label(None)) == (
        "2 June 2022",
        "Date not reported",
    )
