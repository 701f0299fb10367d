"""Driving the Django admin's forms from tests as a browser would."""

from django.urls import reverse


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:briefing_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """What a browser submits for the admin form in ``response`` when nothing is changed."""
    data = {"_save": "Save"}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(name): value for name, value in management.initial.items()}
        if inline.has_change_permission:
            forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data
