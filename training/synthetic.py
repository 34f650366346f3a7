"""FactCC-style synthetic pairs: real news sentences, transformed, labelled by construction.

Each transformation takes one sentence of a real article and returns (evidence, claim, label) or
None when it does not apply. The evidence is the sentence inside its neighbours, so the judge learns
to find the relevant sentence in a window, as it must at run time.

Labels and why:
- number / entity swap, negation, antonym predicate -> refutes: the claim states what the
  evidence contradicts.
- dropped qualifier, synonym paraphrase, verbatim copy -> supports: everything the claim says is
  in the evidence.
- unrelated sentence from another article -> neutral.
- attribution ("Officials said that P", "P, reportedly") -> neutral: an article that *reports* a
  claim does not assert it. This matches FNC-1, where such "discuss" bodies count as
  NOT_ENOUGH_INFO, and is the distinction the first CPU model missed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from training.textwin import STOPWORDS

SUPPORTS, REFUTES, NEUTRAL = 0, 1, 2

ANTONYMS: dict[str, str] = {
    "praised": "criticised", "criticised": "praised", "criticized": "praised",
    "supported": "opposed", "opposed": "supported", "supports": "opposes", "opposes": "supports",
    "endorsed": "rejected", "rejected": "accepted", "accepted": "rejected",
    "approved": "rejected", "increased": "decreased", "decreased": "increased",
    "rose": "fell", "fell": "rose", "won": "lost", "lost": "won", "wins": "loses",
    "confirmed": "denied", "denied": "confirmed", "agreed": "refused", "refused": "agreed",
    "allowed": "banned", "banned": "allowed", "raised": "lowered", "lowered": "raised",
    "arrested": "released", "released": "arrested", "opened": "closed", "closed": "opened",
    "began": "ended", "ended": "began", "started": "stopped", "stopped": "started",
    "admitted": "denied", "joined": "left", "left": "joined", "survived": "died",
    "died": "survived", "succeeded": "failed", "failed": "succeeded", "higher": "lower",
    "lower": "higher", "more": "fewer", "fewer": "more", "before": "after", "after": "before",
    "first": "last", "last": "first", "largest": "smallest", "biggest": "smallest",
    "increase": "decrease", "decrease": "increase", "gained": "lost", "cut": "raised",
    "true": "false", "false": "true", "legal": "illegal", "illegal": "legal",
    "guilty": "innocent", "innocent": "guilty", "alive": "dead", "dead": "alive",
    "backed": "opposed", "welcomed": "condemned", "condemned": "welcomed",
}  # fmt: skip

SYNONYMS: dict[str, str] = {
    "said": "stated", "says": "states", "told": "informed", "backed": "supported",
    "bought": "purchased", "began": "started", "started": "began", "ended": "finished",
    "big": "large", "large": "big", "help": "assist", "helped": "assisted",
    "show": "indicate", "showed": "indicated", "shows": "indicates", "killed": "slew",
    "about": "around", "nearly": "almost", "almost": "nearly", "people": "individuals",
    "children": "kids", "car": "vehicle", "ask": "request", "asked": "requested",
    "got": "received", "received": "got", "buy": "purchase", "needs": "requires",
    "need": "require", "announced": "declared", "wants": "wishes", "tried": "attempted",
}  # fmt: skip

SPEAKERS = (
    "Officials", "A spokesman", "Local media", "The newspaper", "Witnesses", "Police",
    "The report", "Sources close to the matter", "Critics", "A blogger", "Social media users",
)  # fmt: skip
ATTRIBUTION_TEMPLATES = (
    "{speaker} said that {p}", "{speaker} claimed that {p}", "According to {speaker_l}, {p}",
    "It was reported that {p}", "Unconfirmed reports suggest that {p}",
    "{speaker} alleged that {p}", "{P}, {speaker_l} said.", "{P}, according to reports.",
    "Rumours circulated online that {p}", "{speaker} denied reports that {p}",
)  # fmt: skip

_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])"  # 12,500
    r"|(?<![\w.,])\d+(?:\.\d+)?(?![\w.,]*\w)"  # 120, 3.5 (not 4G, not dates like 1.2.3)
)
# have/has/had are left out: as main verbs ("have a memory") they do not take a bare "not".
_AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|should|did|does)\b(?! not\b)")
_NEGATED = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|did|does) not ")
_NAME = re.compile(r"(?<!^)(?<![.!?] )\b([A-Z][a-z]+(?: [A-Z][a-z]+)*)\b")
_CLAUSE = re.compile(r", (?:who|which|where|when|while|although|as|after|before)[^,]+,")
_ADVERB = re.compile(r" (?!only\b|early\b|family\b|reply\b|apply\b|July\b|Italy\b)[a-z]+ly\b")


@dataclass(frozen=True)
class SyntheticPair:
    evidence: str
    claim: str
    label: int
    kind: str


Transform = Callable[[str, random.Random], "str | None"]


def swap_number(sentence: str, rng: random.Random) -> str | None:
    numbers = list(_NUMBER.finditer(sentence))
    if not numbers:
        return None
    m = rng.choice(numbers)
    text = m.group()
    value = float(text.replace(",", ""))
    if value:
        new = value * rng.choice((2, 3, 0.5, 10)) + rng.choice((1, 3, 7))
    else:
        new = rng.randint(2, 9)
    new_text = f"{int(new):,}" if "," in text else (f"{new:.1f}" if "." in text else str(int(new)))
    if new_text == text:
        return None
    return sentence[: m.start()] + new_text + sentence[m.end() :]


def negate(sentence: str, rng: random.Random) -> str | None:
    negated = _NEGATED.search(sentence)
    if negated:  # removing an existing negation flips the meaning just as well
        return sentence[: negated.start()] + negated.group(1) + " " + sentence[negated.end() :]
    m = _AUX.search(sentence)
    if not m:
        return None
    return sentence[: m.end()] + " not" + sentence[m.end() :]


def antonym(sentence: str, rng: random.Random) -> str | None:
    words = [m for m in re.finditer(r"\b[a-z]+\b", sentence) if m.group() in ANTONYMS]
    if not words:
        return None
    m = rng.choice(words)
    return sentence[: m.start()] + ANTONYMS[m.group()] + sentence[m.end() :]


def drop_qualifier(sentence: str, rng: random.Random) -> str | None:
    clause = _CLAUSE.search(sentence)
    if clause:
        return sentence[: clause.start()] + sentence[clause.end() :]
    adverb = _ADVERB.search(sentence)
    if adverb:
        return sentence[: adverb.start()] + sentence[adverb.end() :]
    return None


def paraphrase(sentence: str, rng: random.Random) -> str | None:
    words = [m for m in re.finditer(r"\b[a-z]+\b", sentence) if m.group() in SYNONYMS]
    if not words:
        return None
    out = sentence
    for m in sorted(rng.sample(words, min(2, len(words))), key=lambda m: -m.start()):
        out = out[: m.start()] + SYNONYMS[m.group()] + out[m.end() :]
    return out


def attribute(sentence: str, rng: random.Random) -> str | None:
    """Wrap the sentence in a report of it: this is the *evidence*, the sentence is the claim."""
    if sentence.startswith(('"', "“", "'")) or not sentence.endswith("."):
        return None
    speaker = rng.choice(SPEAKERS)
    body = sentence[:-1]
    lowered = body[0].lower() + body[1:] if body[:2].istitle() or body[1:2].islower() else body
    out = rng.choice(ATTRIBUTION_TEMPLATES).format(
        speaker=speaker, speaker_l=speaker[0].lower() + speaker[1:], p=lowered, P=body
    )
    return out if out.endswith(".") else out + "."


def swap_entity(sentence: str, others: Sequence[str], rng: random.Random) -> str | None:
    """Replace a capitalised name (not the sentence's first word) with another from the article."""
    names = [m for m in _NAME.finditer(sentence) if is_name(m.group())]
    candidates = [o for o in others if o not in sentence]
    if not names or not candidates:
        return None
    m = rng.choice(names)
    return sentence[: m.start()] + rng.choice(candidates) + sentence[m.end() :]


CLAIM_EDITS: dict[str, tuple[Transform, int]] = {
    "number_swap": (swap_number, REFUTES),
    "negation": (negate, REFUTES),
    "antonym": (antonym, REFUTES),
    "drop_qualifier": (drop_qualifier, SUPPORTS),
    "paraphrase": (paraphrase, SUPPORTS),
}
KINDS = (*CLAIM_EDITS, "entity_swap", "copy", "unrelated", "attribution")


def usable(sentence: str) -> bool:
    n = len(sentence.split())
    return 6 <= n <= 45 and sentence[-1:] in '.!"”' and not sentence.isupper()


def context(
    sentences: Sequence[str], i: int, rng: random.Random, replace: str | None = None
) -> str:
    """Sentence i with 0-2 neighbours around it; `replace` stands in for sentence i if given."""
    lo = max(0, i - rng.randint(0, 1))
    hi = min(len(sentences), i + 1 + rng.randint(0, 1))
    window = list(sentences[lo:hi])
    if replace is not None:
        window[i - lo] = replace
    return " ".join(window)


# Day and month names are capitalised too, but swapping one for a person's name is nonsense.
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december""".split()  # noqa: SIM905
)


def is_name(word: str) -> bool:
    first = word.split()[0].lower()
    return len(word) > 3 and first not in STOPWORDS and first not in _CALENDAR


def names_in(sentences: Sequence[str]) -> list[str]:
    return sorted({m.group() for s in sentences for m in _NAME.finditer(s) if is_name(m.group())})


def pairs_for_document(
    sentences: Sequence[str], other_claims: Sequence[str], rng: random.Random
) -> Iterator[SyntheticPair]:
    """At most one synthetic pair per usable sentence of one article, kinds drawn at random."""
    names = names_in(sentences)
    for i, sentence in enumerate(sentences):
        if not usable(sentence):
            continue
        kind = rng.choice(KINDS)
        if kind in CLAIM_EDITS:
            edit, label = CLAIM_EDITS[kind]
            claim = edit(sentence, rng)
            if claim and claim != sentence:
                yield SyntheticPair(context(sentences, i, rng), claim, label, kind)
        elif kind == "entity_swap":
            claim = swap_entity(sentence, names, rng)
            if claim and claim != sentence:
                yield SyntheticPair(context(sentences, i, rng), claim, REFUTES, kind)
        elif kind == "copy":
            yield SyntheticPair(context(sentences, i, rng), sentence, SUPPORTS, kind)
        elif kind == "unrelated" and other_claims:
            yield SyntheticPair(context(sentences, i, rng), rng.choice(other_claims), NEUTRAL, kind)
        elif kind == "attribution":
            reported = attribute(sentence, rng)
            if reported:
                yield SyntheticPair(context(sentences, i, rng, reported), sentence, NEUTRAL, kind)


def generate(documents: Sequence[Sequence[str]], seed: int = 13) -> list[SyntheticPair]:
    """Synthetic pairs for sentence-split articles; the same seed gives the same pairs."""
    rng = random.Random(seed)
    pool = [s for doc in documents for s in doc if usable(s)]
    out: list[SyntheticPair] = []
    for doc in documents:
        # Unrelated claims come from other articles: sample a few from the whole pool, skip own.
        others = [s for s in rng.sample(pool, min(8, len(pool))) if s not in doc]
        out.extend(pairs_for_document(doc, others, rng))
    return out
