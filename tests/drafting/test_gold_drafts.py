"""Every gold article drafts into a fixture that validates, imports as it is, and scores on target."""

import datetime
import json
import time

import pytest

from briefing.drafting import draft_fixture, read_article_text
from briefing.drafting.score import score
from briefing.models import Article, Statement
from briefing.services import fixture_validate
from briefing.services.importer import fixture_import
from tests.gold import GOLD, PATHS, load

pytestmark = pytest.mark.django_db


def _draft(path, slug=None):
    article = load(path)["article"]
    title, body = read_article_text((GOLD / f"{path.stem}.txt").read_bytes())
    when = datetime.date.fromisoformat(article["published_on"]) if article["published_on"] else None
    return draft_fixture(title=title, body=body, published_on=when, slug=slug or f"draft-{path.stem}")


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_gold_article_draft_validates_and_imports_as_it_is(path):
    fixture = _draft(path)
    fixture_validate(json.loads(json.dumps(fixture)), "draft")
    report = fixture_import(data=fixture, source="draft")
    article = Article.objects.get(slug=f"draft-{path.stem}")
    assert report.total("created") > 0
    assert Statement.objects.filter(article=article).count() == len(fixture["statements"])
    for row in Statement.objects.filter(article=article):
        assert article.body[row.start : row.end] == row.text


def test_drafting_is_deterministic():
    path = PATHS[0]
    assert _draft(path) == _draft(path)


def test_a_thousand_word_article_drafts_in_under_a_second():
    path = next(p for p in PATHS if "nato" in p.stem)
    title, body = read_article_text((GOLD / f"{path.stem}.txt").read_bytes())
    words = body.split(" ")
    assert len(words) > 1000
    began = time.perf_counter()
    draft_fixture(title=title, body=body)
    assert time.perf_counter() - began < 1.0


def test_gold_set_scores_meet_the_issue_targets():
    _, c = score()
    assert c["exact"] == c["gold_quotes"]  # exact recall 100%
    assert c["exact"] >= 0.98 * c["draft_quotes"]  # exact precision at least 98%
    assert c["speaker_right"] >= 0.95 * c["speaker_scored"]
    assert c["unknown_named"] == 0
    assert c["date_wrong"] == 0
    tp, fp, fn = c["participant_tp"], c["participant_fp"], c["participant_fn"]
    assert 2 * tp >= 0.9 * (2 * tp + fp + fn)
