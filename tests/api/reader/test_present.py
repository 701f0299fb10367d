"""The presentation layer: what pages show of rows, absent values included (an unknown speaker)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from api.reader import present
from briefing import reading
from briefing.models import Meeting
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
        attribution="",
        article=present.Link(article.title, reverse("reader:article-detail", args=[article.slug])),
        in_article_url=reverse("reader:article-detail", args=[article.slug]) + f"#statement-{statement.pk}",
        span=f"characters {statement.start}–{statement.end}",
        topics=(),
        api_url=reverse("statement-detail", args=[statement.pk]),
    )


def unattributed(article, meeting=None):
    """A statement the article does not attribute to anyone (speaker unknown)."""
    return factories.statement_for(article, None, meeting, attribution="none")


def test_an_unknown_speaker_is_named_so_and_links_nowhere(quoted):
    _article, meeting, _ = quoted
    statement = unattributed(factories.ArticleFactory(), meeting)
    view = present.statement_view(
        reading.statement_rows(type(statement).objects.filter(pk=statement.pk)).get()
    )
    assert (view.speaker, view.attribution) == (
        present.Link("Speaker unknown", None),
        "Not attributed: the speaker is unknown",
    )
    page = render("reader/_statement.html", s=view)
    assert "Speaker unknown" in page.text
    assert not [href for href in page.hrefs() if href.startswith("/read/officials/")]


def test_the_article_page_shows_an_unknown_speaker_in_the_text_and_the_list(client):
    article = factories.ArticleFactory()
    statement = unattributed(article)
    response = client.get(reverse("reader:article-detail", args=[article.slug]))
    page = Page(response.content.decode())
    assert f"[End of statement {statement.position}, by Speaker unknown]" in page.text
    assert Page(response.content.decode()).highlighted() == {statement.pk: statement.text}
    assert not [
        href for href in page.hrefs() if href.startswith("/read/officials/") and href != "/read/officials/"
    ]


def test_a_meeting_page_groups_statements_of_unknown_speakers_last(client, quoted):
    _, meeting, _ = quoted
    statement = unattributed(factories.ArticleFactory(), meeting)
    response = client.get(reverse("reader:meeting-detail", args=[meeting.slug]))
    text = Page(response.content.decode()).text
    assert text.index("Speaker unknown") > text.index(meeting.participations.get().official.name)
    assert statement.text in text


@pytest.mark.parametrize(
    ("day", "precision", "wording", "label"),
    [
        (datetime.date(2022, 6, 2), "day", "", "2 June 2022"),
        (datetime.date(2022, 6, 1), "month", "", "June 2022"),
        (datetime.date(2022, 1, 1), "year", "", "2022"),
        (datetime.date(2022, 6, 1), "month", "early in June", "June 2022 (“early in June”)"),
        (None, "unknown", "", "Date not reported"),
        (None, "unknown", "on Wednesday evening", "Date not reported (“on Wednesday evening”)"),
    ],
)
def test_a_reported_date_reads_at_the_precision_the_article_gives(day, precision, wording, label):
    meeting = Meeting(title="m", date=day, date_precision=precision, date_as_reported=wording)
    meeting.clean_reported_date()
    assert present.reported_date_label(meeting) == label


def test_a_day_reads_as_people_write_it():
    assert (present.date_label(datetime.date(2022, 6, 2)), present.date_label(None)) == (
        "2 June 2022",
        "Date not reported",
    )
