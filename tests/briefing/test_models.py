"""Domain rules on the models themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from briefing.models import Article, Official, Participation, Statement, Topic

pytestmark = pytest.mark.django_db


def test_role_at_the_time_survives_a_change_of_current_title():
    blinken = Official.objects.get(slug="antony-blinken")
    blinken.title = "Former US Secretary of State"
    blinken.save()
    roles = set(Participation.objects.filter(official=blinken).values_list("role", flat=True))
    assert roles == {"US Secretary of State"}


def test_statement_clean_computes_offsets_from_the_text():
    article = Article.objects.get()
    statement = Statement(
        article=article,
        speaker=Official.objects.get(slug="lloyd-austin"),
        kind=Statement.Kind.PARAPHRASE,
        text="NATO has grown stronger and more united",
    )
    statement.full_clean()
    assert article.body[statement.start : statement.end] == "NATO has grown stronger and more united"
    assert statement.position == 41


def test_statement_clean_refuses_text_not_in_its_article():
    statement = Statement.objects.get(article__slug__isnull=False, position=1)
    statement.text = "The Secretary General thanked nobody."
    with pytest.raises(ValidationError) as excinfo:
        statement.full_clean()
    assert "does not occur verbatim" in excinfo.value.message_dict["text"][0]


def test_article_body_edit_that_drops_a_quoted_statement_is_refused():
    article = Article.objects.get()
    article.body = article.body.replace("more energized", "more energised")
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "no longer contains" in excinfo.value.message_dict["body"][0]


def test_topic_cannot_become_its_own_ancestor():
    enlargement = Topic.objects.get(slug="nato-enlargement")
    enlargement.parent = Topic.objects.get(slug="finland-sweden-applications")
    with pytest.raises(ValidationError) as excinfo:
        enlargement.full_clean()
    assert "own ancestor" in excinfo.value.message_dict["parent"][0]


def test_models_have_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
