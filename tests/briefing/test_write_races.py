"""Racing writers: a body change and a new statement sent at the same moment, on two connections.

Before the services held the article's row lock, 50 of 50 such races left a statement whose
text was not in its article. Now one of the two writes waits for the other and then answers
by the body it finds: whatever the interleaving, every statement stays verbatim.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from briefing import services
from briefing.models import Article, Official, Statement

pytestmark = pytest.mark.usefixtures("reseeded_after_flush")

RACES = 50
QUOTE = "the border crossing will stay open"
BODY = f"The ministers met at dawn. One said {QUOTE} until spring. They parted at noon."
WITHOUT_QUOTE = "The ministers met at dawn. They parted at noon."


def _race(write_body, write_statement) -> list[BaseException]:
    """Run both writes at once, each on its own connection; return what each raised."""
    barrier = threading.Barrier(2)
    raised: list[BaseException] = []

    def run(write):
        try:
            barrier.wait()
            with transaction.atomic():
                write()
        except ValidationError as exc:
            raised.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(write,)) for write in (write_body, write_statement)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return raised


@pytest.mark.django_db(transaction=True)
def test_body_change_racing_a_new_statement_never_leaves_a_statement_outside_its_article():
    speaker = Official.objects.create(slug="race-speaker", name="Race Speaker")
    article = services.article_save(article=Article(slug="race-article", title="Race", body=BODY))
    outcomes = {"body won": 0, "statement won": 0}
    for _ in range(RACES):

        def change_body():
            stored = Article.objects.get(pk=article.pk)
            stored.body = WITHOUT_QUOTE
            services.article_save(article=stored)

        def add_statement():
            services.statement_save(
                statement=Statement(article=article, speaker=speaker, kind="quote", text=QUOTE)
            )

        refused = _race(change_body, add_statement)

        body = Article.objects.get(pk=article.pk).body
        statements = list(Statement.objects.filter(article=article))
        assert all(body[s.start : s.end] == s.text for s in statements)
        assert len(refused) == 1  # exactly one write lost, and it was told why
        outcomes["statement won" if statements else "body won"] += 1
        Statement.objects.filter(article=article).delete()
        Article.objects.filter(pk=article.pk).update(body=BODY)
    assert sum(outcomes.values()) == RACES
