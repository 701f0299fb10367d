"""Mentions: the owner of "a mention is a verbatim span of its article, naming one official".

Like statements, mentions are written under their article's row lock and pinned to one span of
the body (the writer gives ``start`` when the text occurs more than once).
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from briefing import spans, validators
from briefing.models import Article, Mention
from briefing.services.records import full_clean, save_in_transaction
from briefing.services.statements import locked_article


def mention_pin(*, mention: Mention, start: int | None = None, body: str | None = None) -> None:
    """Give ``mention`` its span in ``body`` (default: its article's); refuse text not there once."""
    if not mention.text or mention.article_id is None:
        return
    body = mention.article.body if body is None else body
    hint = None if mention._state.adding else mention.start
    try:
        validators.not_only_whitespace(mention.text)
        span = spans.locate(body, mention.text, start=start, hint=hint)
    except ValidationError as exc:
        raise ValidationError({"start" if exc.code == "not_at_start" else "text": exc}) from exc
    mention.start, mention.end = span.start, span.end


@transaction.atomic(savepoint=False)
def mention_save(*, mention: Mention, start: int | None = None, reason: str | None = None) -> Mention:
    """Create or change one mention under its article's lock."""
    if mention.article_id is not None:
        mention.article = locked_article(mention.article_id)
    mention_pin(mention=mention, start=start)
    return save_in_transaction(instance=mention, reason=reason)


def mentions_create(
    *, article: Article, new: Sequence[tuple[Mention, int | None]], reason: str | None
) -> None:
    """Create many mentions of one article under one lock (inside the caller's transaction).

    Raises the first refusal with ``params["index"]`` naming the mention at fault.
    """
    article = locked_article(article.pk)
    for index, (mention, start) in enumerate(new):
        mention.article = article
        try:
            mention_pin(mention=mention, start=start)
            full_clean(mention, fetched=["article", "official"])
        except ValidationError as exc:
            exc.params = {**(getattr(exc, "params", None) or {}), "index": index}
            raise
        mention._change_reason = reason
    rows = Mention.objects.bulk_create([mention for mention, _ in new])
    Mention.history.bulk_history_create(rows)
