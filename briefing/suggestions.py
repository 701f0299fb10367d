"""The closest existing slugs to a mistyped one, at a bounded cost whatever the table's size.

A filter given an unknown slug answers 400 with a suggestion or two. Comparing the value with
every slug would read the whole table (200,000 meetings in the largest corpus); instead at most
``CANDIDATES`` slugs are read per probe, from probes that find likely matches: slugs sharing the
value's first letters (a range scan of the slug's index) and slugs containing its longest
words. ``difflib`` then ranks those few.
"""

import difflib

from django.db.models import QuerySet
from django.utils.text import slugify

# Slugs read per probe at most; a probe is one query, and there are at most three.
CANDIDATES = 200
PREFIX_LENGTH = 3
WORD_PROBES = 2
MIN_WORD_LENGTH = 3
# How alike (difflib's ratio, 0 to 1) a slug must be to be suggested.
CUTOFF = 0.6


def closest_slugs(queryset: QuerySet, value: str, *, limit: int = 3) -> list[str]:
    """Up to ``limit`` slugs of ``queryset`` closest to ``value`` (a slug, a name, a typo), best first."""
    wanted = slugify(value)
    if not wanted:
        return []
    slugs = queryset.order_by("slug").values_list("slug", flat=True)
    candidates = set(slugs.filter(slug__startswith=wanted[:PREFIX_LENGTH])[:CANDIDATES])
    words = sorted({w for w in wanted.split("-") if len(w) >= MIN_WORD_LENGTH}, key=len, reverse=True)
    for word in words[:WORD_PROBES]:
        candidates.update(slugs.filter(slug__contains=word)[:CANDIDATES])
    # Sorted first, so that equally close slugs come in the same order every time.
    return difflib.get_close_matches(wanted, sorted(candidates), n=limit, cutoff=CUTOFF)
