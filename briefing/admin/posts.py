"""Posts and who held them when: the dated roles behind an official's current title."""

from django.contrib import admin

from briefing.admin.base import ServiceAdmin
from briefing.models import Membership, Post


class MembershipInline(admin.TabularInline):
    """A post's holders, or an official's posts, with their first and last days."""

    model = Membership
    extra = 0
    fields = ["official", "post", "start_date", "end_date", "source"]
    autocomplete_fields = ["official", "post"]


@admin.register(Post)
class PostAdmin(ServiceAdmin):
    """Posts (offices), each held by one official at a time."""

    list_display = ["label", "organization", "slug"]
    list_select_related = ["organization"]
    search_fields = ["label", "slug"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["organization"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    """Who held which post, from when to when."""

    list_display = ["official", "post", "start_date", "end_date"]
    list_select_related = ["official", "post"]
    search_fields = ["official__name", "post__label"]
    list_filter = [("post", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "start_date"
    autocomplete_fields = ["official", "post"]
