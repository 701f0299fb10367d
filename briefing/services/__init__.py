"""Writes to the briefing domain: every rule that spans rows has its one owner here.

- ``records``: one row under its own rules (``full_clean``), one history record per write.
- ``articles``: a body change keeps every statement's span true, or is refused.
- ``statements``: a statement is a verbatim, unambiguous span of its article, numbered in body
  order, written under the article's row lock.
- ``meetings``: an official takes part once; statements carry their meeting's date.
- ``mentions``: a mention is a verbatim span naming one official.
- ``provenance``: every span of an article (statements, attributions, mentions) over a body edit.
- ``importer`` / ``exporter`` / ``ownership``: article fixtures in and out, and which data an
  import owns (it never destroys an editor's work).

The importer, the admin and the API all call these functions; none of them repeats a rule.
"""

from briefing.services.articles import article_body_check, article_save
from briefing.services.exporter import fixture_export
from briefing.services.fixtures import (
    FixtureError,
    ImportReport,
    fixture_paths,
    fixture_read,
    fixture_schema,
    fixture_validate,
)
from briefing.services.importer import article_import, fixture_import
from briefing.services.meetings import meeting_participants_set, meeting_save, participants_check
from briefing.services.mentions import mention_pin, mention_save, mentions_create
from briefing.services.records import record_delete, record_save
from briefing.services.statements import (
    NewStatement,
    statement_delete,
    statement_pin,
    statement_save,
    statements_create,
)

__all__ = [
    "FixtureError",
    "ImportReport",
    "NewStatement",
    "article_body_check",
    "article_import",
    "article_save",
    "fixture_export",
    "fixture_import",
    "fixture_paths",
    "fixture_read",
    "fixture_schema",
    "fixture_validate",
    "meeting_participants_set",
    "meeting_save",
    "mention_pin",
    "mention_save",
    "mentions_create",
    "participants_check",
    "record_delete",
    "record_save",
    "statement_delete",
    "statement_pin",
    "statement_save",
    "statements_create",
]
