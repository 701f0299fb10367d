"""The Django admin: where editors curate briefing data."""

from django.contrib import admin

from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["official"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "parent"]
    search_fields = ["name", "abbreviation", "slug"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organization"]
    search_fields = ["name", "title", "slug"]
    list_filter = ["organization"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on"]
    search_fields = ["title", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "kind", "location", "city"]
    search_fields = ["title", "summary", "location", "city"]
    list_filter = ["kind", "city"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "articles"]
    inlines = [ParticipationInline]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "meeting", "kind", "article"]
    search_fields = ["text", "speaker__name"]
    list_filter = ["kind", "speaker"]
    date_hierarchy = "date"
    autocomplete_fields = ["speaker", "meeting", "article", "topics"]
    readonly_fields = ["start", "end"]
