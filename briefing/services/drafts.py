"""Drafts, from text to published data: drafted, reviewed item by item, then imported.

- ``draft_create`` drafts an article's text (``briefing.drafting``) and keeps the proposal.
- ``draft_decide`` records the editor's decision on each proposed statement (accept, correct
  the speaker, or reject) and meeting (accept or reject).
- ``draft_publish`` imports the reviewed fixture with ``fixture_import`` — all or nothing, under
  every rule of an import — once every item is decided. Until then nothing of the draft is data.

The admin and the API both call these; the rules about decisions are written here only.
"""

import copy
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from briefing import drafting
from briefing.models import Article, Draft, Official
from briefing.services.fixtures import ImportReport
from briefing.services.importer import fixture_import

ACCEPT, CORRECT, REJECT = "accept", "correct", "reject"
STATEMENT_DECISIONS = (ACCEPT, CORRECT, REJECT)
MEETING_DECISIONS = (ACCEPT, REJECT)
# What the drafter adds to a statement for the reviewer, and the import does not take.
REVIEW_ONLY_KEYS = ("confidence",)


@dataclass(frozen=True)
class StatementDecision:
    """An editor's decision on one proposed statement.

    ``correct`` names the right speaker (an official's slug, or ``None`` for "not named in the
    article") and, when the proposal had no attribution, how the article attributes it.
    """

    decision: str
    speaker: str | None = None
    attribution: str | None = None

    def as_json(self) -> dict:
        data = {"decision": self.decision}
        if self.decision == CORRECT:
            data.update(speaker=self.speaker, attribution=self.attribution)
        return data


def draft_create(
    *,
    title: str,
    body: str,
    published_on: datetime.date | None = None,
    publisher: str = "",
    url: str = "",
    user=None,
) -> Draft:
    """Draft the article's text and keep it for review. Raises ``drafting.DraftInputError``."""
    # A new article: a slug an article (or another draft in review) has would make publishing a
    # re-import over it.
    in_review = Draft.objects.filter(status=Draft.Status.IN_REVIEW)
    proposal = drafting.draft_fixture(
        title=title,
        body=body,
        published_on=published_on,
        publisher=publisher,
        url=url,
        reserved_slugs=set(in_review.values_list("proposal__article__slug", flat=True)),
    )
    draft = Draft(
        title=title,
        body=body,
        published_on=published_on,
        publisher=publisher,
        url=url,
        proposal=proposal,
        created_by=user,
    )
    draft.decisions = draft_decisions(draft)
    draft.full_clean()
    draft.save()
    return draft


def draft_decisions(draft: Draft) -> dict:
    """The draft's decisions, one entry per proposed statement and meeting (``None``: undecided)."""
    empty = {key: [None] * len(draft.proposal[key]) for key in ("statements", "meetings")}
    return {**empty, **draft.decisions}


def draft_speakers(draft: Draft) -> dict[str, str]:
    """The officials the review offers as speakers: slug → name.

    Those the draft proposes, then those of the database it refers to (by a mention, a speaker
    or a participant): the people the article names. Not every official the database holds,
    which would make each statement's choice as long as the whole directory.
    """
    proposal = draft.proposal
    names = {official["slug"]: official["name"] for official in proposal.get("officials", [])}
    referred = {m["official"] for m in proposal.get("mentions", [])}
    referred |= {s["speaker"] for s in proposal["statements"] if s.get("speaker")}
    referred |= {p["official"] for m in proposal["meetings"] for p in m.get("participants", [])}
    known = Official.objects.filter(slug__in=referred - set(names)).order_by("name")
    names.update(known.values_list("slug", "name"))
    return names


def _statement_decision(draft: Draft, index: int, value, speakers: dict) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, StatementDecision):
        raise ValidationError(f"Statement {index + 1}: not a decision.", code="invalid")
    if value.decision not in STATEMENT_DECISIONS:
        raise ValidationError(
            f"Statement {index + 1}: the decision is one of {', '.join(STATEMENT_DECISIONS)}.", code="invalid"
        )
    if value.decision == CORRECT:
        proposed = draft.proposal["statements"][index]
        if value.speaker is not None and not (
            value.speaker in speakers or Official.objects.filter(slug=value.speaker).exists()
        ):
            raise ValidationError(f"Statement {index + 1}: no official “{value.speaker}”.", code="invalid")
        if (
            value.speaker is not None
            and proposed.get("attribution") == "none"
            and value.attribution in (None, "none")
        ):
            raise ValidationError(
                f"Statement {index + 1}: the proposal found no attribution; say how the article attributes "
                "it to the speaker you name (name, title, pronoun or continuation).",
                code="required",
            )
    return value.as_json()


