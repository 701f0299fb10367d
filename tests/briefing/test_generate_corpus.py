"""The corpus generator: a deterministic, skewed corpus whose bulk-created rows keep the domain rules."""

import io
import re
import statistics
from dataclasses import fields

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min
from django.urls import reverse

from briefing.corpus import SIZES, briefing_row_count
from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic

pytestmark = pytest.mark.django_db

SMALL = SIZES["small"]


def generate(seed=7):
    call_command("generate_corpus", size="small", seed=seed, flush=True, verbosity=0)


@pytest.fixture
def small_corpus():
    """The small corpus in place of the seeded article (rolled back after each test)."""
    generate()


def first_meeting():
    meeting = Meeting.objects.get(slug="meeting-000001")
    participants = [(p.official.slug, p.role) for p in meeting.participations.order_by("position")]
    return meeting.title, meeting.date, meeting.kind, meeting.city, participants


def test_refuses_to_write_over_existing_data_without_flush():
    rows = briefing_row_count()
    with pytest.raises(CommandError) as excinfo:
        call_command("generate_corpus", size="small", verbosity=0)
    assert str(excinfo.value) == (
        f"The briefing tables already hold {rows:,} rows. "
        "Pass --flush to delete them and generate the corpus in their place."
    )
    assert briefing_row_count() == rows
    assert Article.objects.count() == 1
    assert Meeting.objects.count() == 4


def test_sizes_scale_by_a_hundred_and_by_ten():
    small, large, xlarge = SIZES["small"], SIZES["large"], SIZES["xlarge"]
    for name in ("officials", "meetings", "articles", "statements"):
        assert getattr(large, name) == 100 * getattr(small, name)
    for f in fields(large):
        assert getattr(xlarge, f.name) == 10 * getattr(large, f.name)
    assert (large.meetings, large.officials, large.topics, large.statements, large.articles) == (
        20_000,
        2_000,
        300,
        200_000,
        2_000,
    )


def test_small_corpus_has_the_row_counts_of_its_size(small_corpus):
    assert Organization.objects.count() == SMALL.organizations
    assert Official.objects.count() == SMALL.officials
    assert Topic.objects.count() == SMALL.topics
    assert Meeting.objects.count() == SMALL.meetings
    assert Article.objects.count() == SMALL.articles
    assert Statement.objects.count() == SMALL.statements


def test_meetings_have_three_to_six_participants_two_to_four_topics_and_an_article(small_corpus):
    shape = Meeting.objects.annotate(
        people=Count("participations", distinct=True),
        subjects=Count("topics", distinct=True),
        sources=Count("articles", distinct=True),
    ).aggregate(
        min_people=Min("people"),
        max_people=Max("people"),
        min_topics=Min("subjects"),
        max_topics=Max("subjects"),
        min_sources=Min("sources"),
    )
    assert shape == {"min_people": 3, "max_people": 6, "min_topics": 2, "max_topics": 4, "min_sources": 1}


def test_slugs_are_numbered_and_stable(small_corpus):
    assert list(Official.objects.order_by("slug").values_list("slug", flat=True)[:2]) == [
        "official-0001",
        "official-0002",
    ]
    assert Topic.objects.filter(slug="topic-012").exists()
    assert Meeting.objects.filter(slug="meeting-000200").exists()
    assert Article.objects.filter(slug="article-00020").exists()


def test_every_statement_is_a_verbatim_span_numbered_in_article_order(small_corpus):
    for article in Article.objects.all():
        statements = list(article.statements.order_by("position"))
        assert [s.position for s in statements] == list(range(1, len(statements) + 1))
        for statement in statements:
            assert article.body[statement.start : statement.end] == statement.text
            assert 60 <= len(statement.text) <= 600
        starts = [s.start for s in statements]
        assert starts == sorted(set(starts))


def test_statements_at_a_meeting_carry_its_date(small_corpus):
    at_meetings = Statement.objects.filter(meeting__isnull=False)
    assert at_meetings.count() > SMALL.statements * 0.8
    assert not at_meetings.exclude(date=F("meeting__date")).exists()


def test_generated_rows_pass_the_models_full_clean(small_corpus):
    checked = [
        *Organization.objects.all(),
        *Official.objects.all(),
        *Topic.objects.all(),
        *Meeting.objects.all()[:50],
        *Participation.objects.all()[:50],
        *Article.objects.all(),
        *Statement.objects.filter(article__slug__in=["article-00001", "article-00020"]),
    ]
    for obj in checked:
        span = (obj.start, obj.end) if isinstance(obj, Statement) else None
        obj.full_clean()
        if span:
            assert (obj.start, obj.end) == span


def test_topics_form_a_three_level_hierarchy(small_corpus):
    assert Topic.objects.filter(parent__parent__isnull=False).exists()
    assert not Topic.objects.filter(parent__parent__parent__isnull=False).exists()


def test_roles_are_the_title_held_at_the_time(small_corpus):
    participations = Participation.objects.select_related("official")
    changed = [p for p in participations if p.role != p.official.title]
    assert changed
    assert all(p.role for p in participations)


def test_popular_officials_take_part_in_far_more_meetings_than_the_median(small_corpus):
    meetings = dict(Official.objects.annotate(n=Count("participations")).values_list("slug", "n"))
    top = max(meetings, key=meetings.get)
    assert top == "official-0001"
    assert meetings[top] >= 3 * statistics.median(meetings.values())
    topics = dict(Topic.objects.annotate(n=Count("meetings")).values_list("slug", "n"))
    assert max(topics, key=topics.get) == "topic-001"


def test_same_seed_gives_the_same_corpus_and_another_seed_another(small_corpus):
    first = first_meeting()
    texts = list(Statement.objects.order_by("article__slug", "position").values_list("text", flat=True))

    generate()
    assert first_meeting() == first
    assert (
        list(Statement.objects.order_by("article__slug", "position").values_list("text", flat=True)) == texts
    )

    generate(seed=8)
    assert first_meeting() != first


def test_generating_reports_each_step_and_the_share_done_with_the_time_left():
    out = io.StringIO()

    call_command("generate_corpus", size="small", seed=7, flush=True, stdout=out)

    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"Deleting [\d,]+ briefing rows…", lines[0])
    assert re.fullmatch(r"Deleted [\d,]+ briefing rows \(\d+\.\d s\)", lines[1])
    assert lines[2] == "Generating the small corpus (seed 7): 20 articles, 200 meetings, 2,000 statements"
    assert lines[3] == "Planning the cast and the calendar…"
    assert re.fullmatch(r"  20/20 articles \(100%\), \d+\.\d s, about 0 s left", lines[4])
    steps = [re.sub(r" \(.*\)$", "", line) for line in lines[5:]]
    expected = ["Indexing the statements for search…"] if connection.vendor == "sqlite" else []
    expected += ["Committing…", "Committed"]
    expected += ["Analyzing the tables for the query planner…"] if connection.vendor == "postgresql" else []
    assert steps[: len(expected) + 1] == [*expected, "Analyzed"]
    assert lines[-1].startswith("Generated the small corpus (seed 7) in ")


def test_a_generated_corpus_is_found_by_search(small_corpus, api):
    statement = Statement.objects.order_by("pk").first()
    words = " ".join(statement.text.split()[:6])

    response = api.get(reverse("statement-list"), {"search": f'"{words}"', "page_size": 100})

    assert statement.pk in {item["id"] for item in response.json()["results"]}
