"""Turn text into the terms the engine compares: entities, numbers, stance words, content words.

A term is what survives of a word once aliases are resolved ("Budapest" and "Hungarian" both
become `country:HU`), stance words are put in their group ("backs" and "endorsed" both become
`pol:attitude`, keeping their sign), and negation is noted ("did not endorse" has sign -1).
"""

from __future__ import annotations

from dataclasses import dataclass

from workers.engine.lexicon import Lexicon, load
from workers.engine.text import Token, tokenize

NEGATION_SCOPE = 4  # words after a negation cue whose polarity it flips
COMPOSITION_SCOPE = 40  # characters: "opposed the endorsement", "dissenter in the support"


@dataclass(frozen=True)
class Term:
    key: str
    start: int
    end: int
    kind: str  # "entity", "number", "weekday", "month", "stance", "word"
    sign: int = 0  # for stance terms: +1 / -1 after negation
    negated: bool = False
    weight: float = 1.0


def analyse(text: str, start: int = 0, end: int | None = None) -> list[Term]:
    """Return the terms of `text[start:end]` in order, with offsets into `text`."""
    lex = load()
    tokens = tokenize(text, start, end)
    names = not _title_case(tokens, lex)
    terms: list[Term] = []
    negated_until = -1
    i = 0
    while i < len(tokens):
        size, term = _match_phrase(tokens, i, lex)
        if size:
            if term is None:  # a negation cue
                negated_until = i + size - 1 + NEGATION_SCOPE
            else:
                terms.append(_negate(term) if i <= negated_until else term)
            i += size
            continue
        token = tokens[i]
        date = lex.dates.get(token.surface.lower().rstrip("."))
        if date and token.is_capitalised:  # "May" the month, not "may" the modal
            terms.append(Term(date[1], token.start, token.end, date[0], weight=2.0))
        elif token.norm not in lex.stopwords and len(token.norm) > 1 or token.is_number:
            term = _word_term(tokens, i, lex, names)
            terms.append(_negate(term) if i <= negated_until else term)
        i += 1
    return _compose(terms)


def _compose(terms: list[Term]) -> list[Term]:
    """Flip a positive stance word governed by a negative one just before it.

    "a dissenter in the support for X" and "rejected the endorsement of X" are against X.
    """
    out: list[Term] = []
    for term in terms:
        prev = next((t for t in reversed(out) if t.kind == "stance"), None)
        if (
            term.kind == "stance"
            and term.sign > 0
            and prev is not None
            and prev.key == term.key
            and prev.sign < 0
            and term.start - prev.end <= COMPOSITION_SCOPE
        ):
            term = Term(term.key, term.start, term.end, term.kind, -1, term.negated, term.weight)
        out.append(term)
    return out


def _match_phrase(tokens: list[Token], i: int, lex: Lexicon) -> tuple[int, Term | None]:
    """Match the longest alias, stance or negation phrase at `i`: (words used, term or None)."""
    if tokens[i].surface in lex.codes:
        t = tokens[i]
        return 1, Term(lex.codes[t.surface], t.start, t.end, "entity", weight=2.0)
    if tokens[i].surface.lower().endswith("n't"):
        return 1, None
    for size in range(min(lex.longest_phrase, len(tokens) - i), 0, -1):
        words = tuple(t.norm for t in tokens[i : i + size])
        first, last = tokens[i], tokens[i + size - 1]
        if words in lex.aliases and (size > 1 or first.is_capitalised):
            return size, Term(lex.aliases[words], first.start, last.end, "entity", weight=2.0)
        if words in lex.negation:
            return size, None
        if words in lex.polarity:
            group, sign = lex.polarity[words]
            return size, Term(f"pol:{group}", first.start, last.end, "stance", sign=sign)
    return 0, None


def _title_case(tokens: list[Token], lex: Lexicon) -> bool:
    """Say whether capitals mark headline style ("Apple To Unveil New Laptop"), not names."""
    words = [t for t in tokens if not t.is_number and t.norm not in lex.stopwords]
    capitalised = sum(t.is_capitalised for t in words)
    # "To", "The", "At" capitalised mid-sentence only happen in headline style.
    small = sum(t.is_capitalised for t in tokens[1:] if t.norm in lex.stopwords)
    if small >= 1:
        return len(words) >= 3 and capitalised >= 0.7 * len(words)
    return len(words) >= 5 and capitalised == len(words)


def _word_term(tokens: list[Token], i: int, lex: Lexicon, names: bool = True) -> Term:
    token = tokens[i]
    if token.is_number:
        return Term(token.norm, token.start, token.end, "number", weight=2.0)
    if names and token.is_capitalised:
        # In a name ("Mark Rutte", "Peter Szijjarto") the last word identifies; the rest helps.
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.is_capitalised and nxt.norm not in lex.stopwords:
            return Term(token.norm, token.start, token.end, "word", weight=0.5)
        return Term(token.norm, token.start, token.end, "entity", weight=2.0)
    return Term(token.norm, token.start, token.end, "word")


def _negate(term: Term) -> Term:
    return Term(term.key, term.start, term.end, term.kind, -term.sign, True, term.weight)
