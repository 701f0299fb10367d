"""A date as the article gives it, for the models that have one (meetings and statements)."""

from django.db import models
from django.db.models import F, Q

from briefing import rules, validators
from briefing.dates import PartialDate, Precision


class ReportedDate(models.Model):
    """The date fields of a meeting or statement: the period the article names, and its words.

    ``date`` is the day, or the first day of the month or year when only that is known;
    ``date_end`` the last day of that period. Both are empty when the date is unknown.
    """

    date = models.DateField(
        null=True,
        blank=True,
        help_text="The day; the first day of the month or year when the article gives only that; "
        "empty when it does not say.",
    )
    date_end = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The last day of the period `date` stands for (equal to `date` for a known day).",
    )
    date_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date the article gives: the day, the month, the year, or nothing.",
    )
    date_as_reported = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        blank=True,
        help_text="The article's own words for the date, e.g. `Thursday (17 May)`, `on Wednesday evening`.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(date__isnull=True) | Q(date__gte=rules.EARLIEST_DATE),
                name="%(app_label)s_%(class)s_date_plausible",
                violation_error_message=rules.EARLIEST_DATE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=(
                    Q(date_precision=Precision.UNKNOWN, date__isnull=True, date_end__isnull=True)
                    | (
                        ~Q(date_precision=Precision.UNKNOWN)
                        & Q(date__isnull=False, date_end__isnull=False, date_end__gte=F("date"))
                    )
                ),
                name="%(app_label)s_%(class)s_date_period",
                violation_error_message="A date is either unknown (no day given) or a day, month or year.",
            ),
        ]

    def save(self, *args, **kwargs):
        # The period follows the day and precision however the row is written (bulk writes
        # must set it themselves: see ``clean_reported_date``).
        self.clean_reported_date()
        super().save(*args, **kwargs)

    @property
    def reported_date(self) -> PartialDate:
        """The date as a period at its precision."""
        return PartialDate.of(self.date, self.date_precision)

    def set_reported_date(self, value: PartialDate) -> None:
        """Store ``value`` (a period at a precision) in the date fields."""
        self.date, self.date_end, self.date_precision = value.start, value.end, value.precision

    def clean_reported_date(self) -> None:
        """Make the stored period agree with the day and precision given (the admin's two fields).

        A day without a precision is a day; a month's or year's day becomes its period's first.
        """
        if self.date is None:
            self.date_precision = Precision.UNKNOWN
        elif self.date_precision == Precision.UNKNOWN:
            self.date_precision = Precision.DAY
        self.set_reported_date(PartialDate.of(self.date, self.date_precision))
