"""The admin's draft pages: who may review, and a published draft only read."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from briefing import drafting
from briefing.models import Draft
from briefing.services import drafts
from tests.gold import GOLD

pytestmark = pytest.mark.django_db

TEXT = (GOLD / "marisca-teravia-ferry-call-2022.txt").read_text(encoding="utf-8")


@pytest.fixture
def draft() -> Draft:
    title, body = drafting.read_article_text(TEXT.encode())
    return drafts.draft_create(title=title, body=body, published_on=datetime.date(2022, 11, 30))


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user("draft-editor", password="pw-draft-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def review_url(draft: Draft) -> str:
    return reverse("admin:briefing_draft_review", args=[draft.pk])


def test_the_review_page_highlights_each_proposed_quotation_in_the_text(editor_client, draft):
    response = editor_client.get(review_url(draft))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="draft-quote"') == len(draft.proposal["statements"])
    first = draft.proposal["statements"][0]["text"]
    assert f'<mark class="draft-quote" id="quote-1" data-statement="1"><sup>1</sup>{first}' in html


def test_text_with_markup_is_shown_as_text_on_the_review_page(editor_client):
    draft = drafts.draft_create(
        title="Markup", body='The minister said: "<script>alert(1)</script> is not a plan."'
    )

    html = editor_client.get(review_url(draft)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_staff_member_outside_editors_cannot_open_a_review(client, draft):
    user = User.objects.create_user("staff-only", password="pw-staff-only-1", is_staff=True)
    client.force_login(user)

    assert client.get(review_url(draft)).status_code == 403


def test_a_published_draft_is_shown_without_buttons_and_refuses_a_post(editor_client, draft):
    drafts.draft_decide(
        draft=draft,
        statements=[drafts.StatementDecision(drafts.ACCEPT)] * len(draft.proposal["statements"]),
        meetings=[drafts.ACCEPT] * len(draft.proposal["meetings"]),
    )
    drafts.draft_publish(draft=draft)

    page = editor_client.get(review_url(draft)).content.decode()
    refused = editor_client.post(review_url(draft), {"_discard": "1"})

    assert 'name="_publish"' not in page
    assert refused.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Draft.Status.PUBLISHED


def test_text_that_cannot_be_drafted_is_shown_on_the_add_form(editor_client):
    response = editor_client.post(reverse("admin:briefing_draft_add"), {"text": "Only a headline\n"})

    assert response.status_code == 200
    assert "no body" in response.content.decode()
    assert Draft.objects.count() == 0
