"""Drafts, from text to data: nothing is public before every item is decided and published."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from briefing import drafting
from briefing.models import Article, Draft, Meeting, Statement
from briefing.services import drafts
from briefing.services.drafts import ACCEPT, CORRECT, REJECT, StatementDecision
from tests.gold import GOLD

pytestmark = pytest.mark.django_db

# A constructed article (fictional people and places) from the gold set.
TEXT = GOLD / "marisca-teravia-ferry-call-2022.txt"
PUBLISHED_ON = datetime.date(2022, 11, 30)


@pytest.fixture
def draft(admin_user) -> Draft:
    title, body = drafting.read_article_text(TEXT.read_bytes())
    return drafts.draft_create(title=title, body=body, published_on=PUBLISHED_ON, user=admin_user)


def accept_all(draft: Draft) -> None:
    drafts.draft_decide(
        draft=draft,
        statements=[StatementDecision(ACCEPT)] * len(draft.proposal["statements"]),
        meetings=[ACCEPT] * len(draft.proposal["meetings"]),
    )


def published_statements(draft: Draft) -> list[Statement]:
    draft.refresh_from_db()
    return list(Statement.objects.filter(article=draft.article).order_by("start").select_related("speaker"))


def test_a_new_draft_keeps_the_proposal_with_every_item_undecided_and_publishes_nothing(draft):
    assert draft.status == Draft.Status.IN_REVIEW
    assert len(draft.proposal["statements"]) >= 5
    assert draft.decisions["statements"] == [None] * len(draft.proposal["statements"])
    assert not Article.objects.filter(slug=draft.proposal["article"]["slug"]).exists()


def test_publishing_is_refused_while_an_item_is_undecided_and_names_it(draft):
    count = len(draft.proposal["statements"])
    drafts.draft_decide(draft=draft, statements=[StatementDecision(ACCEPT)] * (count - 1) + [None])

    with pytest.raises(ValidationError, match=f"undecided: statement {count}, meeting 1"):
        drafts.draft_publish(draft=draft)

    assert not Article.objects.filter(slug=draft.proposal["article"]["slug"]).exists()


def test_an_accepted_draft_publishes_every_statement_as_a_verbatim_span_of_the_article(draft):
    accept_all(draft)

    report = drafts.draft_publish(draft=draft)

    statements = published_statements(draft)
    assert draft.status == Draft.Status.PUBLISHED
    assert [s.text for s in statements] == [s["text"] for s in draft.proposal["statements"]]
    assert all(draft.article.body[s.start : s.end] == s.text for s in statements)
    assert report.total("created") > len(statements)


def test_a_rejected_statement_is_left_out_and_a_corrected_one_gets_the_editors_speaker(draft):
    proposed = draft.proposal["statements"]
    other = next(o["slug"] for o in draft.proposal["officials"] if o["slug"] != proposed[1]["speaker"])
    decisions = [StatementDecision(ACCEPT)] * len(proposed)
    decisions[0] = StatementDecision(REJECT)
    decisions[1] = StatementDecision(CORRECT, speaker=other, attribution=proposed[1]["attribution"])
    decisions[2] = StatementDecision(CORRECT, speaker=None)
    drafts.draft_decide(
        draft=draft, statements=decisions, meetings=[ACCEPT] * len(draft.proposal["meetings"])
    )

    drafts.draft_publish(draft=draft)

    statements = published_statements(draft)
    assert [s.text for s in statements] == [s["text"] for s in proposed[1:]]
    assert statements[0].speaker.slug == other
    assert (statements[1].speaker, statements[1].attribution) == (None, "none")


def test_a_rejected_meeting_is_left_out_and_its_statements_keep_their_words_only(draft):
    meetings = draft.proposal["meetings"]
    drafts.draft_decide(
        draft=draft,
        statements=[StatementDecision(ACCEPT)] * len(draft.proposal["statements"]),
        meetings=[REJECT] * len(meetings),
    )

    drafts.draft_publish(draft=draft)

    assert not Meeting.objects.filter(slug__in=[m["slug"] for m in meetings]).exists()
    assert {s.meeting_id for s in published_statements(draft)} == {None}


def test_a_correction_naming_an_unknown_official_is_refused_and_nothing_is_saved(draft):
    decisions = [None] * len(draft.proposal["statements"])
    decisions[0] = StatementDecision(CORRECT, speaker="nobody-of-that-name")

    with pytest.raises(ValidationError, match="Statement 1: no official “nobody-of-that-name”"):
        drafts.draft_decide(draft=draft, statements=decisions)

    draft.refresh_from_db()
    assert draft.decisions["statements"] == [None] * len(draft.proposal["statements"])


def test_decisions_must_match_the_proposed_items_one_for_one(draft):
    with pytest.raises(ValidationError, match="1 statements decisions for"):
        drafts.draft_decide(draft=draft, statements=[StatementDecision(ACCEPT)])


def test_naming_a_speaker_for_an_unattributed_quotation_needs_the_attribution_method(draft):
    draft.proposal["statements"][0].update(speaker=None, attribution="none")
    draft.save()
    decisions = [None] * len(draft.proposal["statements"])
    decisions[0] = StatementDecision(CORRECT, speaker=draft.proposal["officials"][0]["slug"])

    with pytest.raises(ValidationError, match="say how the article attributes it"):
        drafts.draft_decide(draft=draft, statements=decisions)


def test_a_published_or_discarded_draft_cannot_be_decided_or_published_again(draft, admin_user):
    title, body = drafting.read_article_text(TEXT.read_bytes())
    other = drafts.draft_create(title=title, body=body, published_on=PUBLISHED_ON)
    accept_all(draft)
    drafts.draft_publish(draft=draft)
    drafts.draft_discard(draft=other)

    with pytest.raises(ValidationError, match="This draft is published, no longer in review"):
        drafts.draft_publish(draft=draft)
    with pytest.raises(ValidationError, match="This draft is discarded, no longer in review"):
        drafts.draft_decide(draft=other, meetings=[ACCEPT] * len(other.proposal["meetings"]))


def test_a_second_draft_of_the_same_headline_gets_a_slug_of_its_own(draft):
    title, body = drafting.read_article_text(TEXT.read_bytes())

    second = drafts.draft_create(title=title, body=body, published_on=PUBLISHED_ON)

    assert second.proposal["article"]["slug"] == draft.proposal["article"]["slug"] + "-2"


def test_the_reviewed_fixture_drops_what_only_the_reviewer_needs(draft):
    accept_all(draft)
    draft.refresh_from_db()

    fixture = drafts.draft_reviewed_fixture(draft)

    assert all("confidence" in s for s in draft.proposal["statements"])
    assert not any("confidence" in s for s in fixture["statements"])


def test_the_review_offers_the_officials_the_article_names_not_the_whole_directory(draft):
    speakers = drafts.draft_speakers(draft)

    named = {s["speaker"] for s in draft.proposal["statements"] if s["speaker"]}
    assert named <= set(speakers)
    assert "jens-stoltenberg" not in speakers  # in the database, not in this article
