"""Drafts in the admin: draft an article's text, review each proposed item, publish.

The review page shows the article's text with every proposed quotation highlighted and numbered,
its speaker and how the drafter attributed it; the editor accepts, corrects or rejects each
statement and meeting, then publishes. Decisions and publishing go through
``briefing.services.drafts``, as the API's do; publishing is an import under every rule.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from briefing import drafting, rules
from briefing.models import Draft, Statement
from briefing.services import drafts
from briefing.services.fixtures import FixtureError

UNNAMED = ""
DECISIONS = [(drafts.ACCEPT, "accept"), (drafts.CORRECT, "correct"), (drafts.REJECT, "reject")]


class DraftAddForm(forms.Form):
    """An article to draft: the text, and what the text does not say."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        strip=False,
        help_text="The headline on the first line, then the body, as published.",
    )
    published_on = forms.DateField(
        required=False, help_text="YYYY-MM-DD. Relative dates in the text are read against it."
    )
    publisher = forms.CharField(required=False, max_length=200)
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if "text" in data:
            try:
                data["title"], data["body"] = drafting.read_article_text(data.pop("text").encode("utf-8"))
            except drafting.DraftInputError as error:
                self.add_error("text", str(error))
        return data


class DraftReviewForm(forms.Form):
    """One decision (and, for a statement, a speaker and attribution) per proposed item."""

    def __init__(self, *args, draft: Draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        # One query for the choices of every statement, and the names the rows show.
        self.speaker_names = drafts.draft_speakers(draft)
        speakers = [(UNNAMED, "— not named in the article —"), *self.speaker_names.items()]
        decided = drafts.draft_decisions(draft)
        for i, statement in enumerate(draft.proposal["statements"]):
            decision = decided["statements"][i]
            self.fields[f"statement_{i}_decision"] = forms.ChoiceField(
                choices=DECISIONS, required=False, widget=forms.RadioSelect,
                initial=decision and decision["decision"],
            )  # fmt: skip
            speaker = statement.get("speaker") or UNNAMED
            attribution = statement.get("attribution", "none")
            if decision and decision["decision"] == drafts.CORRECT:
                speaker = decision["speaker"] or UNNAMED
                attribution = decision.get("attribution") or attribution
            self.fields[f"statement_{i}_speaker"] = forms.ChoiceField(
                choices=speakers, required=False, initial=speaker
            )
            self.fields[f"statement_{i}_attribution"] = forms.ChoiceField(
                choices=Statement.Attribution.choices, required=False, initial=attribution
            )
        for i, _meeting in enumerate(draft.proposal["meetings"]):
            decision = decided["meetings"][i]
            self.fields[f"meeting_{i}_decision"] = forms.ChoiceField(
                choices=DECISIONS[::2], required=False, widget=forms.RadioSelect,
                initial=decision and decision["decision"],
            )  # fmt: skip

    def statement_decisions(self, *, accept_undecided: bool = False) -> list:
        """The statements' decisions; a changed speaker or attribution is a correction."""
        result = []
        for i, statement in enumerate(self.draft.proposal["statements"]):
            chosen = self.cleaned_data[f"statement_{i}_decision"] or None
            speaker = self.cleaned_data[f"statement_{i}_speaker"] or None
            attribution = self.cleaned_data[f"statement_{i}_attribution"] or None
            changed = speaker != statement.get("speaker") or attribution != statement.get(
                "attribution", "none"
            )
            if chosen == drafts.REJECT:
                result.append(drafts.StatementDecision(drafts.REJECT))
            elif chosen == drafts.CORRECT or changed:
                result.append(
                    drafts.StatementDecision(drafts.CORRECT, speaker=speaker, attribution=attribution)
                )
            elif chosen or accept_undecided:
                result.append(drafts.StatementDecision(drafts.ACCEPT))
            else:
                result.append(None)
        return result

    def meeting_decisions(self, *, accept_undecided: bool = False) -> list:
        result = []
        for i, _meeting in enumerate(self.draft.proposal["meetings"]):
            chosen = self.cleaned_data[f"meeting_{i}_decision"] or None
            result.append(chosen or (drafts.ACCEPT if accept_undecided else None))
        return result

    def statement_rows(self) -> list[dict]:
        names = self.speaker_names
        return [
            {
                "number": i + 1,
                "statement": statement,
                "quote": rules.snippet(statement["text"], 160),
                "proposed_speaker": names.get(statement.get("speaker"), "not named"),
                "confidence": statement.get("confidence"),
                "decision": self[f"statement_{i}_decision"],
                "speaker": self[f"statement_{i}_speaker"],
                "attribution": self[f"statement_{i}_attribution"],
            }
            for i, statement in enumerate(self.draft.proposal["statements"])
        ]

    def meeting_rows(self) -> list[dict]:
        names = self.speaker_names
        return [
            {
                "number": i + 1,
                "meeting": meeting,
                "where": ", ".join(part for part in (meeting.get("location"), meeting.get("city")) if part),
                "participants": ", ".join(
                    names.get(p["official"], p["official"]) for p in meeting["participants"]
                ),
                "decision": self[f"meeting_{i}_decision"],
            }
            for i, meeting in enumerate(self.draft.proposal["meetings"])
        ]


def highlighted_body(draft: Draft) -> str:
    """The body as HTML: each proposed quotation marked and numbered, attributions underlined."""
    spans = []
    for i, statement in enumerate(draft.proposal["statements"]):
        spans.append((statement["start"], statement["start"] + len(statement["text"]), "quote", i))
        if statement.get("attribution_text") and statement.get("attribution_start") is not None:
            start = statement["attribution_start"]
            spans.append((start, start + len(statement["attribution_text"]), "attribution", i))
    spans.sort()
    parts, at = [], 0
    for start, end, kind, i in spans:
        if start < at:  # overlaps what is already marked (an attribution inside a quote)
            continue
        parts.append(format_html("{}", draft.body[at:start]))
        if kind == "quote":
            parts.append(
                format_html(
                    '<mark class="draft-quote" id="quote-{}" data-statement="{}"><sup>{}</sup>{}</mark>',
                    i + 1,
                    i + 1,
                    i + 1,
                    draft.body[start:end],
                )
            )
        else:
            parts.append(
                format_html(
                    '<u class="draft-attribution" data-statement="{}">{}</u>', i + 1, draft.body[start:end]
                )
            )
        at = end
    parts.append(format_html("{}", draft.body[at:]))
    # Every part is escaped by format_html: the joined whole is safe.
    return mark_safe("".join(parts))


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """Drafts: added from text, then reviewed and published (or discarded) on the review page."""

    list_display = [
        "title",
        "status",
        "published_on",
        "statement_count",
        "created_by",
        "created_at",
        "review",
    ]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = [
        "title",
        "status",
        "published_on",
        "publisher",
        "url",
        "article",
        "created_by",
        "created_at",
    ]

    @admin.display(description="proposed statements")
    def statement_count(self, draft: Draft) -> int:
        return len(draft.proposal.get("statements", []))

    @admin.display(description="")
    def review(self, draft: Draft) -> str:
        label = "Review" if draft.status == Draft.Status.IN_REVIEW else "View"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:briefing_draft_review", args=[draft.pk]), label
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="briefing_draft_review"
            ),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DraftAddForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                draft = drafts.draft_create(**form.cleaned_data, user=request.user)
            except (drafting.DraftInputError, ValidationError) as error:
                form.add_error(None, getattr(error, "messages", [str(error)]))
            else:
                count = len(draft.proposal["statements"])
                self.message_user(
                    request, f"Drafted “{draft.title}”: {count} statements to review.", messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:briefing_draft_review", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": "Draft an article",
        }
        return TemplateResponse(request, "admin/briefing/draft/add.html", context)

    def change_view(self, request: HttpRequest, object_id, form_url: str = "", extra_context=None):
        return HttpResponseRedirect(reverse("admin:briefing_draft_review", args=[object_id]))

    def review_view(self, request: HttpRequest, pk: int):
        draft = get_object_or_404(Draft, pk=pk)
        if not self.has_view_permission(request, draft):
            raise PermissionDenied
        in_review = draft.status == Draft.Status.IN_REVIEW
        form = DraftReviewForm(request.POST or None, draft=draft)
        if request.method == "POST":
            if not (in_review and self.has_change_permission(request, draft)):
                raise PermissionDenied
            if form.is_valid():
                done = self._act(request, draft, form)
                if done:
                    return HttpResponseRedirect(done)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Review draft: {draft.title}",
            "draft": draft,
            "form": form,
            "in_review": in_review,
            "body": highlighted_body(draft),
            "statements": form.statement_rows(),
            "meetings": form.meeting_rows(),
            "undecided": drafts.draft_undecided(draft),
        }
        return TemplateResponse(request, "admin/briefing/draft/review.html", context)

    def _act(self, request: HttpRequest, draft: Draft, form: DraftReviewForm) -> str | None:
        """Save the decisions, then publish or discard as asked; where to go next (None: stay)."""
        here = reverse("admin:briefing_draft_review", args=[draft.pk])
        try:
            if "_discard" in request.POST:
                drafts.draft_discard(draft=draft, user=request.user)
                self.message_user(
                    request, "The draft was discarded; nothing was published.", messages.SUCCESS
                )
                return reverse("admin:briefing_draft_changelist")
            accept_rest = "_accept_rest" in request.POST
            drafts.draft_decide(
                draft=draft,
                statements=form.statement_decisions(accept_undecided=accept_rest),
                meetings=form.meeting_decisions(accept_undecided=accept_rest),
                user=request.user,
            )
            if "_publish" in request.POST:
                report = drafts.draft_publish(draft=draft, user=request.user)
                draft.refresh_from_db()
                self.message_user(request, f"Published “{draft.article}”: {report}", messages.SUCCESS)
                return reverse("admin:briefing_article_change", args=[draft.article_id])
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return None
        except FixtureError as error:
            self.message_user(request, f"Not published: {error.record}: {error.message}", messages.ERROR)
            return None
        self.message_user(request, "Decisions saved.", messages.SUCCESS)
        return here
