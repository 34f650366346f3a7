"""Candidate evidence: the passages of the documents, ranked by BM25 against a claim.

A passage is one sentence; its context is the document title and the sentence before it, so
"the Dutch leader" in one sentence can lean on "Mark Rutte" in the previous one. Context helps a
passage be found and judged, but the quoted evidence span is always the sentence itself.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from workers.engine.segment import segment
from workers.engine.terms import Term, analyse
from workers.engine.types import Document

BM25_K1 = 1.2
BM25_B = 0.75
CONTEXT_WEIGHT = 0.5  # a context term counts half as much as one in the sentence itself
DENSE_WEIGHT = 0.5  # share of the dense similarity in the hybrid score


@dataclass(frozen=True)
class Passage:
    document: Document
    index: int  # sentence index within the document's segmentation
    start: int
    end: int
    context: str
    terms: tuple[Term, ...]
    context_terms: tuple[Term, ...]

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]


def passages(documents: Sequence[Document]) -> list[Passage]:
    """Return every sentence of every document as a passage with its context."""
    out: list[Passage] = []
    for document in documents:
        out.extend(_document_passages(document))
    return out


@lru_cache(maxsize=256)
def _document_passages(document: Document) -> tuple[Passage, ...]:
    spans = segment(document.text)
    title = document.title or ""
    title_terms = tuple(analyse(title)) if title else ()
    result = []
    previous_terms: tuple[Term, ...] = ()
    previous_text = ""
    for index, span in enumerate(spans):
        terms = tuple(analyse(document.text, span.start, span.end))
        context = " ".join(p for p in (title, previous_text) if p)
        result.append(
            Passage(
                document, index, span.start, span.end, context, terms, title_terms + previous_terms
            )
        )
        previous_terms, previous_text = terms, document.text[span.start : span.end]
    return tuple(result)


def bm25(query: Sequence[Term], candidates: Sequence[Passage]) -> np.ndarray:
    """Score each passage against the query terms with Okapi BM25 (context at half weight)."""
    if not candidates:
        return np.zeros(0)
    bags = []
    for p in candidates:
        bag: dict[str, float] = dict(Counter(t.key for t in p.terms))
        for t in p.context_terms:
            bag[t.key] = bag.get(t.key, 0.0) + CONTEXT_WEIGHT
        bags.append(bag)
    n = len(bags)
    lengths = np.array([sum(b.values()) for b in bags], dtype=float)
    avg = lengths.mean() or 1.0
    scores = np.zeros(n)
    for key in {t.key for t in query}:
        df = sum(1 for b in bags if key in b)
        if df == 0:
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        tf = np.array([b.get(key, 0.0) for b in bags])
        scores += idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * lengths / avg))
    return scores


def rank(query: Sequence[Term], candidates: Sequence[Passage], k: int) -> list[Passage]:
    """Return the `k` best passages for the query by BM25, best first (ties keep order)."""
    scores = bm25(query, candidates)
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    return [candidates[i] for i in order[:k] if scores[i] > 0]


def fuse(
    query: Sequence[Term], pool: Sequence[Passage], similarity: np.ndarray, k: int
) -> list[Passage]:
    """Re-rank `pool` by BM25 (scaled to [0, 1]) plus dense cosine similarity, best first.

    A passage BM25 missed entirely can still be chosen on similarity alone ("the Dutch leader"
    for "Rutte"), which is what the dense half is for.
    """
    if not pool:
        return []
    lexical = bm25(query, pool)
    top = lexical.max()
    lexical = lexical / top if top > 0 else lexical
    fused = (1 - DENSE_WEIGHT) * lexical + DENSE_WEIGHT * np.clip(similarity, 0.0, 1.0)
    order = sorted(range(len(pool)), key=lambda i: (-fused[i], i))
    return [pool[i] for i in order[:k] if fused[i] > 0]
