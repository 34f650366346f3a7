"""An in-memory BM25 index over the paragraphs of every stored article (the `archive` source).

Pure data structure, no I/O: `workers.sources.archive` keeps it in step with Redis. Units are
paragraphs (split on blank lines; long ones in windows of a few sentences' worth of characters)
so a long article is found by the passage that matches, not by its length. Postings are
append-only `array`s read as numpy views at query time; an updated or deleted article's units
are tombstoned and the index compacts itself when a third of it is dead. Document frequencies
count tombstoned units too (no per-unit term lists to keep); compaction bounds that error.
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass

import numpy as np

K1, B = 1.2, 0.75
MAX_UNIT_CHARS = 1200  # a paragraph longer than this is indexed in windows of about this size
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", re.DOTALL)
# Words too common to say which article a claim is about (English function words).
_STOPWORD_TEXT = (
    "a an and are as at be been but by for from had has have he her his in into is it its of on "
    "or she than that the their them they this to was were which who will with would not no do "
    "does did so if then there these those we you i our your my me us"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def terms(text: str) -> list[str]:
    """Lower-cased word tokens without stopwords and one-letter tokens."""
    words = (w.lower() for w in _WORD.findall(text))
    return [w for w in words if len(w) > 1 and w not in STOPWORDS]


def units(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph, long paragraphs cut at sentence ends."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        while end - start > MAX_UNIT_CHARS:
            cut = text.rfind(". ", start, start + MAX_UNIT_CHARS)
            cut = cut + 1 if cut > start else start + MAX_UNIT_CHARS
            spans.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            spans.append((start, end))
    return spans


@dataclass(frozen=True)
class Hit:
    article_id: str
    revision: str
    score: float
    start: int  # the best-matching passage, as offsets into the revision's text
    end: int


class ArchiveIndex:
    """BM25 over article paragraphs; `upsert` and `remove` keep it current."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self._postings: dict[str, array] = {}  # term -> unit numbers ('I')
        self._tfs: dict[str, array] = {}  # term -> term frequency in that unit ('H')
        self._lengths = array("f")  # unit -> term count
        self._alive = bytearray()  # unit -> 1 while its article revision is current
        self._owner: list[tuple[str, str, int, int]] = []  # unit -> (article, revision, span)
        self._articles: dict[str, tuple[str, range]] = {}  # article -> (revision, its units)
        self._live_units = 0
        self._live_length = 0.0

    def __len__(self) -> int:
        return len(self._articles)

    def revision(self, article_id: str) -> str | None:
        entry = self._articles.get(article_id)
        return entry[0] if entry else None

    def upsert(self, article_id: str, revision: str, text: str) -> None:
        """Index `text` as the current revision of `article_id` (replacing any earlier one)."""
        if self.revision(article_id) == revision:
            return
        self.remove(article_id)
        first = len(self._owner)
        for start, end in units(text):
            unit = len(self._owner)
            words = terms(text[start:end])
            counts: dict[str, int] = {}
            for word in words:
                counts[word] = counts.get(word, 0) + 1
            for word, count in counts.items():
                if word not in self._postings:
                    self._postings[word], self._tfs[word] = array("I"), array("H")
                self._postings[word].append(unit)
                self._tfs[word].append(min(count, 65535))
            self._owner.append((article_id, revision, start, end))
            self._lengths.append(len(words))
            self._alive.append(1)
            self._live_units += 1
            self._live_length += len(words)
        self._articles[article_id] = (revision, range(first, len(self._owner)))

    def remove(self, article_id: str) -> None:
        """Forget `article_id` (no-op when it is not indexed)."""
        entry = self._articles.pop(article_id, None)
        if entry is None:
            return
        for unit in entry[1]:
            self._alive[unit] = 0
            self._live_units -= 1
            self._live_length -= self._lengths[unit]
        if len(self._owner) > 1000 and self._live_units < 2 * len(self._owner) / 3:
            self._compact()

    def search(self, query: str, limit: int, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """Return the best `limit` articles for `query`, each with its best passage."""
        words = sorted(set(terms(query)))
        if not words or not self._live_units:
            return []
        n_units = len(self._owner)
        scores = np.zeros(n_units, dtype=np.float32)
        lengths = np.frombuffer(self._lengths, dtype=np.float32)
        average = self._live_length / self._live_units or 1.0
        for word in words:
            if word not in self._postings:
                continue
            df = len(self._postings[word])
            idf = math.log(1 + (n_units - df + 0.5) / (df + 0.5))
            postings = np.frombuffer(self._postings[word], dtype=np.uint32)
            tf = np.frombuffer(self._tfs[word], dtype=np.uint16).astype(np.float32)
            norm = K1 * (1 - B + B * lengths[postings] / average)
            scores[postings] += idf * tf * (K1 + 1) / (tf + norm)  # a unit appears once per term
        scores *= np.frombuffer(self._alive, dtype=np.uint8)
        candidates = min(n_units, max(limit * 20, 50))
        top = np.argpartition(-scores, candidates - 1)[:candidates]
        hits: list[Hit] = []
        seen: set[str] = set()
        # Best score first; among equals the later unit, i.e. the newer (or newer-revised) article.
        for unit in top[np.lexsort((-top.astype(np.int64), -scores[top]))]:
            if scores[unit] <= 0:
                break
            article_id, revision, start, end = self._owner[unit]
            if article_id in seen or article_id in exclude:
                continue
            seen.add(article_id)
            hits.append(Hit(article_id, revision, float(scores[unit]), start, end))
            if len(hits) == limit:
                break
        return hits

    def _compact(self) -> None:
        """Drop tombstoned units and renumber the rest (postings stay in unit order)."""
        alive = np.frombuffer(self._alive, dtype=np.uint8).astype(bool)
        renumber = np.cumsum(alive, dtype=np.int64) - 1
        for word in list(self._postings):
            postings = np.frombuffer(self._postings[word], dtype=np.uint32)
            keep = alive[postings]
            if not keep.any():
                del self._postings[word], self._tfs[word]
                continue
            tfs = np.frombuffer(self._tfs[word], dtype=np.uint16)[keep]
            self._postings[word] = array("I", renumber[postings[keep]].astype(np.uint32).tobytes())
            self._tfs[word] = array("H", tfs.tobytes())
        kept = np.flatnonzero(alive)
        self._owner = [self._owner[unit] for unit in kept]
        self._lengths = array("f", np.frombuffer(self._lengths, dtype=np.float32)[kept].tobytes())
        self._alive = bytearray(b"\x01" * len(kept))
        self._articles = {
            article_id: (revision, range(int(renumber[r.start]), int(renumber[r.start]) + len(r)))
            if len(r)
            else (revision, range(0))
            for article_id, (revision, r) in self._articles.items()
        }
