"""The briefing domain: who met whom, when and where, about what, and who said what.

Every fact keeps its provenance: meetings point at the articles that report them, and each
statement at its article and at the exact character span of its text in the article body.
The domain rules that guard this live here (``clean()`` and named constraints) and in
``briefing.rules``; the importer, the admin and the API all reach them through
``full_clean()``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from briefing import rules


def related_count(model: type[models.Model], field: str) -> Coalesce:
    """Count of ``model`` rows whose ``field`` points at the outer row, as a correlated subquery.

    Cheaper than ``annotate(Count(...))`` on a paged query: PostgreSQL would aggregate the whole
    related table before applying the page's LIMIT.
    """
    counted = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(counted.annotate(n=Count("*")).values("n")[:1]), 0)


def statement_sort_date() -> Coalesce:
    """A statement's date for sorting: undated statements sort as the oldest (and it is indexed)."""
    return Coalesce("date", Value(datetime.date.min))


class WordSearchQuerySet(models.QuerySet):
    """A queryset whose ``search`` keeps rows where every word occurs in one of ``search_fields``."""

    search_fields: tuple[str, ...] = ()

    def search(self, query: str) -> models.QuerySet:
        """Rows where each word of ``query`` occurs (ignoring case) in one of the search fields."""
        condition = Q()
        for word in query.split():
            any_field = Q()
            for name in self.search_fields:
                any_field |= Q(**{f"{name}__icontains": word})
            condition &= any_field
        return self.filter(condition)


class OrganizationQuerySet(WordSearchQuerySet):
    search_fields = ("name", "abbreviation")


class OfficialQuerySet(WordSearchQuerySet):
    search_fields = ("name", "title")


class ArticleQuerySet(WordSearchQuerySet):
    search_fields = ("title", "publisher")


class TopicQuerySet(WordSearchQuerySet):
    """Topics, searchable by name and description."""

    search_fields = ("name", "description")


class MeetingQuerySet(WordSearchQuerySet):
    """Meetings, filtered the ways readers ask."""

    search_fields = ("title", "summary", "location")

    def on_topic(self, topic: "Topic") -> "MeetingQuerySet":
        """Meetings tagged with ``topic`` or any of its sub-topics."""
        return self.on_topic_ids(Topic.subtree_ids({topic.pk}))

    def on_topic_ids(self, ids: set[int]) -> "MeetingQuerySet":
        """Meetings tagged with any of the topics whose ids are given."""
        return self.filter(
            Exists(Meeting.topics.through.objects.filter(meeting=OuterRef("pk"), topic_id__in=ids))
        )


class StatementQuerySet(WordSearchQuerySet):
    """Statements, with full-text search."""

    SEARCH_CONFIG = "english"
    search_fields = ("text",)

    def on_topic(self, topic: "Topic") -> "StatementQuerySet":
        """Statements tagged with ``topic`` or any of its sub-topics."""
        return self.on_topic_ids(Topic.subtree_ids({topic.pk}))

    def on_topic_ids(self, ids: set[int]) -> "StatementQuerySet":
        """Statements tagged with any of the topics whose ids are given."""
        return self.filter(
            Exists(Statement.topics.through.objects.filter(statement=OuterRef("pk"), topic_id__in=ids))
        )

    def search(self, query: str) -> "StatementQuerySet":
        """Statements matching ``query``, best first where the database can rank.

        PostgreSQL: full-text search (web-search syntax, English stemming) over the stored
        ``search_vector`` column and its GIN index, ranked by ``ts_rank``. Elsewhere: every word
        must occur in the text, ignoring case, in the article order.
        """
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank

            search_query = SearchQuery(query, config=self.SEARCH_CONFIG, search_type="websearch")
            return (
                self.alias(search_vector=StoredSearchVector())
                .filter(search_vector=search_query)
                .annotate(search_rank=SearchRank(StoredSearchVector(), search_query))
            )
        return super().search(query)


class StoredSearchVector(models.Expression):
    """The statement table's ``search_vector`` column (PostgreSQL only; migration 0007).

    A column the database generates from the text, so that matching and ranking read a stored
    tsvector instead of parsing every matching text again. It is not a model field because
    SQLite has no tsvector; the expression names it on whatever alias the statement table has.
    """

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name('search_vector')}", []


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


class Topic(models.Model):
    """A subject of discussion; topics form a hierarchy (a topic covers its sub-topics)."""

    slug = models.SlugField(
        max_length=100, unique=True, help_text="Stable, URL-safe identifier, e.g. `nato-enlargement`."
    )
    name = models.CharField(max_length=200, help_text="Display name.")
    description = models.TextField(blank=True, help_text="What the topic covers.")
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


class Meeting(models.Model):
    """An encounter between officials on a given day: a bilateral meeting, a press conference…"""

    class Kind(models.TextChoices):
        BILATERAL = "bilateral_meeting", "Bilateral meeting"
        MULTILATERAL = "multilateral_meeting", "Multilateral meeting"
        PRESS_CONFERENCE = "press_conference", "Press conference"
        SUMMIT = "summit", "Summit"
        CALL = "call", "Phone or video call"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=200, unique=True, help_text="Stable, URL-safe identifier.")
    title = models.CharField(max_length=300, help_text="Short descriptive title.")
    date = models.DateField(help_text="The day it took place (ISO 8601).")
    kind = models.CharField(max_length=30, choices=Kind.choices, help_text="What kind of meeting.")
    location = models.CharField(
        max_length=200, blank=True, help_text="Venue, e.g. `The White House`; empty when not reported."
    )
    city = models.CharField(max_length=100, blank=True, help_text="City, e.g. `Washington, D.C.`.")
    summary = models.TextField(blank=True, help_text="What was discussed, in a few sentences.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings", help_text="Topics discussed.")
    articles = models.ManyToManyField(
        Article, blank=True, related_name="meetings", help_text="Articles that report the meeting."
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
        constraints = [
            models.CheckConstraint(
                condition=Q(date__gte=rules.EARLIEST_DATE),
                name="%(app_label)s_%(class)s_date_plausible",
                violation_error_message=rules.EARLIEST_DATE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date.isoformat()})" if self.date else self.title


class Participation(models.Model):
    """One official's part in one meeting, with the role they held at the time."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participations", help_text="The meeting."
    )
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="participations", help_text="The participant."
    )
    role = models.CharField(
        max_length=200,
        help_text="Title held at the time of the meeting, e.g. `US Secretary of State`. "
        "It does not change when the official's current title does.",
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
                violation_error_message="This official is already a participant of this meeting.",
            ),
        ]
        indexes = [
            models.Index(fields=["official", "meeting"], name="briefing_participation_off_mtg"),
        ]

    def __str__(self) -> str:
        return f"{self.official} as {self.role}"


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
            # Newest first (read backwards): the statement list, and a speaker's latest.
            models.Index(statement_sort_date(), F("id"), name="briefing_statement_sort_date"),
            models.Index(F("speaker"), statement_sort_date(), F("id"), name="briefing_statement_spk_sort"),
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
