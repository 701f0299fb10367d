"""Sources: the articles, and the statements quoted or reported from them as verbatim spans."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from briefing import rules
from briefing.models.directory import Official
from briefing.models.meetings import Meeting, Topic
from briefing.models.querysets import ArticleQuerySet, StatementQuerySet


class Article(models.Model):
    """A published source text; every meeting and statement is traceable to one."""

    slug = models.SlugField(
        max_length=200, unique=True, help_text="Stable, URL-safe identifier of the article."
    )
    title = models.CharField(max_length=300, help_text="Headline as published.")
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it; empty when unknown."
    )
    url = models.URLField(max_length=500, blank=True, help_text="Where it was published; empty when unknown.")
    published_on = models.DateField(
        null=True, blank=True, help_text="Publication date, when known (ISO 8601)."
    )
    body = models.TextField(help_text="Full text. Statement offsets index into it, in Unicode code points.")

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """A changed body must still contain every statement already quoted from it."""
        if self.pk is None:
            return
        missing = [
            f"#{s.position} “{rules.snippet(s.text)}”"
            for s in self.statements.only("position", "text")
            if s.text not in self.body
        ]
        if missing:
            raise ValidationError(
                {"body": "The new body no longer contains these statements: " + "; ".join(missing)}
            )


class Statement(models.Model):
    """Something an official said, as a verbatim span of the article that reports it."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Direct quotation"
        PARAPHRASE = "paraphrase", "Reported speech"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="statements", help_text="The source article."
    )
    speaker = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="statements", help_text="Who said it."
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text="The meeting it was said at, when the article tells.",
    )
    text = models.TextField(
        help_text="The statement exactly as it stands in the article body (a verbatim span)."
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="A direct quotation or reported speech."
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="statements", help_text="Topics the statement touches."
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text="When it was said: the meeting's date when there is a meeting, else as reported.",
    )
    position = models.PositiveIntegerField(
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(rules.MAX_POSITION)],
        help_text="Order within the article (1 = first statement reported); "
        "the next free number when left empty.",
    )
    start = models.PositiveIntegerField(
        blank=True,
        editable=False,
        help_text="Offset of the first character of `text` in the article body (code points). "
        "Computed from the text.",
    )
    end = models.PositiveIntegerField(
        blank=True,
        editable=False,
        help_text="Offset just past the last character of `text` in the article body. "
        "Computed from the text.",
    )

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"],
                name="%(app_label)s_%(class)s_position_unique",
                violation_error_message="Another statement of this article has this position.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="%(app_label)s_%(class)s_span_not_empty",
                violation_error_message="A statement's span must end after it starts.",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="briefing_statement_date_id"),
            models.Index(fields=["speaker", "date"], name="briefing_statement_spk_date"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker.name}: “{rules.snippet(self.text)}”"

    def clean(self) -> None:
        """Pin the text to its span in the article, number it, and take the meeting's date."""
        if self.meeting_id is not None:
            self.date = self.meeting.date
        if self.article_id is None:
            return
        if self.position is None:
            self.position = rules.next_position(self.article.statements.exclude(pk=self.pk))
        if self.text:
            try:
                self.start, self.end = rules.locate_verbatim(self.article.body, self.text, hint=self.start)
            except ValidationError as exc:
                raise ValidationError({"text": exc}) from exc
