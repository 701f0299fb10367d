"""A deterministic, skewed synthetic corpus for performance work at scale (see docs/corpus.md).

``words`` is the vocabulary; ``text`` builds names, sentences and article bodies from a seeded
``random.Random``; ``cast`` plans organizations, officials, topics, meetings and articles as
plain data; ``writer`` bulk-creates a whole corpus of a given size through the models.
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