def draft_decide(
    *, draft: Draft, statements: list | None = None, meetings: list | None = None, user=None
) -> Draft:
    """Record decisions on ``draft``'s proposed statements and meetings, in the proposal's order.

    Each list holds one entry per proposed item (``None``: not decided yet); a list left out
    keeps its decisions. Refused (``ValidationError``, nothing saved) for a draft no longer in
    review, a list of the wrong length, or an unknown decision or speaker.
    """
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        _in_review(draft)
        decisions = draft_decisions(draft)
        speakers = draft_speakers(draft)
        for key, values in (("statements", statements), ("meetings", meetings)):
            if values is None:
                continue
            proposed = draft.proposal[key]
            if len(values) != len(proposed):
                raise ValidationError(
                    f"{len(values)} {key} decisions for {len(proposed)} proposed {key}.", code="invalid"
                )
            if key == "statements":
                decisions[key] = [_statement_decision(draft, i, v, speakers) for i, v in enumerate(values)]
            else:
                for i, value in enumerate(values):
                    if value is not None and value not in MEETING_DECISIONS:
                        raise ValidationError(
                            f"Meeting {i + 1}: the decision is one of {', '.join(MEETING_DECISIONS)}.",
                            code="invalid",
                        )
                decisions[key] = [None if v is None else {"decision": v} for v in values]
        draft.decisions = decisions
        draft.reviewed_by = user or draft.reviewed_by
        draft.save(update_fields=["decisions", "reviewed_by"])
    return draft


def draft_undecided(draft: Draft) -> list[str]:
    """The items of ``draft`` no one has decided yet, named for the editor (“statement 3”)."""
    decisions = draft_decisions(draft)
    return [
        f"{key.rstrip('s')} {i + 1}"
        for key in ("statements", "meetings")
        for i, decision in enumerate(decisions[key])
        if decision is None
    ]


def draft_reviewed_fixture(draft: Draft) -> dict:
    """The fixture the editor's decisions make of the proposal (every item must be decided).

    Rejected statements and meetings are left out (a statement of a rejected meeting keeps its
    words, not the meeting); a corrected statement gets the speaker the editor named; what the
    drafter added for the reviewer only (confidence) is dropped.
    """
    undecided = draft_undecided(draft)
    if undecided:
        raise ValidationError(
            f"Decide every item before publishing; undecided: {', '.join(undecided)}.", code="undecided"
        )
    fixture = copy.deepcopy(draft.proposal)
    decisions = draft.decisions
    kept_meetings = [
        m for m, d in zip(fixture["meetings"], decisions["meetings"], strict=True) if d["decision"] == ACCEPT
    ]
    rejected = {m["slug"] for m in fixture["meetings"]} - {m["slug"] for m in kept_meetings}
    statements = []
    for statement, decision in zip(fixture["statements"], decisions["statements"], strict=True):
        if decision["decision"] == REJECT:
            continue
        if decision["decision"] == CORRECT:
            _corrected(statement, decision)
        if statement.get("meeting") in rejected:
            statement.pop("meeting")
            statement.pop("meeting_relation", None)
        for key in REVIEW_ONLY_KEYS:
            statement.pop(key, None)
        statements.append(statement)
    fixture["meetings"], fixture["statements"] = kept_meetings, statements
    return fixture


def _corrected(statement: dict, decision: dict) -> None:
    speaker = decision["speaker"]
    statement["speaker"] = speaker
    if speaker is None:
        statement["attribution"] = "none"
        statement.pop("attribution_text", None)
        statement.pop("attribution_start", None)
    elif decision.get("attribution") not in (None, "none"):
        statement["attribution"] = decision["attribution"]


def draft_publish(*, draft: Draft, user=None) -> ImportReport:
    """Import ``draft``'s reviewed fixture (all or nothing) and mark the draft published.

    Raises ``ValidationError`` while items are undecided or the draft is no longer in review,
    and ``FixtureError`` when the import refuses the reviewed fixture; nothing changes then.
    """
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        _in_review(draft)
        fixture = draft_reviewed_fixture(draft)
        slug = fixture["article"]["slug"]
        if Article.objects.filter(slug=slug).exists():
            raise ValidationError(
                f"An article “{slug}” exists already; publishing would import this draft over it.",
                code="unique",
            )
        report = fixture_import(data=fixture, source=f"draft {draft.pk}")
        draft.article = Article.objects.get(slug=fixture["article"]["slug"])
        draft.status = Draft.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.reviewed_by = user or draft.reviewed_by
        draft.save(update_fields=["article", "status", "published_at", "reviewed_by"])
    return report


def draft_discard(*, draft: Draft, user=None) -> Draft:
    """Set ``draft`` aside unpublished (it stays listed, as discarded)."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        _in_review(draft)
        draft.status = Draft.Status.DISCARDED
        draft.reviewed_by = user or draft.reviewed_by
        draft.save(update_fields=["status", "reviewed_by"])
    return draft


def _in_review(draft: Draft) -> None:
    if draft.status != Draft.Status.IN_REVIEW:
        raise ValidationError(
            f"This draft is {draft.get_status_display().lower()}, no longer in review.", code="invalid"
        )
