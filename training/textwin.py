"""Sentence splitting and best-overlap windows, used to cut long premises down to trainable size.

Training and dev-pair building share these so a long article is shortened the same way everywhere.
Deliberately simple (regex sentences, word-set overlap): it only has to find the part of a long
premise that talks about the hypothesis, not to be a segmenter the engine relies on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n\s*\n+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we you i his her their our your my not no do does
    did has have had will would can could should may might must shall than then there here
    which who whom whose what when where why how all any some such so very just also into over
    about after before up down out s""".split()  # noqa: SIM905 - a word list reads best as text
)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; blank lines always end one."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - STOPWORDS


def overlap(window: str, hypothesis_words: set[str]) -> float:
    """Share of the hypothesis' content words that the window contains."""
    if not hypothesis_words:
        return 0.0
    return len(content_words(window) & hypothesis_words) / len(hypothesis_words)


def best_window(sentences: Sequence[str], hypothesis: str, size: int = 3) -> str:
    """The `size` consecutive sentences that cover most of the hypothesis (earliest on ties)."""
    if len(sentences) <= size:
        return " ".join(sentences)
    words = content_words(hypothesis)
    best_start, best_score = 0, -1.0
    for start in range(len(sentences) - size + 1):
        score = overlap(" ".join(sentences[start : start + size]), words)
        if score > best_score:
            best_start, best_score = start, score
    return " ".join(sentences[best_start : best_start + size])


def shorten(premise: str, hypothesis: str, max_words: int = 120, size: int = 3) -> str:
    """`premise` itself when short enough, else its best-overlap window of `size` sentences."""
    if len(premise.split()) <= max_words:
        return premise
    window = best_window(split_sentences(premise), hypothesis, size)
    # A run-on "sentence" (lists, tables) can still be huge: keep its head.
    return " ".join(window.split()[: max_words * 2])
