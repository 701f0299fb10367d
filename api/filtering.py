"""The filters' building blocks: slug and date fields whose errors name the value and say what is
expected, period filters for dates given at a precision, slug filters, choices.

An unknown slug is a 400 that names the value and suggests the closest slugs; a malformed date
a 400 that shows the value and the formats.
"""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_filters import fields
from drf_spectacular.utils import extend_schema_field

from briefing.dates import PartialDate
from briefing.suggestions import closest_slugs


def unknown_slug(queryset, value: str) -> ValidationError:
    """The error for a slug no row of ``queryset`` has: the value, and the closest slugs if any."""
    model = queryset.model
    suggestions = closest_slugs(queryset, value)
    if suggestions:
        hint = f"Did you mean {' or '.join(suggestions)}?"
    else:
        hint = f"The {model._meta.verbose_name_plural} are listed at {reverse(f'{model._meta.model_name}-list')}."
    # The value goes in as a parameter: django-filter %-formats every message with its params,
    # and a value of the client's may hold a `%`.
    return ValidationError(
        f"No {model._meta.verbose_name} has the slug “%(value)s”. {hint}",
        code="invalid_choice",
        params={"value": value},
    )


class SlugChoiceField(fields.ModelChoiceField):
    """One slug; an unknown one is an error that suggests the closest."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise unknown_slug(self.queryset, value) from None


class SlugsChoiceField(fields.ModelMultipleChoiceField):
    """Several slugs; an unknown one is an error that suggests the closest."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise unknown_slug(self.queryset, exc.params["value"]) from None


class DateField(forms.DateField):
    """A date; a malformed one is an error that shows the value and the format."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(
                "“%(value)s” is not a date: use YYYY-MM-DD, e.g. 2022-06-01.",
                code="invalid",
                params={"value": value},
            ) from exc


class DateFilter(filters.DateFilter):
    """A date filter whose error shows the expected format."""

    field_class = DateField


class PartialDateFormField(forms.CharField):
    """A date at a day's, a month's or a year's precision; a malformed one names the formats."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            raise ValidationError(
                "“%(value)s” is not a date: use YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-06 for June 2022.",
                code="invalid",
                params={"value": value},
            ) from exc


class PeriodFilter(filters.Filter):
    """Rows whose reported date lies wholly within a day, a month or a year.

    A row dated only to a month matches that month and its year, never one of its days (the
    article does not say which); a row whose date is unknown matches no date.
    """

    field_class = PartialDateFormField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(date__gte=value.start, date_end__lte=value.end)


class KnownAfterFilter(DateFilter):
    """Rows known to be on or after a day: their whole reported period is."""

    def filter(self, queryset, value):
        return queryset if value is None else queryset.filter(date__gte=value)


class KnownBeforeFilter(DateFilter):
    """Rows known to be on or before a day: their whole reported period is."""

    def filter(self, queryset, value):
        return queryset if value is None else queryset.filter(date_end__lte=value)


def choice(choices, help_text: str, what: str) -> filters.ChoiceFilter:
    """A choice filter whose error names the value and lists the choices."""
    listed = ", ".join(value for value, _ in choices)
    return filters.ChoiceFilter(
        choices=choices,
        help_text=help_text,
        error_messages={"invalid_choice": f"“%(value)s” is not a {what}. Choose from: {listed}."},
    )


def typed_as_slug(filter_: filters.Filter) -> filters.Filter:
    """Document a filter the schema generator cannot type (method or slug path) as a string."""
    return extend_schema_field({"type": "string", "description": filter_.extra["help_text"]})(filter_)


class AllOfSlugsFilter(filters.ModelMultipleChoiceFilter):
    """Repeatable slug filter: rows related to every one of the slugs given."""

    field_class = SlugsChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("conjoined", True)
        # One join per value matches each row at most once (a participant appears once per
        # meeting), so the costly SELECT DISTINCT django-filter adds by default is not needed.
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)
        typed_as_slug(self)

    def get_filter_predicate(self, v):
        # By id, not by slug through a join: PostgreSQL then plans with the statistics of that
        # very id (a prolific official has thousands of rows, a typical one a dozen).
        return {self.field_name: v.pk}


class SlugFilter(filters.ModelChoiceFilter):
    """A filter by one related row's slug."""

    field_class = SlugChoiceField


def slug_choice(model, label: str, **kwargs):
    return SlugFilter(queryset=model.objects.all(), to_field_name="slug", help_text=label, **kwargs)


def word_search(model) -> filters.CharFilter:
    """`search` over the model queryset's own `search_fields`, described from them (no drift)."""
    names = [name.replace("_", " ") for name in model.objects.all().search_fields]
    where = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return filters.CharFilter(method="filter_search", help_text=f"Words that must all occur in the {where}.")
