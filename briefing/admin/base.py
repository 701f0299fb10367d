"""What every admin page shares: writes through the services, and read-only listing inlines."""

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from briefing import services

# The change-history reason of every admin write.
ADMIN_REASON = "edited in the admin"


def change_link(obj, text: str) -> str:
    """An HTML link to ``obj``'s admin change page, reading ``text``."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text)


class ServiceAdmin(SimpleHistoryAdmin):
    """An admin whose saves go through ``briefing.services``, like the API's and the importer's.

    ``save_model`` hands the object (and the form's links) to ``save_through`` — by default
    ``services.record_save`` — so an admin write validates the same way, records one history
    entry with a reason, and writes nothing when nothing changed. Reverting from the history
    page runs in a transaction too, like any other admin write.
    """

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        obj._history_user = request.user
        links = {name: form.cleaned_data[name] for name in self.link_fields(form)}
        self.save_through(obj, links, form)

    def link_fields(self, form) -> list[str]:
        """The many-to-many fields the form edits (saved with the object, not by ``save_m2m``)."""
        return [f.name for f in self.model._meta.many_to_many if f.name in form.cleaned_data]

    def save_through(self, obj, links: dict, form) -> None:
        services.record_save(instance=obj, m2m=links, reason=ADMIN_REASON)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The links were saved with the object; the inlines are each admin's own.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


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
