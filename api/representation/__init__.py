"""Representations declared once, loaded fast.

A resource's JSON is declared once, as DRF serializer fields (which also make the OpenAPI
schema), with ``nested()`` for ordered or bounded lists and ``CountField`` for counts
(``declare``). ``Representation`` compiles that declaration into bulk queries and generated
row-to-dict functions (``compiler``, ``loader``); list pages and details alike are built that
way, so a list item and its detail cannot disagree.
"""

from api.representation.compiler import RepresentationError
from api.representation.declare import CountField, NestedList, RelatedCount, nested
from api.representation.loader import Representation, represent

__all__ = [
    "CountField",
    "NestedList",
    "RelatedCount",
    "Representation",
    "RepresentationError",
    "nested",
    "represent",
]
