"""Find the sentences of a draft worth fact-checking, and say how worth it each one is.

Pure and rule-based on purpose: it runs on every keystroke-debounced draft post, so it must be
fast, explainable to an editor ("it has a date and a named organisation"), and free of any
model download. A sentence is check-worthy when it asserts something verifiable — a named
person or organisation doing something, a number, a date, an event — and is not a question,
an opinion or page boilerplate. Offsets are code points into the draft.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from workers.engine.segment import segment

THRESHOLD = 0.5  # sentences scoring at or above this are reported as claims


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday"

_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred"
    r"|thousand|million|billion|percent|half|majority|most|all)\b",
    re.I,
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS}|{_WEEKDAYS}|(?:1[89]|20)\d\d|last (?:week|month|year))\b", re.I
)
# Verbs of doing, saying and deciding: the events a newsroom claim is usually about.
_EVENT_VERB = re.compile(
    r"\b(?:\w+ed|is|are|was|were|has|have|had|will|won|lost|said|says|told|became|met|led|"
    r"leads|holds|held|rose|fell|grew|backs|supports|opposes|endorses|announces|serves|"
    r"voted|signed|became|took|made|gave|sent|ran|runs|left|joined)\b",
    re.I,
)
_OPINION = re.compile(
    r"\b(?:i|we) (?:think|believe|feel|hope|guess|suppose)\b|\bin (?:my|our) (?:opinion|view)\b"
    r"|\b(?:should|ought to|must|would be better|let's|let us)\b|\b(?:arguably|perhaps|maybe"
    r"|hopefully|sadly|thankfully|frankly|clearly the best|disgrace(?:ful)?|shameful"
    r"|wonderful|terrible|awful|brilliant|beautiful|amazing)\b",
    re.I,
)
_BOILERPLATE = re.compile(
    r"\b(?:subscribe|sign up|newsletter|click here|read more|follow us|all rights reserved"
    r"|copyright|cookie|advertisement|share this|related articles?|log in|terms of use)\b|©",
    re.I,
)
_COMMON_OPENERS = _wordset(
    "the a an it its this that these those there here he she they we i you his her their our "
    "my your in on at of for from to by with as but and or so yet if when while after before "
    "since although though because despite however meanwhile also still then now over under "
    "during according some many most all no not one"
)
_OPENERS = "\"'“‘([¿¡"
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a draft: `draft[start:end] == text`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ScoredSentence:
    sentence: Sentence
    score: float  # check-worthiness in [0, 1]
    reasons: tuple[str, ...]  # the features that raised or lowered the score

    @property
    def checkworthy(self) -> bool:
        return self.score >= THRESHOLD


def split_sentences(text: str) -> list[Sentence]:
    """Split a draft into sentences with code-point offsets; whitespace is trimmed off each.

    The engine's segmenter does the splitting; a draft also breaks at every line end, since an
    editor's line (a headline, a list item) is a unit even without a full stop.
    """
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        for span in segment(line.group()):
            _append_trimmed(sentences, text, line.start() + span.start, line.start() + span.end)
    return sentences


def score_sentence(text: str) -> ScoredSentence:
    """Score one sentence; see the module docstring for what counts."""
    return _score(Sentence(text, 0, len(text)))


def find_checkworthy(draft: str, threshold: float = THRESHOLD) -> list[ScoredSentence]:
    """Return the draft's sentences that score at or above `threshold`, in draft order."""
    scored = (_score(sentence) for sentence in split_sentences(draft))
    return [item for item in scored if item.score >= threshold]


def _score(sentence: Sentence) -> ScoredSentence:
    text = sentence.text
    words = _WORD.findall(text)
    if text.rstrip().endswith("?"):
        return ScoredSentence(sentence, 0.0, ("question",))
    if len(words) < 4:
        return ScoredSentence(sentence, 0.0, ("too short",))
    if _BOILERPLATE.search(text):
        return ScoredSentence(sentence, 0.0, ("boilerplate",))

    # Weights are hand-set (a log-odds scale): one entity plus an event verb just clears the
    # threshold; numbers and dates add; opinion language outweighs one factual cue.
    features = {
        "named entity": min(_named_entities(words), 3) * 0.9,
        "event verb": 0.8 if _EVENT_VERB.search(text) else -1.5,
        "number": 1.0 if _NUMBER.search(text) else 0.0,
        "date": 1.0 if _DATE.search(text) else 0.0,
        "opinion": -2.5 if _OPINION.search(text) else 0.0,
        "exclamation": -1.0 if text.rstrip().endswith("!") else 0.0,
    }
    logit = -1.5 + sum(features.values())
    reasons = tuple(name for name, weight in features.items() if weight)
    return ScoredSentence(sentence, round(1 / (1 + math.exp(-logit)), 4), reasons)


def _named_entities(words: list[str]) -> int:
    """Count capitalised words (a cheap proper-noun signal), minus common sentence openers."""
    first, rest = (words[0], words[1:]) if words else ("", [])
    count = sum(1 for word in rest if word[:1].isupper())
    return count + (1 if first[:1].isupper() and first.lower() not in _COMMON_OPENERS else 0)


def _append_trimmed(out: list[Sentence], text: str, start: int, end: int) -> None:
    """Append text[start:end] without surrounding space or leading symbols (emoji, bullets)."""
    chunk = text[start:end].rstrip()
    lead = 0
    while lead < len(chunk) and not (chunk[lead].isalnum() or chunk[lead] in _OPENERS):
        lead += 1
    if lead < len(chunk):
        out.append(Sentence(chunk[lead:], start + lead, start + len(chunk)))
