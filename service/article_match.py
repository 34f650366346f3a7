"""Pick, for a claim, the stored article most likely to speak to it (drafts without article_id).

A cheap lexical score, not a verdict: the content words a claim shares with an article, each
weighted by how rare it is among the candidates (IDF), so "NATO" in every article counts for
little and "Iohannis" in one counts for a lot. The engine then judges the claim against the
chosen article alone, exactly as if the client had named it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from workers.engine.lexicon import load as load_lexicon
from workers.engine.text import tokenize


@dataclass(frozen=True)
class Candidate:
    """A stored article as a bag of content words; `rank` orders ties (higher: newer)."""

    article_id: str
    terms: frozenset[str]
    rank: int


def content_terms(text: str) -> frozenset[str]:
    """Return the normalised words of `text` that carry content (no stopwords, no 1-2 letter)."""
    stopwords = load_lexicon().stopwords
    return frozenset(t.norm for t in tokenize(text) if len(t.norm) > 2 and t.norm not in stopwords)


@lru_cache(maxsize=256)
def article_terms(text: str) -> frozenset[str]:
    """`content_terms` of an article text, remembered: the same articles score every draft."""
    return content_terms(text)


def best_article(claim: str, candidates: Sequence[Candidate]) -> str:
    """Return the id of the candidate sharing the most (IDF-weighted) content with `claim`.

    Ties, including "shares nothing with any article", go to the newest candidate.

    :raise ValueError: when there are no candidates.
    """
    if not candidates:
        raise ValueError("no candidate articles")
    idf = _idf(candidates)
    wanted = content_terms(claim)

    def score(candidate: Candidate) -> tuple[float, int]:
        return sum(idf[t] for t in wanted & candidate.terms), candidate.rank

    return max(candidates, key=score).article_id


def _idf(candidates: Sequence[Candidate]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for candidate in candidates:
        for term in candidate.terms:
            counts[term] = counts.get(term, 0) + 1
    total = len(candidates)
    # +1 keeps a word found in every candidate worth something: it still beats no overlap.
    return {term: math.log((1 + total) / (1 + df)) + 1.0 for term, df in counts.items()}
