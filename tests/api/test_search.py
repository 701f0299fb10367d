"""`search` finds text however its accents are encoded: queries are normalised to NFC, text is stored as given."""

import unicodedata

import pytest
from django.urls import reverse

from briefing.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Zoë Škoda"  # NFC, as typed on most keyboards and as published
NFD = unicodedata.normalize("NFD", NAME)


@pytest.fixture
def accented():
    """One row of each searchable kind whose searched text holds NAME (in NFC)."""
    article = factories.ArticleFactory(
        title=f"{NAME} visits", body=f"{NAME} said the talks went well. Then more."
    )
    official = factories.OfficialFactory(name=NAME)
    meeting = factories.MeetingFactory(title=f"Talks with {NAME}")
    return {
        "article": article.slug,
        "official": official.slug,
        "meeting": meeting.slug,
        "topic": factories.TopicFactory(name=f"{NAME} doctrine").slug,
        "organization": Organization.objects.create(slug="skoda-office", name=f"Office of {NAME}").slug,
        "statement": factories.statement_for(article, official, meeting).pk,
    }


def test_the_decomposed_form_differs_from_the_stored_one():
    assert NFD != NAME and len(NFD) == len(NAME) + 2


@pytest.mark.parametrize("basename", ["article", "official", "meeting", "topic", "organization", "statement"])
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_search_in_either_unicode_form_finds_the_row(api, accented, basename, form):
    response = api.get(reverse(f"{basename}-list"), {"search": unicodedata.normalize(form, "Zoë")})

    key = "id" if basename == "statement" else "slug"
    assert response.status_code == 200
    assert [item[key] for item in response.json()["results"]] == [accented[basename]]


def test_text_is_stored_as_given_not_normalised(api, admin_user):
    api.force_authenticate(admin_user)

    created = api.post(reverse("topic-list"), {"slug": "nfd-topic", "name": NFD}, format="json")

    assert created.status_code == 201
    assert api.get(reverse("topic-detail", args=["nfd-topic"])).json()["name"] == NFD
