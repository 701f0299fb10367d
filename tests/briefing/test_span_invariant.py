"""Property: whatever writers do, every statement is its span of the body, numbered in body order.

Hypothesis drives random sequences of body edits (insertions, deletions, moved passages) and
statement creates, updates and deletes through the services — accepted or refused — and after
every step checks the invariant for every statement of the article.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from briefing import services, spans
from briefing.models import Article, Official, Statement

# A few words, so texts repeat and edits make spans ambiguous.
WORDS = st.sampled_from(["we", "agree", "NATO", "the", "talks", "“", "”", ",", ".", "\n\n", "  "])
PHRASES = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
# Edits never shorten the body below this, so there is always a passage to quote or move.
MIN_BODY = 5


class Writers(RuleBasedStateMachine):
    """An article and its statements, written to at random through briefing.services."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.speaker = Official.objects.create(slug="prop-speaker", name="Prop Speaker")
        self.article = services.article_save(
            article=Article(
                slug="prop-article", title="Property", body="we agree on the talks. NATO, we agree."
            )
        )

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def body(self) -> str:
        return Article.objects.get(pk=self.article.pk).body

    def statements(self) -> list[Statement]:
        return list(Statement.objects.filter(article_id=self.article.pk))

    @rule(data=st.data())
    def create_statement(self, data):
        body = self.body()
        start = data.draw(st.integers(0, len(body) - 1))
        end = data.draw(st.integers(start + 1, min(len(body), start + 40)))
        text = body[start:end]
        say_start = data.draw(st.booleans())
        statement = Statement(article=self.article, speaker=self.speaker, kind="quote", text=text)
        self._try(services.statement_save, statement=statement, start=start if say_start else None)

    @precondition(lambda self: Statement.objects.filter(article_id=self.article.pk).exists())
    @rule(data=st.data(), phrase=PHRASES)
    def update_statement(self, data, phrase):
        statement = data.draw(st.sampled_from(self.statements()))
        body = self.body()
        # Either another passage of the body, or words that may not be in it at all.
        if data.draw(st.booleans()):
            start = data.draw(st.integers(0, len(body) - 1))
            statement.text = body[start : data.draw(st.integers(start + 1, min(len(body), start + 40)))]
        else:
            statement.text = phrase
        self._try(services.statement_save, statement=statement)

    @precondition(lambda self: Statement.objects.filter(article_id=self.article.pk).exists())
    @rule(data=st.data())
    def delete_statement(self, data):
        services.statement_delete(statement=data.draw(st.sampled_from(self.statements())))

    @rule(data=st.data(), phrase=PHRASES)
    def insert_words(self, data, phrase):
        body = self.body()
        at = data.draw(st.integers(0, len(body)))
        self._edit(body[:at] + phrase + body[at:])

    @rule(data=st.data())
    def delete_passage(self, data):
        body = self.body()
        start = data.draw(st.integers(0, len(body) - 1))
        end = data.draw(st.integers(start + 1, len(body)))
        if len(body) - (end - start) >= MIN_BODY:
            self._edit(body[:start] + body[end:])

    @rule(data=st.data())
    def move_passage(self, data):
        body = self.body()  # never shorter than MIN_BODY
        cut = data.draw(st.integers(1, len(body) - 1))
        self._edit(body[cut:] + " " + body[:cut])

    def _edit(self, body: str):
        article = Article.objects.get(pk=self.article.pk)
        article.body = body
        self._try(services.article_save, article=article)

    @staticmethod
    def _try(write, **kwargs):
        try:
            with transaction.atomic():
                write(**kwargs)
        except ValidationError:
            pass  # refused: nothing may have changed, which the invariant checks

    @invariant()
    def every_statement_is_its_span(self):
        body = self.body()
        for statement in self.statements():
            assert body[statement.start : statement.end] == statement.text

    @invariant()
    def statements_are_numbered_in_body_order(self):
        rows = list(
            Statement.objects.filter(article_id=self.article.pk)
            .order_by("start", "end", "id")
            .values_list("position", flat=True)
        )
        assert rows == list(range(1, len(rows) + 1))

    @invariant()
    def no_statement_is_ambiguous_unless_a_writer_chose_it(self):
        body = self.body()
        for statement in self.statements():
            assert statement.start in spans.occurrences(body, statement.text)


@pytest.mark.django_db
def test_span_invariant_holds_under_random_writes():
    run_state_machine_as_test(
        Writers,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            derandomize=True,
        ),
    )
