"""The briefing domain: who met whom, when and where, about what, and who said what.

Every fact keeps its provenance: meetings point at the articles that report them, and each
statement at its article and at the exact character span of its text in the article body.
Single-row rules live on the models (``clean()`` and named constraints); rules that span rows
are owned by ``briefing.services``, which the importer, the admin and the API all call.
"""

from briefing.models.directory import Membership, Official, Organization, Post
from briefing.models.drafts import Draft
from briefing.models.imports import ImportRecord
from briefing.models.meetings import Meeting, Participation, Topic
from briefing.models.querysets import StoredSearchVector, current_title, related_count, sort_date
from briefing.models.sources import Article, Mention, Statement

__all__ = [
    "Article",
    "Draft",
    "ImportRecord",
    "Meeting",
    "Membership",
    "Mention",
    "Official",
    "Organization",
    "Participation",
    "Post",
    "Statement",
    "StoredSearchVector",
    "Topic",
    "current_title",
    "related_count",
    "sort_date",
]
