"""Domain rules on the models themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from briefing.models import Official, Participation, Topic

pytestmark = pytest.mark.django_db


def test_role_at_the_time_survives_a_change_of_current_title():
    blinken = Official.objects.get(slug="antony-blinken")
    blinken.title = "Former US Secretary of State"
    blinken.save()
    roles = set(Participation.objects.filter(official=blinken).values_list("role", flat=True))
    assert roles == {"US Secretary of State"}


def test_topic_cannot_become_its_own_ancestor():
    enlargement = Topic.objects.get(slug="nato-enlargement")
    enlargement.parent = Topic.objects.get(slug="finland-sweden-applications")
    with pytest.raises(ValidationError) as excinfo:
        enlargement.full_clean()
    assert "own ancestor" in excinfo.value.message_dict["parent"][0]


def test_models_have_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
