"""Drafting a fixture from an article's text (issue 13): quotations, speakers, officials, meetings.

Rule-based and deterministic, plain Python; it reads the database's officials, organizations and
topics and never writes. ``docs/drafting.md`` says how it works, what it misses and how it scores.
"""

from briefing.drafting.fixture import draft_fixture
from briefing.drafting.text import MAX_TEXT_BYTES, DraftInputError, read_article_text

__all__ = ["MAX_TEXT_BYTES", "DraftInputError", "draft_fixture", "read_article_text"]
