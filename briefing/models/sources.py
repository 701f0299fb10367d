"""Sources: the articles, and the statements quoted or reported from them as verbatim spans."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from briefing import rules, validators
from briefing.models.dating import ReportedDate
from briefing.models.directory import Official
from briefing.models.meetings import Meeting, Topic
from briefing.models.querysets import ArticleQuerySet, StatementQuerySet, statement_sort_date


class Article(models.Model):
    """A published source text; every meeting and statement is traceable to one."""

    slug = models.SlugField(
        max_length=200, unique=True, help_text="Stable, URL-safe identifier of the article."
    )
    title = models.CharField(
        validators=[validators.single_line_text], max_length=300, help_text="Headline as published."
    )
    publisher = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        blank=True,
        help_text="The site that published it; empty when unknown.",
    )
    original_source = models.CharField(
        validators=[validators.single_line_text],
        max_length=300,
        blank=True,
        help_text="Where the text came from when not the publisher's own, e.g. `NATO` (`Courtesy: NATO`) "
        "or `Kuwait News Agency`.",
    )
    url = models.URLField(
        validators=[validators.single_line_text],
        max_length=500,
        blank=True,
        help_text="Where it was published; empty when unknown.",
    )
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


def span_constraints(prefix: str = "", *, optional: bool = False) -> list[models.CheckConstraint]:
    """The part of "this text is its span of the body" that one row can hold: the span is as
    long as its text and not empty. (That the body holds the text there is the services'.)"""
    start, end, text = f"{prefix}start", f"{prefix}end", f"{prefix}text" if prefix else "text"
    holds = Q(**{f"{end}__gt": models.F(start)}) & Q(**{end: models.F(start) + Length(text)})
    if optional:
        holds = Q(**{f"{start}__isnull": True, f"{end}__isnull": True}) | holds
    label = f"{prefix.rstrip('_')}_span" if prefix else "span"
    return [
        models.CheckConstraint(
            condition=holds,
            name=f"%(app_label)s_%(class)s_{label}_fits_text",
            violation_error_message="A span must be exactly as long as its text, and not empty.",
        )
    ]


class Statement(ReportedDate):
    """Something said, as a verbatim span of the article that reports it, and who said it."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Direct quotation"
        PARAPHRASE = "paraphrase", "Reported speech"

    class Attribution(models.TextChoices):
        NAME = "name", "By the speaker's name"
        TITLE = "title", "By a title (“the Secretary General said”)"
        PRONOUN = "pronoun", "By a pronoun (“he added”)"
        CONTINUATION = "continuation", "Continues the previous speaker's words"
        NONE = "none", "Not attributed: the speaker is unknown"

    class Relation(models.TextChoices):
        AT = "at", "Said at the meeting"
        BEFORE = "before", "Said before the meeting"
        AFTER = "after", "Said after the meeting"
        ABOUT = "about", "Said about the meeting"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="statements", help_text="The source article."
    )
    speaker = models.ForeignKey(
        Official,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="Who said it; empty when the article does not say (attribution `none`).",
    )
    attribution = models.CharField(
        max_length=20,
        choices=Attribution.choices,
        blank=True,
        help_text="How the article attributes it: by name, by a title, by a pronoun, as the continuation "
        "of the previous speaker, or not at all; empty for statements recorded before this was kept.",
    )
    attribution_text = models.CharField(
        validators=[validators.not_only_whitespace],
        max_length=300,
        blank=True,
        help_text="The attributing words as printed, a verbatim span of the body (`he added`); empty when none.",
    )
    attribution_start = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Offset of `attribution_text` in the body."
    )
    attribution_end = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Offset just past `attribution_text`."
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text="The meeting it relates to, when the article tells.",
    )
    meeting_relation = models.CharField(
        max_length=10,
        choices=Relation.choices,
        blank=True,
        help_text="How it relates to `meeting`: said at it (the statement takes its date), before or after "
        "it, or about it; empty without a meeting.",
    )
    text = models.TextField(
        validators=[validators.not_only_whitespace],
        help_text="The statement exactly as it stands in the article body (a verbatim span).",
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="A direct quotation or reported speech."
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="statements", help_text="Topics the statement touches."
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
            models.CheckConstraint(
                condition=Q(end=models.F("start") + Length("text")),
                name="%(app_label)s_%(class)s_span_fits_text",
                violation_error_message="A statement's span must be exactly as long as its text.",
            ),
            *span_constraints("attribution_", optional=True),
            models.CheckConstraint(
                condition=Q(attribution="none", speaker__isnull=True)
                | (~Q(attribution="none") & Q(speaker__isnull=False)),
                name="%(app_label)s_%(class)s_unknown_speaker_unattributed",
                violation_error_message="A statement has no speaker exactly when it is not attributed "
                "(attribution `none`).",
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True, meeting_relation="")
                | Q(meeting__isnull=False) & ~Q(meeting_relation=""),
                name="%(app_label)s_%(class)s_relation_with_meeting",
                violation_error_message="A statement relates to its meeting in one way (at, before, after, "
                "about), and has no relation without one.",
            ),
            *ReportedDate.Meta.constraints,
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="briefing_statement_date_id"),
            models.Index(fields=["speaker", "date"], name="briefing_statement_spk_date"),
            # Newest first (read backwards): the statement list, and a speaker's latest.
            models.Index(statement_sort_date(), models.F("id"), name="briefing_statement_sort_date"),
            models.Index(
                models.F("speaker"), statement_sort_date(), models.F("id"), name="briefing_statement_spk_sort"
            ),
        ]

    def __str__(self) -> str:
        who = self.speaker.name if self.speaker_id else "Unknown speaker"
        return f"{who}: “{rules.snippet(self.text)}”"

    def clean(self) -> None:
        if self.meeting_id is None:
            self.meeting_relation = ""
        elif not self.meeting_relation:
            self.meeting_relation = self.Relation.AT
        self.clean_reported_date()
        if self.speaker_id is None and self.attribution != self.Attribution.NONE:
            raise ValidationError(
                {"speaker": "Name the speaker, or say the statement is not attributed (attribution `none`)."}
            )
        if self.speaker_id is not None and self.attribution == self.Attribution.NONE:
            raise ValidationError({"attribution": "An unattributed statement (`none`) has no speaker."})


class Mention(models.Model):
    """An appearance of an official in an article, as printed: a verbatim span of the body."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="mentions", help_text="The article."
    )
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="mentions", help_text="Who is meant."
    )
    text = models.CharField(
        validators=[validators.not_only_whitespace],
        max_length=300,
        help_text="The mention as printed (`US Secretary of State Michael R. Pompeo`, `the Secretary General`).",
    )
    name_as_printed = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        blank=True,
        help_text="The name part as printed; empty for a title-only mention.",
    )
    title_as_given = models.CharField(
        validators=[validators.single_line_text],
        max_length=200,
        blank=True,
        help_text="The title as given here.",
    )
    honorifics = models.CharField(
        validators=[validators.single_line_text],
        max_length=100,
        blank=True,
        help_text="Honorifics as printed, e.g. `Ambassador`, `General (ret)`.",
    )
    start = models.PositiveIntegerField(
        editable=False, help_text="Offset of `text` in the body (code points)."
    )
    end = models.PositiveIntegerField(editable=False, help_text="Offset just past `text`.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "start", "id"]
        constraints = [
            *span_constraints(),
            models.UniqueConstraint(
                fields=["article", "official", "start"],
                name="%(app_label)s_%(class)s_once_per_span",
                violation_error_message="This official is already mentioned at this place.",
            ),
        ]
        indexes = [models.Index(fields=["official", "article"], name="briefing_mention_off_art")]

    def __str__(self) -> str:
        return f"{self.text} ({self.official.name})"

    def clean(self) -> None:
        missing = {
            name: f"“{getattr(self, name)}” is not part of the mention “{self.text}”."
            for name in ("name_as_printed", "title_as_given", "honorifics")
            if getattr(self, name) and getattr(self, name) not in (self.text or "")
        }
        if missing:
            raise ValidationError(missing)
