"""Words with offsets, and the light normalisation that lets "endorsed" meet "endorsing".

The stemmer is deliberately crude and symmetric: claim and evidence go through the same function,
so an over-stemmed word still matches itself. It only has to make inflections of one word agree.
Irregular forms ("took", "children") are first mapped to their base with WordNet's exception
lists (`data/wordnet.json`, built by `scripts/engine/build_lexicon.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Dotted acronyms ("U.S."), numbers with separators ("1,200.5"), then words (apostrophes inside).
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*")
# (suffix, shortest stem it may leave): derivational endings need a longer stem ("comment").
_SUFFIXES = (
    ("ements", 4),
    ("ement", 4),
    ("ments", 4),
    ("ment", 4),
    ("itions", 4),
    ("ition", 4),
    ("ions", 4),
    ("ion", 4),
    ("ingly", 3),
    ("ings", 3),
    ("ing", 3),
    ("edly", 3),
    ("ed", 3),
    ("ers", 4),
    ("er", 4),
    ("ly", 4),
    ("al", 4),
)


@dataclass(frozen=True)
class Token:
    """A word of a text: `surface` is `text[start:end]`; `norm` is its matching key."""

    surface: str
    start: int
    end: int
    norm: str

    @property
    def is_capitalised(self) -> bool:
        return self.surface[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.surface[:1].isdigit()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the words of `text[start:end]` with offsets into `text`."""
    stop = len(text) if end is None else end
    return [
        Token(m.group(), m.start(), m.end(), normalise(m.group()))
        for m in _TOKEN.finditer(text, start, stop)
    ]


def normalise(word: str) -> str:
    """Lower-case, drop a possessive, and stem `word` to its matching key."""
    if word[:1].isdigit():
        return word.replace(",", "").rstrip("%")
    word = word.lower().replace("’", "'").replace(".", "")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    return stem(irregular().get(word, word))


@cache
def irregular() -> dict[str, str]:
    """Inflected forms the stemmer cannot reduce ("took" -> "take"), from WordNet's lists."""
    path = Path(__file__).with_name("data") / "wordnet.json"
    return json.loads(path.read_text(encoding="utf-8"))["irregular"]


def stem(word: str) -> str:
    """Strip common English inflectional and derivational endings."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, shortest in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "stopped" -> "stopp" -> "stop"
    return word
