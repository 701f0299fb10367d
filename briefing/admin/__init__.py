"""The Django admin: where editors curate briefing data.

Every model keeps its change history (who, when, what changed) through ``SimpleHistoryAdmin``.
The admin adds no rules of its own: every save goes through ``briefing.services`` (the same
writes as the importer's and the API's), and the forms show the services' refusals — a
statement not verbatim or ambiguous, a body that would lose a statement, an official listed
twice — on the field at fault.
"""

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from briefing import rules, services
from briefing.admin.base import ADMIN_REASON, ReadOnlyInline, ServiceAdmin, change_link
from briefing.admin.drafts import DraftAdmin  # noqa: F401 (registered on import)
from briefing.admin.forms import (
    ArticleAdminForm,
    MeetingAdminForm,
    OfficialAdminForm,
    ParticipationFormSet,
    StatementAdminForm,
)
from briefing.admin.mentions import MentionInline
from briefing.admin.posts import MembershipInline
from briefing.models import (
    Article,
    Meeting,
    Official,
    Organization,
    Participation,
    Statement,
    Topic,
    related_count,
)

admin.site.site_header = "Summit Briefing administration"
admin.site.site_title = "Summit Briefing admin"
admin.site.index_title = "Curate the briefing data"

# Characters of article body shown either side of a statement's span.
CONTEXT_CHARS = 160


class StatementInline(ReadOnlyInline):
    """A meeting's or an article's statements, linking to each one's change page."""

    model = Statement
    fields = ["quote", "speaker", "kind", "position"]
    readonly_fields = fields
    verbose_name_plural = "statements (edit each on its own page)"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("speaker")

    @admin.display(description="text")
    def quote(self, statement: Statement) -> str:
        return change_link(statement, rules.snippet(statement.text, 90))


class ArticleMeetingInline(ReadOnlyInline):
    """The meetings an article reports, linking to each meeting's change page."""

    model = Meeting.articles.through
    fields = ["meeting_link", "meeting_date", "meeting_kind"]
    readonly_fields = fields
    verbose_name = "meeting"
    verbose_name_plural = "meetings reported (edit each on its own page)"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("meeting")

    @admin.display(description="meeting")
    def meeting_link(self, link) -> str:
        return change_link(link.meeting, link.meeting.title)

    @admin.display(description="date")
    def meeting_date(self, link):
        return link.meeting.date

    @admin.display(description="kind")
    def meeting_kind(self, link) -> str:
        return link.meeting.get_kind_display()


class ParticipationInline(admin.TabularInline):
    """A meeting's participants, with the role each held at the time and their display order."""

    model = Participation
    formset = ParticipationFormSet
    fields = ["official", "role", "post", "position"]
    autocomplete_fields = ["official", "post"]

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        # A new meeting has at least two participants; an existing one lists its own.
        return 2 if obj is None else 0


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    """Organizations officials belong to."""

    list_display = ["name", "abbreviation", "kind", "parent", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name", "abbreviation", "slug"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Official)
class OfficialAdmin(ServiceAdmin):
    """Officials, with their current title and organization, and the posts they held when."""

    form = OfficialAdminForm
    inlines = [MembershipInline]
    list_display = ["name", "title", "organization", "slug"]
    list_select_related = ["organization"]
    search_fields = ["name", "aliases", "title", "slug"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]


@admin.register(Topic)
class TopicAdmin(ServiceAdmin):
    """The topic hierarchy."""

    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    """Source articles; the page lists the meetings and statements taken from each.

    A changed body moves every statement's span with it, or is refused naming the statements
    it would lose (``services.article_save``).
    """

    form = ArticleAdminForm
    list_display = ["title", "publisher", "published_on", "statement_count"]
    search_fields = ["title", "publisher", "original_source", "slug"]
    list_filter = ["publisher", "original_source"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleMeetingInline, StatementInline, MentionInline]
    # Django 6 makes https the default for scheme-less URLs; editors get it now. The body is
    # stored as published: a form must not trim it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}, models.TextField: {"strip": False}}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(statement_count=related_count(Statement, "article"))

    def save_through(self, obj, links, form) -> None:
        services.article_save(article=obj, reason=ADMIN_REASON)

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, article: Article) -> int:
        return article.statement_count


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    """Meetings, with their participants edited inline and their statements listed.

    The meeting with its links, then its participant list, are written by the meetings
    service: one official once, one history record per row written.
    """

    form = MeetingAdminForm
    list_display = ["title", "date", "date_precision", "kind", "city", "participant_count"]
    search_fields = ["title", "summary", "location", "city", "slug", "participants__name"]
    list_filter = [
        "kind", "date_precision", "participants_complete", "city", ("topics", admin.RelatedOnlyFieldListFilter)
    ]  # fmt: skip
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title", "date"]}
    autocomplete_fields = ["topics", "articles"]

    def get_inlines(self, request: HttpRequest, obj=None) -> list:
        # A new meeting has no statements yet; they are added on the statement page.
        return [ParticipationInline] if obj is None else [ParticipationInline, StatementInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super().get_queryset(request).annotate(participant_count=related_count(Participation, "meeting"))
        )

    @admin.display(description="participants", ordering="participant_count")
    def participant_count(self, meeting: Meeting) -> int:
        return meeting.participant_count

    def save_through(self, obj, links, form) -> None:
        services.meeting_save(meeting=obj, reason=ADMIN_REASON, **links)

    def save_formset(self, request, form, formset, change) -> None:
        if not isinstance(formset, ParticipationFormSet):
            return super().save_formset(request, form, formset, change)
        services.meeting_participants_set(
            meeting=form.instance, participants=formset.participants(), reason=ADMIN_REASON
        )
        # What the admin's change message reads (the history has each row's change).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None


