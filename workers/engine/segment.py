"""Split a document into sentences whose offsets index the original text exactly.

The engine quotes evidence as `text[start:end]`, so segmentation never rewrites the text: it only
chooses boundaries. News text breaks naive splitters in known places: abbreviations ("U.S.",
"Gen."), initials ("John F. Kennedy"), quotes closing after the full stop, datelines and
paragraphs without a final full stop, and bulleted lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop usually does not end a sentence (lower-cased, no dot).
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "jr",
        "sr",
        "mt",
        "ft",
        "no",
        "vs",
        "etc",
        "inc",
        "corp",
        "co",
        "ltd",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "est",
        "approx",
        "dept",
        "univ",
        "fig",
        "op",
        "pp",
        "vol",
        "al",
    }
)
# A paragraph break, or a line that starts a list item, always ends the sentence before it.
_HARD_BREAK = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*•·]|\d{1,2}[.)])\s)")
# A candidate boundary: terminal punctuation, closing quotes/brackets, then whitespace; emoji
# or pictographs between it and the next capital (chat-style drafts) do not hide the break.
_SOFT_BREAK = re.compile(
    r"[.!?…]+[\"'”’)\]]*(?=\s+(?:[\u2600-\u27bf\U0001f000-\U0001faff]\s*)*[\"'“‘(\[]?[A-Z0-9])"
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+(?:\.[A-Za-z]+)*)\.$")


@dataclass(frozen=True)
class Span:
    """A half-open code-point range [start, end) of a text."""

    start: int
    end: int


def segment(text: str) -> list[Span]:
    """Return the sentences of `text` in order, trimmed of surrounding whitespace."""
    spans: list[Span] = []
    block_start = 0
    for brk in _HARD_BREAK.finditer(text):
        spans.extend(_split_block(text, block_start, brk.start()))
        block_start = brk.end()
    spans.extend(_split_block(text, block_start, len(text)))
    return spans


def _split_block(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    sentence_start = start
    for match in _SOFT_BREAK.finditer(text, start, end):
        if _is_abbreviation(text, sentence_start, match.start(), match.group()):
            continue
        spans.extend(_trimmed(text, sentence_start, match.end()))
        sentence_start = match.end()
    spans.extend(_trimmed(text, sentence_start, end))
    return spans


def _is_abbreviation(text: str, sentence_start: int, punct_start: int, punct: str) -> bool:
    """Say whether the full stop at `punct_start` belongs to an abbreviation, not a sentence end."""
    if not punct.startswith(".") or len(punct.rstrip("\"'”’)]")) > 1:
        return False
    word = _WORD_BEFORE.search(text, max(sentence_start, punct_start - 20), punct_start + 1)
    if word is None:
        return False
    token = word.group(1)
    if "." in token:  # "U.S." or "p.m.": dotted forms; the next word decides
        return not _next_word_starts_sentence(text, punct_start + 1)
    if len(token) == 1 and token.isupper():  # an initial, as in "John F. Kennedy"
        return True
    return token.lower() in _ABBREVIATIONS


_SENTENCE_OPENERS = frozenset(
    {
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "this",
        "that",
        "these",
        "those",
        "but",
        "and",
        "in",
        "on",
        "at",
        "his",
        "her",
        "their",
        "its",
        "there",
        "however",
        "meanwhile",
        "earlier",
        "later",
        "after",
        "before",
    }
)


def _next_word_starts_sentence(text: str, pos: int) -> bool:
    match = re.compile(r"\s+[\"'“‘(]?([A-Za-z]+)").match(text, pos)
    return match is not None and match.group(1).lower() in _SENTENCE_OPENERS


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Span(start, end)] if start < end else []
