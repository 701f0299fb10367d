"""Querysets of the briefing models: the ways readers filter and search them."""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from briefing.models import Topic


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

    search_fields = ("title", "summary", "location", "city")

    def on_topic(self, topic: "Topic") -> "MeetingQuerySet":
        """Meetings tagged with ``topic`` or any of its sub-topics."""
        return self.on_topic_ids(type(topic).subtree_ids({topic.pk}))

    def on_topic_ids(self, ids: set[int]) -> "MeetingQuerySet":
        """Meetings tagged with any of the topics whose ids are given."""
        return self.filter(
            Exists(self.model.topics.through.objects.filter(meeting=OuterRef("pk"), topic_id__in=ids))
        )


class StatementQuerySet(WordSearchQuerySet):
    """Statements, with full-text search."""

    search_fields = ("text",)

    def on_topic(self, topic: "Topic") -> "StatementQuerySet":
        """Statements tagged with ``topic`` or any of its sub-topics."""
        return self.on_topic_ids(type(topic).subtree_ids({topic.pk}))

    def on_topic_ids(self, ids: set[int]) -> "StatementQuerySet":
        """Statements tagged with any of the topics whose ids are given."""
        return self.filter(
            Exists(self.model.topics.through.objects.filter(statement=OuterRef("pk"), topic_id__in=ids))
        )

    def search(self, query: str) -> "StatementQuerySet":
        """Statements matching ``query`` (web-search syntax), with a ``search_rank``: see briefing.search.

        The same syntax and rows on PostgreSQL (``websearch_to_tsquery``) and SQLite (FTS5).
        """
        from briefing.search import statement_search

        return statement_search(self, query)


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
