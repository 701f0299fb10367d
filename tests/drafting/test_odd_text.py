"""Whatever the text, a draft is schema-valid and every span in it is verbatim (property-based)."""

import datetime

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from briefing.drafting import DraftInputError, draft_fixture
from briefing.services.fixtures import _fixture_validator

pytestmark = pytest.mark.django_db

PIECES = st.sampled_from(
    ["“", "”", '"', "‘", "’", "'", " ", "\n", "\n\n", ".", ",", ":", "—", "(ret)", "said", "he", "she", "Mr",
     "Dr", "General", "Minister", "President", "the", "of", "met", "on Monday", "Thursday (18 May)",
     "According to", "Anna Vell", "Koval", "KELBRIDGE, June 14 (BPA) -", "joined by", "will", "2023"]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=80).map("".join)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=TEXT, published=st.sampled_from([None, datetime.date(2023, 6, 14)]))
def test_any_text_drafts_a_valid_fixture_with_verbatim_spans_or_a_clear_error(body, published):
    try:
        fixture = draft_fixture(title="Odd text", body=body, published_on=published)
    except DraftInputError:
        assert not body.strip() or any("\ud800" <= c <= "\udfff" for c in body)
        return
    assert not list(_fixture_validator(settings.FIXTURE_SCHEMA_PATH).iter_errors(fixture))
    for row in fixture["statements"]:
        assert body[row["start"] : row["start"] + len(row["text"])] == row["text"]
        if "attribution_text" in row:
            at = row["attribution_start"]
            assert body[at : at + len(row["attribution_text"])] == row["attribution_text"]
    for row in fixture["mentions"]:
        assert body[row["start"] : row["start"] + len(row["text"])] == row["text"]
