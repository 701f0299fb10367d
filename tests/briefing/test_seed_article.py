"""The seeded article: complete, exact, and attributed to the right speakers."""

import datetime
import re

import pytest

from briefing.models import Article, Meeting, Official, Organization, Statement, Topic

pytestmark = pytest.mark.django_db

ARTICLE = "nato-secretary-general-visits-washington-2022"


@pytest.fixture
def article():
    return Article.objects.get(slug=ARTICLE)


def test_seed_creates_the_articles_records():
    assert Article.objects.count() == 1
    assert Meeting.objects.count() == 4
    assert Official.objects.count() == 8
    assert Organization.objects.count() == 10
    assert Topic.objects.count() == 19
    assert Statement.objects.count() == 40
    assert Statement.objects.filter(kind="quote").count() == 30
    assert Statement.objects.filter(kind="paraphrase").count() == 10


def test_article_body_is_the_published_text_without_site_chrome(article):
    assert article.title == "NATO Secretary General visits Washington D.C."
    assert article.body.startswith("NATO Secretary General Jens Stoltenberg meets with the President")
    assert article.body.endswith("concluded US Secretary of Defense.")
    assert "Must read" not in article.body
    assert "More articles" not in article.body


def test_meetings_have_their_dates_venues_and_participants_with_roles():
    meetings = {
        m.slug: (
            m.date,
            m.kind,
            m.location,
            m.city,
            [(p.official.slug, p.role) for p in m.participations.order_by("position")],
        )
        for m in Meeting.objects.prefetch_related("participations__official")
    }
    assert meetings == {
        "stoltenberg-blinken-meeting-2022-06-01": (
            datetime.date(2022, 6, 1),
            "bilateral_meeting",
            "",
            "Washington D.C.",
            [("jens-stoltenberg", "NATO Secretary General"), ("antony-blinken", "US Secretary of State")],
        ),
        "stoltenberg-blinken-press-conference-2022-06-01": (
            datetime.date(2022, 6, 1),
            "press_conference",
            "",
            "Washington D.C.",
            [("jens-stoltenberg", "NATO Secretary General"), ("antony-blinken", "US Secretary of State")],
        ),
        "white-house-meeting-2022-06-02": (
            datetime.date(2022, 6, 2),
            "bilateral_meeting",
            "The White House",
            "Washington D.C.",
            [
                ("jens-stoltenberg", "NATO Secretary General"),
                ("joe-biden", "President of the United States"),
                ("kamala-harris", "Vice President"),
                ("jake-sullivan", "National Security Adviser"),
            ],
        ),
        "stoltenberg-austin-pentagon-meeting-2022-06-02": (
            datetime.date(2022, 6, 2),
            "bilateral_meeting",
            "The Pentagon",
            "Washington D.C.",
            [("jens-stoltenberg", "NATO Secretary General"), ("lloyd-austin", "US Secretary of Defense")],
        ),
    }


def test_every_quotation_in_the_body_is_one_direct_quote_statement(article):
    quoted = [m.group(1) for m in re.finditer("“(.*?)”", article.body, re.S)]
    quotes = list(article.statements.filter(kind="quote").order_by("position").values_list("text", flat=True))
    assert len(quoted) == 30
    assert quotes == quoted


def test_every_statement_offset_points_at_its_text_in_the_body(article):
    for statement in article.statements.all():
        assert article.body[statement.start : statement.end] == statement.text


def test_statements_are_numbered_in_article_order(article):
    statements = list(article.statements.order_by("position"))
    assert [s.position for s in statements] == list(range(1, 41))
    assert [s.start for s in statements] == sorted(s.start for s in statements)


@pytest.mark.parametrize(
    ("opening", "speaker", "meeting"),
    [
        # "he said", right after the White House meeting.
        (
            "President Putin wanted less NATO and therefore",
            "jens-stoltenberg",
            "white-house-meeting-2022-06-02",
        ),
        # "said US Secretary Antony Blinken at a joint press conference".
        (
            "Today’s meeting was an opportunity",
            "antony-blinken",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        # The second half of a quotation interrupted by "said US Secretary Antony Blinken".
        (
            "There the Alliance will adopt",
            "antony-blinken",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        # "underlined US Secretary" in the press-conference section: the Secretary of State.
        (
            "Of course, the strategic concept",
            "antony-blinken",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        # An unattributed paragraph continuing Blinken's remarks.
        (
            "The people of Ukraine continue to fight",
            "antony-blinken",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        (
            "I also welcome the latest package",
            "jens-stoltenberg",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        # "said US Secretary", followed by "Blinken continued".
        (
            "President Putin hoped that his war",
            "antony-blinken",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        # "he added", after Stoltenberg's "emphasized Jens Stoltenberg".
        (
            "The decisions by Finland and Sweden",
            "jens-stoltenberg",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        (
            "The United States strongly supports",
            "antony-blinken",
            "stoltenberg-blinken-press-conference-2022-06-01",
        ),
        (
            "In the face of Russia’s unprovoked",
            "lloyd-austin",
            "stoltenberg-austin-pentagon-meeting-2022-06-02",
        ),
        # "concluded US Secretary of Defense".
        ("I know that there’s been a lot", "lloyd-austin", "stoltenberg-austin-pentagon-meeting-2022-06-02"),
        # The article does not say where this was said.
        ("We must continue to invest in our defense", "jens-stoltenberg", None),
    ],
)
def test_quotation_is_attributed_to_its_speaker_and_meeting(opening, speaker, meeting):
    statement = Statement.objects.get(kind="quote", text__startswith=opening)
    assert statement.speaker.slug == speaker
    assert (statement.meeting.slug if statement.meeting else None) == meeting


def test_quotation_text_is_verbatim_to_the_character():
    statement = Statement.objects.get(text__startswith="You know — but as I think")
    assert statement.text == (
        "You know — but as I think about this, I’ve never seen NATO more energized, more united,"
    )
    assert statement.date == datetime.date(2022, 6, 2)


def test_joint_paraphrase_is_one_statement_per_speaker():
    statements = Statement.objects.filter(text__startswith="US Secretary and NATO General Secretary welcomed")
    assert sorted(s.speaker.slug for s in statements) == ["antony-blinken", "jens-stoltenberg"]


def test_statement_takes_its_meetings_date():
    assert set(
        Statement.objects.filter(meeting__slug="stoltenberg-blinken-press-conference-2022-06-01").values_list(
            "date", flat=True
        )
    ) == {datetime.date(2022, 6, 1)}


def test_topic_hierarchy_links_sub_topics_to_their_parents():
    assert Topic.objects.get(slug="finland-sweden-applications").parent.slug == "nato-enlargement"
    assert Topic.objects.get(slug="strategic-concept").parent.slug == "madrid-summit"


def test_officials_mentioned_but_not_meeting_are_seeded():
    erdogan = Official.objects.get(slug="recep-tayyip-erdogan")
    assert list(erdogan.mentions.values_list("text", flat=True)) == ["President Erdogan"]
    assert erdogan.memberships.get().post.label == "President of Turkey"
    assert Official.objects.get(slug="vladimir-putin").organization.slug == "russia"
