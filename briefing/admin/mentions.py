"""Mentions: where an article names an official, as printed — each a verbatim span of its body."""

from django.contrib import admin
from django.utils.html import format_html

from briefing import rules, services
from briefing.admin.base import ADMIN_REASON, ReadOnlyInline, ServiceAdmin, change_link
from briefing.admin.forms import MentionAdminForm
from briefing.models import Mention

# Characters of article body shown either side of a mention's span.
CONTEXT_CHARS = 80


class MentionInline(ReadOnlyInline):
    """An article's mentions, linking to each one's change page."""

    model = Mention
    fields = ["mention", "official", "title_as_given", "start"]
    readonly_fields = fields
    verbose_name_plural = "mentions of officials (edit each on its own page)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("official")

    @admin.display(description="as printed")
    def mention(self, mention: Mention) -> str:
        return change_link(mention, rules.snippet(mention.text, 60))


@admin.register(Mention)
class MentionAdmin(ServiceAdmin):
    """Mentions; the text must be a verbatim span of the article, located when saved."""

    form = MentionAdminForm
    list_display = ["text", "official", "title_as_given", "article", "start"]
    list_select_related = ["official", "article"]
    search_fields = ["text", "official__name", "title_as_given", "article__title"]
    list_filter = [
        ("official", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    autocomplete_fields = ["article", "official"]
    readonly_fields = ["start", "end", "in_context"]
    fields = [
        "article", "official", "text", "occurrence", "name_as_printed", "title_as_given", "honorifics",
        "start", "end", "in_context",
    ]  # fmt: skip

    def save_through(self, obj, links, form) -> None:
        services.mention_save(mention=obj, start=form.cleaned_data.get("occurrence"), reason=ADMIN_REASON)

    @admin.display(description="in the article")
    def in_context(self, mention: Mention) -> str:
        if mention.pk is None:
            return self.get_empty_value_display()
        body = mention.article.body
        return format_html(
            '<div style="white-space: pre-wrap">…{}<mark>{}</mark>{}…</div>',
            body[max(mention.start - CONTEXT_CHARS, 0) : mention.start],
            body[mention.start : mention.end],
            body[mention.end : mention.end + CONTEXT_CHARS],
        )
