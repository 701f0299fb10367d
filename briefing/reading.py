"""What the reader's pages load beyond the dossiers: list rows, a meeting page, an article's spans.

Each function fixes the query shape of one page kind, so a page runs the same number of queries
whatever the rows (the tests of ``api/reader`` assert it). The briefings themselves come from
``briefing.dossiers``; filtering, ordering and paging from the API's own filter backends.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from briefing import dossiers, highlights
from briefing.models import Article, Meeting, Participation, Statement, Topic, related_count


def _topics() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.only("slug", "name").order_by("name", "id"))


def meeting_rows(meetings: QuerySet) -> QuerySet:
    """Meetings with their participants (role at the time), topics and statement count."""
    return meetings.prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("official")), _topics()
    ).annotate(statement_count=related_count(Statement, "meeting"))


def statement_rows(statements: QuerySet) -> QuerySet:
    """Statements with speaker, meeting, article and topics."""
    return statements.select_related("speaker", "meeting", "article").prefetch_related(_topics())


def official_rows(officials: QuerySet) -> QuerySet:
    """Officials with their organization and how many meetings and statements they have."""
    return officials.select_related("organization").annotate(
        meeting_count=related_count(Participation, "official"),
        statement_count=related_count(Statement, "speaker"),
    )


def article_rows(articles: QuerySet) -> QuerySet:
    """Articles (without their bodies) with how many meetings and statements they give."""
    return articles.defer("body").annotate(
        meeting_count=related_count(Meeting.articles.through, "article"),
        statement_count=related_count(Statement, "article"),
    )


def topic_tree_rows() -> list[Topic]:
    """Every topic with its parent id and how often it was tagged, in one query (by name)."""
    return list(
        Topic.objects.annotate(
            meeting_count=related_count(Meeting.topics.through, "topic"),
            statement_count=related_count(Statement.topics.through, "topic"),
        ).order_by("name", "id")
    )


def latest_meetings(limit: int) -> list[Meeting]:
    """The ``limit`` most recent meetings, shaped as in a list."""
    return list(meeting_rows(Meeting.objects.order_by("-date", "-id"))[:limit])


@dataclass
class MeetingPage:
    """A meeting's briefing and the topics the meeting is tagged with."""

    dossier: dossiers.MeetingDossier
    topics: list[Topic]


def meeting_page(meeting: Meeting) -> MeetingPage:
    """The meeting's dossier plus its tagged topics (the dossier has those its statements touch)."""
    return MeetingPage(dossiers.meeting_dossier(meeting), list(meeting.topics.order_by("name", "id")))


@dataclass
class ArticlePage:
    """An article, the meetings it reports, its statements in order and its body cut by their spans."""

    article: Article
    meetings: list[Meeting]
    statements: list[Statement]
    paragraphs: list[list[highlights.Run]]


def article_page(article: Article) -> ArticlePage:
    """The article's statements (article order) and its body as runs keyed by statement id."""
    statements = list(statement_rows(article.statements.all()).order_by("position", "id"))
    meetings = list(article.meetings.order_by("date", "id"))
    cut = highlights.segment(article.body, [highlights.KeySpan(s.pk, s.start, s.end) for s in statements])
    return ArticlePage(article, meetings, statements, cut)


def statement_article(pk: int) -> Statement | None:
    """The statement with this id and its article's slug, or None."""
    return Statement.objects.select_related("article").only("pk", "article__slug").filter(pk=pk).first()
