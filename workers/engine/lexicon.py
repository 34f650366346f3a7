"""The committed word lists and country aliases, loaded once per process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from workers.engine.text import normalise, tokenize

_DATA = Path(__file__).with_name("data")

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str]
    polarity: dict[Phrase, tuple[str, int]]  # phrase -> (group, +1 | -1)
    negation: frozenset[Phrase]
    hedges: frozenset[Phrase]
    refute_cues: frozenset[Phrase]
    aliases: dict[Phrase, str]  # normalised phrase -> concept key ("country:HU")
    codes: dict[str, str]  # case-sensitive surface code ("U.S.") -> concept key
    longest_phrase: int


def found(words: Phrase, phrases: frozenset[Phrase]) -> frozenset[Phrase]:
    """Return which of `phrases` occur as contiguous runs of `words`."""
    return frozenset(
        words[i : i + size]
        for i in range(len(words))
        for size in range(1, 5)
        if words[i : i + size] in phrases
    )


@lru_cache(maxsize=4096)
def cues(text: str) -> tuple[frozenset[Phrase], frozenset[Phrase]]:
    """Return the (hedge, refute) cue phrases that occur in `text`."""
    lex = load()
    words = tuple(t.norm for t in tokenize(text))
    return found(words, lex.hedges), found(words, lex.refute_cues)


def phrase(text: str) -> Phrase:
    """Return the normalised word sequence of `text`, the form phrases are matched in."""
    return tuple(t.norm for t in tokenize(text))


@cache
def load() -> Lexicon:
    """Read `data/lexicon.json` and `data/aliases.json` (once per process)."""
    words = json.loads((_DATA / "lexicon.json").read_text(encoding="utf-8"))
    countries = json.loads((_DATA / "aliases.json").read_text(encoding="utf-8"))
    polarity: dict[Phrase, tuple[str, int]] = {}
    for group, signs in words["polarity"].items():
        for sign, entries in signs.items():
            for entry in entries:
                polarity.setdefault(phrase(entry), (group, 1 if sign == "+" else -1))
    aliases = {phrase(name): key for key, names in countries["concepts"].items() for name in names}
    aliases.pop((), None)
    phrases = [*polarity, *aliases]
    return Lexicon(
        stopwords=frozenset(normalise(w) for w in words["stopwords"]),
        polarity=polarity,
        negation=frozenset(phrase(w) for w in words["negation"]) | {("n't",)},
        hedges=frozenset(phrase(w) for w in words["hedges"]),
        refute_cues=frozenset(phrase(w) for w in words["refute_cues"]),
        aliases=aliases,
        codes=dict(countries["codes"]),
        longest_phrase=max(len(p) for p in phrases),
    )
