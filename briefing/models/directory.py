"""Who is who: organizations and the officials who belong to them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from briefing import rules, validators
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
    name = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        help_text="Full name, e.g. `North Atlantic Treaty Organization`.",
    )
    abbreviation = models.CharField(
        validators=[validators.single_line_text],
        max_length=40,
        blank=True,
        help_text="Short form in common use, e.g. `NATO`; empty when none.",
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
    name = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        help_text="Canonical full name, e.g. `Jens Stoltenberg`.",
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text='Other names the official goes by, e.g. `["Mike Pompeo"]`; each article\'s wording is a mention.',
    )
    title = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        blank=True,
        help_text="Current title as an editor sets it; empty: the post of the latest ongoing membership. "
        "The role held at a given meeting is kept on the participation.",
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

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in self.aliases
        ):
            raise ValidationError({"aliases": "A list of names (non-empty strings)."})
        for alias in self.aliases:
            try:
                validators.single_line_text(alias)
            except ValidationError as exc:
                raise ValidationError({"aliases": exc.messages}) from exc
        self.aliases = list(dict.fromkeys(a for a in self.aliases if a != self.name))


class Post(models.Model):
    """An office that one official holds at a time: `US Secretary of State`."""

    slug = models.SlugField(
        max_length=100, unique=True, help_text="Stable, URL-safe identifier, e.g. `us-secretary-of-state`."
    )
    label = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        help_text="The post's name, e.g. `US Secretary of State`.",
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
        help_text="The organization the post is in.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label


class Membership(models.Model):
    """An official's holding of a post, from a day to a day (Popolo's membership of a post)."""

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="memberships", help_text="Who held the post."
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="memberships", help_text="The post."
    )
    start_date = models.DateField(
        null=True, blank=True, help_text="First day in the post; empty when unknown."
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day in the post; empty while it is held (or when unknown)."
    )
    source = models.CharField(
        validators=[validators.single_line_text],
        max_length=300,
        blank=True,
        help_text="Where the dates come from, when not from the article.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["post", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "post", "start_date"],
                name="%(app_label)s_%(class)s_once_per_start",
                violation_error_message="This official already holds this post from this day.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message="A membership cannot end before it starts.",
            ),
        ]
        indexes = [models.Index(fields=["post", "start_date"], name="briefing_membership_post_start")]

    def __str__(self) -> str:
        span = f"{self.start_date or '?'} – {self.end_date or ''}".strip()
        return f"{self.official.name}, {self.post.label} ({span})"
