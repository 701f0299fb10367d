"""The admin as editors use it: every page loads, the domain rules show as form errors, history."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefing import services
from briefing.models import (
    Article,
    Meeting,
    Membership,
    Mention,
    Official,
    Organization,
    Participation,
    Post,
    Statement,
    Topic,
)
from tests import factories
from tests.admin_forms import admin_url, form_data
from tests.conftest import BRIEFING_MODELS, SEED_SLUG

pytestmark = pytest.mark.django_db

NOT_VERBATIM = (
    "This text does not occur verbatim in the article body: “{}”. {}"
    "Quote it exactly as published (same quotes, dashes and spaces)."
)
DUPLICATE_ROW = "This official is already a participant of this meeting."


@pytest.fixture
def editor(django_user_model):
    """A staff user whose only permissions come from the Editors group."""
    user = django_user_model.objects.create_user("eddie", password="not-used-here", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    """A test client logged in as the editor."""
    client.force_login(editor)
    return client


def participant_rows(meeting: Meeting) -> list[tuple[str, str, int]]:
    return list(meeting.participations.values_list("official__slug", "role", "position"))


def test_editor_sees_exactly_the_briefing_models_on_the_admin_index(editor_client):
    response = editor_client.get(reverse("admin:index"))

    assert response.status_code == 200
    listed = {model["object_name"] for app in response.context["app_list"] for model in app["models"]}
    assert listed == {model.__name__ for model in BRIEFING_MODELS} | {"Draft"}


@pytest.fixture
def one_of_each():
    """A row of every briefing model: the seed copy may name no post, membership or mention."""
    article = Article.objects.get(slug=SEED_SLUG)
    official = Official.objects.get(slug="antony-blinken")
    post, _ = Post.objects.get_or_create(
        slug="us-secretary-of-state", defaults={"label": "US Secretary of State"}
    )
    if not Membership.objects.exists():
        Membership.objects.create(official=official, post=post)
    if not Mention.objects.exists():
        mention = Mention(article=article, official=official, text="Antony Blinken")
        services.mention_save(mention=mention, start=article.body.index("Antony Blinken"))


@pytest.mark.parametrize("model", BRIEFING_MODELS, ids=lambda m: m.__name__)
def test_editor_changelist_lists_every_row(editor_client, model, one_of_each):
    response = editor_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count() > 0


@pytest.mark.parametrize(
    ("model", "term", "found"),
    [
        (Organization, "NATO", 1),
        (Official, "Blinken", 1),
        (Topic, "enlargement", 1),
        (Article, "Washington", 1),
        (Meeting, "Blinken", 2),
        # Blinken's two participations and Stoltenberg's in the same two meetings (by title).
        (Participation, "Blinken", 4),
        (Statement, "Finland", 8),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else None,
)
def test_editor_changelist_search_finds_matching_rows(editor_client, model, term, found):
    response = editor_client.get(admin_url(model, "changelist"), {"q": term})

    assert response.status_code == 200
    assert response.context["cl"].result_count == found


@pytest.mark.parametrize("model", BRIEFING_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["change", "history"])
def test_editor_opens_change_and_history_pages(editor_client, model, view, one_of_each):
    obj = model.objects.first()

    response = editor_client.get(admin_url(model, view, obj.pk))

    assert response.status_code == 200
    assert response.context["original" if view == "change" else "object"] == obj


@pytest.mark.parametrize("model", BRIEFING_MODELS, ids=lambda m: m.__name__)
def test_editor_opens_add_pages(editor_client, model):
    response = editor_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert response.context["add"] is True


def test_editor_adds_a_meeting_with_participants(editor_client, editor):
    stoltenberg, blinken = (
        Official.objects.get(slug="jens-stoltenberg"),
        Official.objects.get(slug="antony-blinken"),
    )
    article = Article.objects.get(slug=SEED_SLUG)
    data = form_data(editor_client.get(admin_url(Meeting, "add")))
    data |= {
        "slug": "stoltenberg-blinken-call-2022-06-20",
        "title": "Stoltenberg and Blinken call",
        "date": "2022-06-20",
        "kind": Meeting.Kind.CALL,
        "city": "Brussels",
        "topics": [str(Topic.objects.get(slug="nato-enlargement").pk)],
        "articles": [str(article.pk)],
        "participations-0-official": str(stoltenberg.pk),
        "participations-0-role": "NATO Secretary General",
        "participations-0-position": "0",
        "participations-1-official": str(blinken.pk),
        "participations-1-role": "US Secretary of State",
        "participations-1-position": "1",
    }

    response = editor_client.post(admin_url(Meeting, "add"), data)

    assert response.status_code == 302, response.context["errors"]
    assert response["Location"] == admin_url(Meeting, "changelist")
    meeting = Meeting.objects.get(slug="stoltenberg-blinken-call-2022-06-20")
    assert (meeting.title, meeting.date, meeting.kind, meeting.city) == (
        "Stoltenberg and Blinken call",
        datetime.date(2022, 6, 20),
        "call",
        "Brussels",
    )
    assert list(meeting.articles.all()) == [article]
    assert list(meeting.topics.values_list("slug", flat=True)) == ["nato-enlargement"]
    assert participant_rows(meeting) == [
        ("jens-stoltenberg", "NATO Secretary General", 0),
        ("antony-blinken", "US Secretary of State", 1),
    ]
    # One history record for the whole write, with the admin's reason.
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in meeting.history.all()] == [
        ("+", editor, "edited in the admin")
    ]


def test_meeting_with_the_same_participant_twice_is_refused_on_add(editor_client, db_snapshot):
    blinken = Official.objects.get(slug="antony-blinken")
    data = form_data(editor_client.get(admin_url(Meeting, "add")))
    data |= {"slug": "twice", "title": "Twice", "date": "2022-06-20", "kind": Meeting.Kind.CALL}
    for i in range(2):
        data |= {f"participations-{i}-official": str(blinken.pk), f"participations-{i}-role": "Secretary"}
    before = db_snapshot()

    response = editor_client.post(admin_url(Meeting, "add"), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.errors for form in formset.forms] == [{}, {"official": [DUPLICATE_ROW]}]
    assert formset.non_form_errors() == []
    assert DUPLICATE_ROW in response.content.decode()
    assert db_snapshot() == before


def test_adding_an_existing_participant_to_a_meeting_is_refused(editor_client, db_snapshot):
    meeting = Meeting.objects.get(slug="stoltenberg-blinken-meeting-2022-06-01")
    data = form_data(editor_client.get(admin_url(Meeting, "change", meeting.pk)))
    data |= {
        "participations-TOTAL_FORMS": "3",
        "participations-2-official": str(Official.objects.get(slug="antony-blinken").pk),
        "participations-2-role": "Secretary of State",
        "participations-2-position": "2",
    }
    before = db_snapshot()

    response = editor_client.post(admin_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.errors for form in formset.forms] == [{}, {}, {"official": [DUPLICATE_ROW]}]
    assert db_snapshot() == before


def test_participation_page_refuses_an_official_already_in_the_meeting(editor_client, db_snapshot):
    meeting = Meeting.objects.get(slug="stoltenberg-blinken-meeting-2022-06-01")
    data = form_data(editor_client.get(admin_url(Participation, "add")))
    data |= {
        "meeting": str(meeting.pk),
        "official": str(Official.objects.get(slug="antony-blinken").pk),
        "role": "Secretary of State",
    }
    before = db_snapshot()

    response = editor_client.post(admin_url(Participation, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"__all__": [DUPLICATE_ROW]}
    assert db_snapshot() == before


def test_unchanged_meeting_form_saves_without_errors(editor_client):
    meeting = Meeting.objects.get(slug="white-house-meeting-2022-06-02")
    rows = participant_rows(meeting)
    data = form_data(editor_client.get(admin_url(Meeting, "change", meeting.pk)))

    response = editor_client.post(admin_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 302
    assert participant_rows(meeting) == rows


def test_meeting_page_lists_its_statements_with_links(editor_client):
    meeting = Meeting.objects.get(slug="stoltenberg-blinken-meeting-2022-06-01")

    response = editor_client.get(admin_url(Meeting, "change", meeting.pk))

    participations, statements = response.context["inline_admin_formsets"]
    assert participations.has_change_permission and not statements.has_change_permission
    listed = [form.instance for form in statements.formset.forms]
    assert listed == list(meeting.statements.all()) != []
    for statement in listed:
        assert f'href="{admin_url(Statement, "change", statement.pk)}"' in response.content.decode()


def test_article_page_lists_its_meetings_and_statements_with_links(editor_client):
    article = Article.objects.get(slug=SEED_SLUG)

    response = editor_client.get(admin_url(Article, "change", article.pk))

    meetings, statements, mentions = response.context["inline_admin_formsets"]
    reported = Meeting.articles.through.objects.filter(article=article).order_by("pk")
    assert [form.instance.meeting_id for form in meetings.formset.forms] == [
        link.meeting_id for link in reported
    ]
    assert len(meetings.formset.forms) == 4
    assert len(statements.formset.forms) == article.statements.count() == 40
    assert len(mentions.formset.forms) == article.mentions.count()
    html = response.content.decode()
    for meeting in article.meetings.all():
        assert f'href="{admin_url(Meeting, "change", meeting.pk)}"' in html
    for statement in article.statements.all():
        assert f'href="{admin_url(Statement, "change", statement.pk)}"' in html


def test_statement_list_shows_speaker_snippet_meeting_and_article(editor_client):
    statement = Statement.objects.get(position=2)

    response = editor_client.get(admin_url(Statement, "changelist"), {"q": "Putin invaded Ukraine"})

    assert list(response.context["cl"].result_list) == [statement]
    html = response.content.decode()
    shown = [
        '<td class="field-speaker_name">Jens Stoltenberg</td>',
        "President Putin wanted less NATO and therefore he invaded Ukraine, but he is getting more…",
        '<td class="field-meeting_title">Jens Stoltenberg meets Joe Biden at the White Hou… (2022-06-02)</td>',
        '<td class="field-article_title">NATO Secretary General visits Washington D.C.</td>',
    ]
    assert [text for text in shown if text not in html] == []


def test_statement_list_query_count_does_not_grow_with_rows(editor_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(admin_url(Statement, "changelist")).status_code == 200
        return len(ctx)

    seeded = queries()
    article, speaker = factories.ArticleFactory(), factories.OfficialFactory()
    for meeting in factories.MeetingFactory.create_batch(5):
        factories.statement_for(factories.ArticleFactory(), speaker, meeting)
    factories.statement_for(article, speaker)

    assert queries() == seeded


def test_statement_form_shows_the_computed_span_read_only(editor_client):
    statement = Statement.objects.get(article__slug=SEED_SLUG, position=1)

    response = editor_client.get(admin_url(Statement, "change", statement.pk))

    form = response.context["adminform"].form
    assert set(form.fields) == {
        "article", "kind", "text", "occurrence", "topics", "speaker", "attribution", "attribution_text",
        "attribution_occurrence", "meeting", "meeting_relation", "date", "date_precision", "date_as_reported",
    }  # fmt: skip
    fields = [field for fieldset in response.context["adminform"] for line in fieldset for field in line]
    assert {field.field["field"] for field in fields if field.is_readonly} == {
        "position",
        "start",
        "end",
        "in_context",
    }
    assert f"<mark>{statement.text}</mark>" in response.content.decode()


def test_misquoted_statement_is_refused_with_an_error_on_text(editor_client, db_snapshot):
    statement = Statement.objects.get(article__slug=SEED_SLUG, position=1)
    data = form_data(editor_client.get(admin_url(Statement, "change", statement.pk)))
    data["text"] = statement.text.replace("great leadership", "strong leadership")
    before = db_snapshot()

    response = editor_client.post(admin_url(Statement, "change", statement.pk), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    expected = NOT_VERBATIM.format(
        "The Secretary General thanked the United States for its strong leader…",
        "The body has its first 56 characters (up to “he United States for its ”), then “g” (U+0067 "
        "LATIN SMALL LETTER G) where the text has “s” (U+0073 LATIN SMALL LETTER S). ",
    )
    assert form.errors == {"text": [expected]}
    assert "errors field-text" in response.content.decode()
    assert db_snapshot() == before


def test_new_misquoted_statement_is_refused_and_nothing_is_saved(editor_client, db_snapshot):
    data = form_data(editor_client.get(admin_url(Statement, "add")))
    data |= {
        "article": str(Article.objects.get(slug=SEED_SLUG).pk),
        "speaker": str(Official.objects.get(slug="antony-blinken").pk),
        "kind": Statement.Kind.QUOTE,
        "text": "NATO is stronger than ever.",
    }
    before = db_snapshot()

    response = editor_client.post(admin_url(Statement, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "text": [NOT_VERBATIM.format("NATO is stronger than ever.", "")]
    }
    assert db_snapshot() == before


def test_editor_adds_a_verbatim_statement_and_its_span_is_computed(editor_client, editor):
    article = Article.objects.get(slug=SEED_SLUG)
    meeting = Meeting.objects.get(slug="stoltenberg-blinken-meeting-2022-06-01")
    text = "They also discussed NATO’s Open Door policy."
    data = form_data(editor_client.get(admin_url(Statement, "add")))
    data |= {
        "article": str(article.pk),
        "speaker": str(Official.objects.get(slug="jens-stoltenberg").pk),
        "meeting": str(meeting.pk),
        "kind": Statement.Kind.QUOTE,
        "text": text,
    }

    response = editor_client.post(admin_url(Statement, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    statement = Statement.objects.get(article=article, text=text)
    assert article.body[statement.start : statement.end] == text
    assert statement.date == meeting.date
    # Numbered where it stands: after the statements before it in the body.
    assert statement.position == article.statements.filter(start__lt=statement.start).count() + 1
    assert statement.history.get().history_user == editor


def test_statement_history_page_shows_the_editors_change(editor_client, editor):
    statement = Statement.objects.get(article__slug=SEED_SLUG, position=1)
    data = form_data(editor_client.get(admin_url(Statement, "change", statement.pk)))
    data["kind"] = Statement.Kind.QUOTE
    assert editor_client.post(admin_url(Statement, "change", statement.pk), data).status_code == 302

    response = editor_client.get(admin_url(Statement, "history", statement.pk))

    latest = response.context["page_obj"][0]
    assert (latest.history_type, latest.history_user) == ("~", editor)
    changes = [(c["field"], c["old"], c["new"]) for c in latest.history_delta_changes]
    assert changes == [("Kind", "paraphrase", "quote")]
    html = response.content.decode()
    start = html.index('<table id="change-history"')
    table = html[start : html.index("</table>", start)]
    assert [
        text for text in [">eddie</a>", "<strong>Kind:</strong>", "paraphrase", "quote"] if text not in table
    ] == []


def test_editors_group_has_exactly_add_change_and_view_on_briefing_models():
    permissions = Group.objects.get(name="Editors").permissions.all()

    assert {(p.content_type.app_label, p.codename) for p in permissions} == {
        ("briefing", f"{action}_{model}")
        for model in [
            "organization",
            "official",
            "post",
            "membership",
            "article",
            "mention",
            "topic",
            "meeting",
            "participation",
            "statement",
            "draft",
        ]
        for action in ["add", "change", "view"]
    }


@pytest.mark.parametrize(
    "url_name",
    ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:authtoken_tokenproxy_changelist"],
)
def test_editor_cannot_open_account_admin(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 403


def test_editor_cannot_delete(editor_client, db_snapshot):
    meeting = Meeting.objects.first()
    before = db_snapshot()

    response = editor_client.post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"})

    assert response.status_code == 403
    assert db_snapshot() == before
