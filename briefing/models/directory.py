"""Who is who: organizations and the officials who belong to them."""

from django.db import models
from simple_history.models import HistoricalRecords

from briefing import rules
from briefing.models.querysets import OfficialQuerySet, OrganizationQuerySet


class Organization(models.Model):
    """A body officials belong to: an alliance, a government, or one of its departments."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organization"
        GOVERNMENT = "government", "National government"
        DEPARTMENT = "department", "Government department or office"
        OTHER = "other", "Other"

    slug = models.SlugField(
        max_length=100, unique=True, help_text="Stable, URL-safe identifier, e.g. `nato`."
    )
    name = models.CharField(max_length=200, help_text="Full name, e.g. `North Atlantic Treaty Organization`.")
    abbreviation = models.CharField(
        max_length=40, blank=True, help_text="Short form in common use, e.g. `NATO`; empty when none."
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.OTHER, help_text="What kind of body this is."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The body this one is part of (a department's government), if any.",
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        rules.check_no_cycle(self, "parent")


class Official(models.Model):
    """A named person holding (or having held) an office."""

    slug = models.SlugField(
        max_length=100, unique=True, help_text="Stable, URL-safe identifier, e.g. `jens-stoltenberg`."
    )
    name = models.CharField(max_length=200, help_text="Full name, e.g. `Jens Stoltenberg`.")
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Current title. The role held at a given meeting is kept on the participation.",
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
        help_text="The organization the official currently belongs to.",
    )

    objects = OfficialQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name
