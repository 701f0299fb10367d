"""Sources: the articles, and the statements quoted or reported from them as verbatim spans."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
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
        editable=False,
        help_text="Order within the article (1 = first statement reported), derived from the span: "
        "statements are numbered by where they stand in the body.",
    )
    start = models.PositiveIntegerField(
        editable=False,
        help_text="Offset of the first character of `text` in the article body (code points). "
        "Located from the text; when the text occurs more than once, the writer gives it.",
    )
    end = models.PositiveIntegerField(
        editable=False,
        help_text="Offset just past the last character of `text` in the article body.",
    )

    objects = StatementQuerySet.as_manager()
    # The position is derived from the span (renumbered as statements come and go); the
    # history keeps what writers chose.
    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["position"])

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
            # The part of "the text is its span of the body" one row can hold: the span is as
            # long as the text. (That the body holds the text there is the services' to keep.)
            models.CheckConstraint(
                condition=Q(end=models.F("start") + Length("text")),
                name="%(app_label)s_%(class)s_span_fits_text",
                violation_error_message="A statement's span must be exactly as long as its text.",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="briefing_statement_date_id"),
            models.Index(fields=["speaker", "date"], name="briefing_statement_spk_date"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker.name}: “{rules.snippet(self.text)}”"