@admin.register(Participation)
class ParticipationAdmin(ServiceAdmin):
    """Participations one by one (a meeting's page edits them all at once)."""

    list_display = ["official", "role", "meeting", "position"]
    list_select_related = ["official", "meeting"]
    search_fields = ["official__name", "role", "meeting__title"]
    autocomplete_fields = ["meeting", "official"]


@admin.register(Statement)
class StatementAdmin(ServiceAdmin):
    """Statements; the text must be a verbatim span of the article, and the span is computed.

    Written by the statements service, under the article's lock: the span is located (the
    editor picks the occurrence when the text occurs more than once) and the article renumbered.
    """

    form = StatementAdminForm

    list_display = ["quote", "speaker_name", "meeting_title", "article_title", "kind", "date"]
    list_select_related = ["speaker", "meeting", "article"]
    search_fields = ["text", "speaker__name", "meeting__title", "article__title"]
    list_filter = [
        "kind",
        "attribution",
        ("speaker", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "date"
    autocomplete_fields = ["article", "speaker", "meeting", "topics"]
    readonly_fields = ["position", "start", "end", "in_context"]
    # Verbatim: spaces at either end are part of the text the article must contain.
    formfield_overrides = {models.TextField: {"strip": False}}
    fieldsets = [
        (None, {"fields": ["article", "kind", "text", "occurrence", "topics"]}),
        (
            "Who said it",
            {
                "fields": ["speaker", "attribution", "attribution_text", "attribution_occurrence"],
                "description": "Leave the speaker empty, with attribution “not attributed”, when the "
                "article does not say who spoke. The attributing words (“he added”) are optional.",
            },
        ),
        (
            "When and where",
            {"fields": ["meeting", "meeting_relation", "date", "date_precision", "date_as_reported"]},
        ),
        (
            "Place in the article",
            {
                "fields": ["position", "start", "end", "in_context"],
                "description": "The span (start, end) is located from the text when it is saved, and "
                "the position follows it; a statement said at its meeting takes the meeting's date.",
            },
        ),
    ]

    def save_through(self, obj, links, form) -> None:
        services.statement_save(
            statement=obj,
            topics=links.get("topics"),
            start=form.cleaned_data.get("occurrence"),
            attribution_start=form.cleaned_data.get("attribution_occurrence"),
            reason=ADMIN_REASON,
        )

    def delete_model(self, request, obj) -> None:
        services.statement_delete(statement=obj, reason=ADMIN_REASON)

    @admin.display(description="text", ordering="text")
    def quote(self, statement: Statement) -> str:
        return rules.snippet(statement.text, 90)

    @admin.display(description="speaker", ordering="speaker__name", empty_value="(not attributed)")
    def speaker_name(self, statement: Statement) -> str | None:
        return statement.speaker.name if statement.speaker_id else None

    @admin.display(description="meeting", ordering="meeting__date", empty_value="—")
    def meeting_title(self, statement: Statement) -> str | None:
        if statement.meeting is None:
            return None
        when = statement.meeting.reported_date.iso() or "date unknown"
        return f"{rules.snippet(statement.meeting.title, 50)} ({when})"

    @admin.display(description="article", ordering="article__title")
    def article_title(self, statement: Statement) -> str:
        return rules.snippet(statement.article.title, 50)

    @admin.display(description="in the article")
    def in_context(self, statement: Statement) -> str:
        if statement.pk is None:
            return self.get_empty_value_display()
        body = statement.article.body
        before = body[max(statement.start - CONTEXT_CHARS, 0) : statement.start]
        after = body[statement.end : statement.end + CONTEXT_CHARS]
        return format_html(
            '<div style="white-space: pre-wrap">…{}<mark>{}</mark>{}…</div>',
            before,
            body[statement.start : statement.end],
            after,
        )
