"""Drafting a short constructed text in a test: the body, the draft, and its quotations by text."""

import datetime

from briefing.drafting import draft_fixture


def draft(body: str, *, published_on: datetime.date | None = datetime.date(2023, 6, 14)) -> dict:
    """The draft of ``body`` under a fixed headline."""
    return draft_fixture(title="Constructed test article", body=body, published_on=published_on)


def quotes(fixture: dict) -> list[tuple[str, int]]:
    """(text, start) of each drafted quotation."""
    return [(s["text"], s["start"]) for s in fixture["statements"]]


def statement(fixture: dict, text: str) -> dict:
    """The drafted statement whose text starts with ``text``."""
    return next(s for s in fixture["statements"] if s["text"].startswith(text))
