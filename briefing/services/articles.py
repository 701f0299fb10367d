"""Articles: the owner of "changing a body keeps every span quoted from it true".

A new body is accepted only if every span quoted from the article (statements, their attributing
words, mentions) can be found in it again — where the edit kept its passage, or else as the
body's single occurrence of its text. Then every moved span is stored with the body, in the same
locked transaction; otherwise the change is refused, naming each span that would be lost or
ambiguous (``briefing.services.provenance``).
"""

from django.db import transaction

from briefing.models import Article
from briefing.services import provenance, statements
from briefing.services.records import save_in_transaction


def article_body_check(*, article: Article, body: str, pinned: provenance.Pinned | None = None) -> list:
    """The span moves a change of ``article``'s body to ``body`` needs (refused: ``ValidationError``).

    Locks the stored article: the caller's transaction keeps it until the change is saved.
    """
    if article.pk is None:
        return []
    stored = statements.locked_article(article.pk)
    if stored.body == body:
        return []
    return provenance.spans_moved(article=stored, body=body, pinned=pinned)


@transaction.atomic(savepoint=False)
def article_save(
    *, article: Article, reason: str | None = None, pinned: provenance.Pinned | None = None
) -> Article:
    """Create or change an article; a changed body moves its statements' spans or is refused.

    ``pinned``: spans in the new body chosen by the writer (see ``provenance.spans_moved``).
    """
    moves = article_body_check(article=article, body=article.body, pinned=pinned)
    save_in_transaction(instance=article, reason=reason)
    provenance.spans_move(moves=moves, reason=reason or "the article's body changed")
    if moves:
        statements.renumber(article=article)
    return article
