"""The Django admin: where editors curate briefing data.

Every model keeps its change history (who, when, what changed) through ``SimpleHistoryAdmin``.
The admin adds no rules of its own: forms validate through the models' ``full_clean()``, so
the verbatim check on statements and the once-per-meeting rule on participants read the same
here as in the importer and the API.
"""

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from briefing import rules
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


def change_link(obj, text: str) -> str:
    """An HTML link to ``obj``'s admin change page, reading ``text``."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text)


class ReadOnlyInline(admin.TabularInline):
    """A tabular inline that lists related rows, each edited on its own page."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


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


class ParticipationFormSet(BaseInlineFormSet):
    """A meeting's participants; an official listed twice is refused on the repeated row."""

    def get_form_error(self) -> str:
        # The rule's own wording (the model constraint's message), shown on the repeated row.
        constraint = next(c for c in Participation._meta.constraints if c.name.endswith("_once_per_meeting"))
        return constraint.violation_error_message

    def get_unique_error_message(self, unique_check) -> str:
        if "official" not in unique_check:
            return super().get_unique_error_message(unique_check)
        return "An official is listed more than once among the participants; keep one row each."


class ParticipationInline(admin.TabularInline):
    """A meeting's participants, with the role each held at the time and their display order."""

    model = Participation
    formset = ParticipationFormSet
    fields = ["official", "role", "position"]
    autocomplete_fields = ["official"]

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        # A new meeting has at least two participants; an existing one lists its own.
        return 2 if obj is None else 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    """Organizations officials belong to."""

    list_display = ["name", "abbreviation", "kind", "parent", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name", "abbreviation", "slug"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin):
    """Officials, with their current title and organization."""

    list_display = ["name", "title", "organization", "slug"]
    list_select_related = ["organization"]
    search_fields = ["name", "title", "slug"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    """The topic hierarchy."""

    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """Source articles; the page lists the meetings and statements taken from each."""

    list_display = ["title", "publisher", "published_on", "statement_count"]
    search_fields = ["title", "publisher", "slug"]
    list_filter = ["publisher"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleMeetingInline, StatementInline]
    # Django 6 makes https the default for scheme-less URLs; editors get it now. The body is
    # stored as published: a form must not trim it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}, models.TextField: {"strip": False}}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(statement_count=related_count(Statement, "article"))

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, article: Article) -> int:
        return article.statement_count


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    """Meetings, with their participants edited inline and their statements listed."""

    list_display = ["title", "date", "kind", "city", "participant_count"]
    search_fields = ["title", "summary", "location", "city", "slug", "participants__name"]
    list_filter = ["kind", "city", ("topics", admin.RelatedOnlyFieldListFilter)]
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


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    """Participations one by one (a meeting's page edits them all at once)."""

    list_display = ["official", "role", "meeting", "position"]
    list_select_related = ["official", "meeting"]
    search_fields = ["official__name", "role", "meeting__title"]
    autocomplete_fields = ["meeting", "official"]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    """Statements; the text must be a verbatim span of the article, and the span is computed."""

    list_display = ["quote", "speaker_name", "meeting_title", "article_title", "kind", "date"]
    list_select_related = ["speaker", "meeting", "article"]
    search_fields = ["text", "speaker__name", "meeting__title", "article__title"]
    list_filter = [
        "kind",
        ("speaker", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "date"
    autocomplete_fields = ["article", "speaker", "meeting", "topics"]
    readonly_fields = ["start", "end", "in_context"]
    # Verbatim: spaces at either end are part of the text the article must contain.
    formfield_overrides = {models.TextField: {"strip": False}}
    fieldsets = [
        (None, {"fields": ["article", "speaker", "meeting", "kind", "text", "topics"]}),
        (
            "Place in the article",
            {
                "fields": ["date", "position", "start", "end", "in_context"],
                "description": "The span (start, end) is computed from the text when it is saved; "
                "the date is the meeting's when there is a meeting.",
            },
        ),
    ]

    @admin.display(description="text", ordering="text")
    def quote(self, statement: Statement) -> str:
        return rules.snippet(statement.text, 90)

    @admin.display(description="speaker", ordering="speaker__name")
    def speaker_name(self, statement: Statement) -> str:
        return statement.speaker.name

    @admin.display(description="meeting", ordering="meeting__date", empty_value="—")
    def meeting_title(self, statement: Statement) -> str | None:
        return (
            statement.meeting and f"{rules.snippet(statement.meeting.title, 50)} ({statement.meeting.date})"
        )

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
