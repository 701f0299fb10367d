"""Meetings: who met whom, when and where, about which topics."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from briefing import rules, validators
from briefing.models.dating import ReportedDate
from briefing.models.directory import Official
from briefing.models.querysets import MeetingQuerySet, TopicQuerySet


class Topic(models.Model):
    """A subject of discussion; topics form a hierarchy (a topic covers its sub-topics)."""

    slug = models.SlugField(
        max_length=100, unique=True, help_text="Stable, URL-safe identifier, e.g. `nato-enlargement`."
    )
    name = models.CharField(
        validators=[validators.single_line_text], max_length=200, help_text="Display name."
    )
    description = models.TextField(
        validators=[validators.prose_text], blank=True, help_text="What the topic covers."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The broader topic this one belongs to, if any.",
    )

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        rules.check_no_cycle(self, "parent")

    @staticmethod
    def subtree_ids(root_ids: set[int]) -> set[int]:
        """``root_ids`` and the ids of every topic below them, from one query of the hierarchy."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in Topic.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, frontier = set(), list(root_ids)
        while frontier:
            pk = frontier.pop()
            if pk not in found:
                found.add(pk)
                frontier.extend(children.get(pk, []))
        return found


class Meeting(ReportedDate):
    """An encounter between officials: a bilateral meeting, a press conference, a call…"""

    # Fields an editor may mark as inferred rather than read in the article.
    INFERABLE = ("date", "kind", "location", "city")

    class Kind(models.TextChoices):
        BILATERAL = "bilateral_meeting", "Bilateral meeting"
        MULTILATERAL = "multilateral_meeting", "Multilateral meeting"
        PRESS_CONFERENCE = "press_conference", "Press conference"
        SUMMIT = "summit", "Summit"
        CALL = "call", "Phone or video call"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=200, unique=True, help_text="Stable, URL-safe identifier.")
    title = models.CharField(
        validators=[validators.single_line_text], max_length=300, help_text="Short descriptive title."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, help_text="What kind of meeting.")
    location = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        blank=True,
        help_text="Venue, e.g. `The White House`; empty when not reported.",
    )
    city = models.CharField(
        validators=[validators.single_line_text],
        max_length=100,
        blank=True,
        help_text="City, e.g. `Washington, D.C.`.",
    )
    summary = models.TextField(
        validators=[validators.prose_text], blank=True, help_text="What was discussed, in a few sentences."
    )
    participants_complete = models.BooleanField(
        default=True,
        help_text="Whether the article names every participant; false for a partial list "
        "(`…joined by members of the delegation, including…`).",
    )
    inferred = models.JSONField(
        default=list,
        blank=True,
        help_text='Fields an editor inferred rather than read in the article, e.g. `["city"]` for a city '
        "taken from the venue. Any of: date, kind, location, city.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings", help_text="Topics discussed.")
    articles = models.ManyToManyField(
        "briefing.Article", blank=True, related_name="meetings", help_text="Articles that report the meeting."
    )
    participants = models.ManyToManyField(
        Official,
        through="Participation",
        related_name="meetings",
        help_text="Officials who took part, with the role each held at the time.",
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics, articles])

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date", "id"], name="briefing_meeting_date_id"),
            models.Index(fields=["city"], name="briefing_meeting_city"),
            models.Index(fields=["kind"], name="briefing_meeting_kind"),
        ]
        constraints = [*ReportedDate.Meta.constraints]

    def __str__(self) -> str:
        when = self.reported_date.iso()
        return f"{self.title} ({when})" if when else self.title

    def clean(self) -> None:
        self.clean_reported_date()
        unknown = [name for name in self.inferred or [] if name not in self.INFERABLE]
        if not isinstance(self.inferred, list) or unknown:
            raise ValidationError(
                {
                    "inferred": f"List fields among {', '.join(self.INFERABLE)}; not {', '.join(map(str, unknown))}."
                }
            )
        self.inferred = sorted(set(self.inferred))


class Participation(models.Model):
    """One official's part in one meeting, with the role they held at the time."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participations", help_text="The meeting."
    )
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="participations", help_text="The participant."
    )
    role = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        help_text="Title held at the time of the meeting, e.g. `US Secretary of State`. "
        "It does not change when the official's current title does.",
    )
    post = models.ForeignKey(
        "briefing.Post",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        help_text="The post that role is, when known (the role keeps the article's wording).",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Display order among the meeting's participants."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "official"],
                name="%(app_label)s_%(class)s_once_per_meeting",
                violation_error_message=rules.ONCE_PER_MEETING,
            ),
        ]
        indexes = [
            models.Index(fields=["official", "meeting"], name="briefing_participation_off_mtg"),
        ]

    def __str__(self) -> str:
        return f"{self.official} as {self.role}"
