"""A deterministic, skewed synthetic corpus for performance work at scale (see docs/corpus.md).

``text`` builds names, sentences and article bodies from a seeded ``random.Random``;
``writer`` bulk-creates a whole corpus of a given size through the briefing models.
"""

from briefing.corpus.writer import (
    SIZES,
    CorpusSize,
    briefing_row_count,
    corpus_analyze,
    corpus_flush,
    corpus_generate,
)

__all__ = ["SIZES", "CorpusSize", "briefing_row_count", "corpus_analyze", "corpus_flush", "corpus_generate"]
