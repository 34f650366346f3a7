"""The symbolic judge: does a passage state the claim, contradict it, or neither?

It compares terms (see `terms.py`): how much of the claim the passage covers (entities count
double), whether the claim's entities and numbers are there, whether stance words agree in sign
("endorsed" vs "opposed", "confirmed" vs "refrained from commenting"), and whether a claim word is
negated on one side only. Every probability it returns comes from those few features, so a verdict
can be explained by reading them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from workers.engine.lexicon import cues
from workers.engine.relations import Relation
from workers.engine.terms import Term, analyse

CONTEXT_CREDIT = 0.9  # a claim term found only in the title or preceding sentence
MISSING_ENTITY_FACTOR = 0.5  # each claim entity absent from the passage halves the strength
REPORTED_AS_HEDGE = True  # "X said P" only reports P, as "reportedly P" does
UNBIND_BY_ROLE = True  # an entity the passage puts in another role does not cover the claim's
RELATION_BOOST = True  # a relation conflict refutes as strongly as its frame aligns
RELATION_CONFLICTS = True  # relation conflicts refute (off: features only, for an ablation)
LEAD_SENTENCES = 3
BIND_WINDOW = 8  # terms before a passage's stance word where the claim's subject must be
QUANTITIES = ("number", "weekday", "month")


@dataclass(frozen=True)
class Rules:
    """How much each passage signal weakens support or makes refutation: the rule constants
    `scripts/engine/fit_thresholds.py` fits on training data with the thresholds (stored
    under the judge's `rules` in `data/thresholds.json`). The defaults are the hand-set values
    they start from."""

    hedge: float = 0.6  # a passage that only reports the claim supports it this much less
    reported: float = 0.5  # ... one whose frame reports it ("X said P")
    silent: float = 0.6  # the passage has the predicate but not the claim's entity in its role
    swap: float = 0.7  # roles exchanged ("Rutte endorsed Germany"): not stated, seldom denied
    number_conflict: float = 0.7  # another number, weekday or month than the claim's
    refute_cue: float = 0.8  # "X falsely claimed <claim>": refutes, if it is about the claim

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Features:
    coverage: float  # weighted share of claim terms found in the passage or its context
    missing_entities: int
    stance_conflict: bool  # a stance word of the claim has the opposite sign in the passage
    negation_conflict: bool  # a claim word is negated on one side only
    number_conflict: bool  # a claim number is absent while the passage states other numbers
    hedged: bool  # the passage reports rather than asserts ("reportedly", "claims that")
    refute_cue: bool = False  # the passage uses debunking language ("hoax", "falsely")
    unbound: frozenset[str] = frozenset()  # claim subjects this passage names in another role
    bound: frozenset[str] = frozenset()  # claim subjects this passage binds to the claim's stance
    # Relation checks (`relations.py`; all False where the relation layer is off or silent):
    role_support: bool = False  # a passage frame states the claim's, every name in its role
    role_conflict: bool = False  # ... fills a claim role with another named entity
    role_swap: bool = False  # ... has the claim's agent and patient exchanged
    predicate_conflict: bool = False  # ... the opposite predicate, or negated on one side only
    attitude_conflict: bool = False  # ... the opposite attitude to the same content
    date_conflict: bool = False  # ... another weekday, month, year or number for the event
    reported_only: bool = False  # ... only as reported speech where the claim asserts it
    silent_role: bool = False  # ... the predicate, without the claim's entity in its role
    relation_strength: float = 0.0  # how much of the claim frame the conflicting frame aligns

    @property
    def strength(self) -> float:
        return self.coverage * MISSING_ENTITY_FACTOR**self.missing_entities

    @property
    def relation_conflict(self) -> bool:
        return RELATION_CONFLICTS and (
            self.role_conflict
            or self.predicate_conflict
            or self.attitude_conflict
            or self.date_conflict
        )

    @property
    def conflict(self) -> bool:
        return self.stance_conflict or self.negation_conflict or self.relation_conflict

    def as_row(self) -> dict[str, float]:
        """The numbers `probabilities` reads, for refitting `Rules` without the engine (zeros
        and False left out: `from_row` restores them)."""
        return {
            f.name: round(float(getattr(self, f.name)), 4)
            for f in fields(self)
            if f.name not in ("unbound", "bound") and getattr(self, f.name)
        }

    @classmethod
    def from_row(cls, row: dict[str, float]) -> Features:
        kinds = {f.name: f.type for f in fields(cls)}
        cast = {"int": int, "bool": bool, "float": float}
        values: dict[str, Any] = {"coverage": 0.0, "missing_entities": 0}
        values.update({k: cast[str(kinds[k])](v) for k, v in row.items() if k in kinds})
        for name, kind in kinds.items():
            if kind == "bool":
                values.setdefault(name, False)
        return cls(**values)

    def relation_features(self) -> dict[str, float]:
        """The relation checks as numbers (names: `relations.RELATION_FEATURES`)."""
        return {
            "role_support": float(self.role_support),
            "role_conflict": float(self.role_conflict),
            "role_swap": float(self.role_swap),
            "predicate_conflict": float(self.predicate_conflict),
            "attitude_conflict": float(self.attitude_conflict),
            "date_conflict": float(self.date_conflict),
            "reported_only": float(self.reported_only),
            "silent_role": float(self.silent_role),
        }


def features(
    claim: Sequence[Term],
    sentence: Sequence[Term],
    context: Sequence[Term],
    sentence_text: str = "",
    claim_text: str = "",
    relation: Relation | None = None,
) -> Features:
    """Compare the terms of a claim with those of a passage (sentence plus context).

    A cue the claim itself contains ("Bloomberg reported ...", "X denied ...") is not held
    against a passage that repeats it. `relation` carries what the passage's frames say of the
    claim's (who did what to whom): an entity the passage puts in another role than the
    claim's cannot count towards coverage, as with the stance binding below.
    """
    hedges, refute_cues = cues(sentence_text)
    claim_hedges, claim_refute_cues = cues(claim_text)
    stance_conflict, unbound, bound = _stances(claim, sentence, context)
    relation = relation or Relation()
    if UNBIND_BY_ROLE:
        bound = bound | relation.bound
        unbound = (unbound | relation.unbound) - relation.bound
    in_sentence = {t.key for t in sentence} - unbound
    in_context = {t.key for t in context} - unbound
    coverage, missing = _covered(claim, in_sentence, in_context)
    return Features(
        coverage=coverage,
        missing_entities=missing,
        stance_conflict=stance_conflict,
        negation_conflict=_negation_conflict(claim, sentence),
        number_conflict=_quantity_conflict(claim, sentence),
        hedged=bool(hedges - claim_hedges) or (REPORTED_AS_HEDGE and relation.reported_only),
        refute_cue=bool(refute_cues - claim_refute_cues),
        unbound=unbound,
        bound=bound,
        role_support=relation.support,
        role_conflict=relation.role_conflict,
        role_swap=relation.swap,
        predicate_conflict=relation.predicate_conflict,
        attitude_conflict=relation.attitude_conflict,
        date_conflict=relation.date_conflict,
        reported_only=relation.reported_only,
        silent_role=relation.silent,
        relation_strength=relation.strength,
    )


def probabilities(f: Features, rules: Rules = DEFAULT_RULES) -> tuple[float, float, float]:
    """Map features to (supports, refutes, neutral)."""
    strength = f.strength
    if f.relation_conflict:
        # The passage's frame is the claim's with one role, date, attitude or polarity changed:
        # that alignment, not word overlap, is how strongly it refutes.
        boost = f.relation_strength if RELATION_BOOST else 0.0
        supports, refutes = 0.02, 0.95 * max(strength, boost)
    elif f.conflict:
        supports, refutes = 0.02, 0.95 * strength
    elif f.refute_cue:
        supports, refutes = 0.02, rules.refute_cue * strength
    elif f.number_conflict:
        supports, refutes = 0.05, rules.number_conflict * strength
    elif f.role_swap:
        supports, refutes = 0.05, rules.swap * strength
    elif f.reported_only:
        supports, refutes = rules.reported * strength, 0.01
    elif f.hedged:
        supports, refutes = rules.hedge * strength, 0.01
    elif f.silent_role:
        supports, refutes = rules.silent * strength, 0.01
    else:
        supports, refutes = 0.97 * strength, 0.01
    return supports, refutes, max(0.0, 1.0 - supports - refutes)


class SymbolicJudge:
    """Judge (evidence, claim) pairs by term agreement; no model, no state."""

    name = "symbolic"

    def __init__(self, rules: Rules = DEFAULT_RULES) -> None:
        self.rules = rules

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Return (n, 3) probabilities (supports, refutes, neutral) for (evidence, claim) pairs."""
        return self.predict_in_context([("", evidence, claim) for evidence, claim in pairs])

    def predict_in_context(self, items: Sequence[tuple[str, str, str]]) -> np.ndarray:
        """Like `predict` for (context, sentence, claim) triples: context only helps coverage."""
        rows = [
            probabilities(
                features(analyse(claim), analyse(sentence), analyse(context), sentence, claim),
                self.rules,
            )
            for context, sentence, claim in items
        ]
        return np.asarray(rows, dtype=float).reshape(len(rows), 3)


def _stances(
    claim: Sequence[Term], sentence: Sequence[Term], context: Sequence[Term] = ()
) -> tuple[bool, frozenset[str], frozenset[str]]:
    """Align claim stance words with the passage's: (sign conflict, unbound, bound subjects).

    The passage's stance word that counts is the one nearest before the claim's object (the first
    claim term after the stance word that the passage also has): in "X opposed Rutte's bid, citing
    remarks advocating Y", X's stance on Rutte is "opposed", on Y "advocating". The claim's
    subject (its last entity before the stance word) must then stand within `BIND_WINDOW` terms
    before that word if the sentence names it at all: in "France and Germany endorsing Rutte,
    Iohannis cited Romania's record", Romania is not who endorsed. A subject the sentence does
    not name may come from the context (title, previous sentence), unless the sentence names
    another actor right before its stance word ("Szijjarto's objection" is Szijjarto's).
    """
    conflict = False
    unbound: set[str] = set()
    bound_subjects: set[str] = set()
    for i, stance in enumerate(claim):
        if stance.kind != "stance":
            continue
        candidates = [t for t in sentence if t.key == stance.key]
        if not candidates:
            continue
        anchor = next(
            (s for c in claim[i + 1 :] for s in sentence if s.key == c.key and s.kind != "stance"),
            None,
        )
        if anchor is not None:
            before = [t for t in candidates if t.end <= anchor.start]
            chosen = before[-1] if before else min(candidates, key=lambda t: t.start - anchor.end)
        else:
            chosen = candidates[0]
        conflict = conflict or chosen.sign != stance.sign
        subject = next((t for t in reversed(claim[:i]) if t.kind == "entity"), None)
        if subject is None:
            continue
        position = sentence.index(chosen)
        window = sentence[max(0, position - BIND_WINDOW) : position]
        claim_keys = {t.key for t in claim}
        if any(t.key == subject.key for t in sentence):
            bound = any(t.key == subject.key for t in window)
        elif any(t.key == subject.key for t in context):
            bound = not any(t.kind == "entity" and t.key not in claim_keys for t in window)
        else:
            continue
        (bound_subjects if bound else unbound).add(subject.key)
    return conflict, frozenset(unbound), frozenset(bound_subjects)


def _quantity_conflict(claim: Sequence[Term], sentence: Sequence[Term]) -> bool:
    """A claim number, weekday or month is absent where the passage gives another of its kind."""
    for kind in QUANTITIES:
        wanted = {t.key for t in claim if t.kind == kind}
        given = {t.key for t in sentence if t.kind == kind}
        if wanted - given and given:
            return True
    return False


def _negation_conflict(claim: Sequence[Term], sentence: Sequence[Term]) -> bool:
    first: dict[str, Term] = {}
    for term in sentence:
        first.setdefault(term.key, term)
    return any(
        t.kind == "word" and t.key in first and first[t.key].negated != t.negated for t in claim
    )


def joint_coverage(claim: Sequence[Term], passages: Sequence[tuple[Sequence[Term], ...]]) -> float:
    """How much of the claim several passages cover together (entity-penalised like `strength`).

    Long claims ("X, born in Y, won Z in 2004") are seldom stated by one sentence; each
    passage is (sentence terms, context terms), and context earns `CONTEXT_CREDIT`.
    """
    in_sentences = {t.key for sentence, _ in passages for t in sentence}
    in_context = {t.key for _, context in passages for t in context}
    coverage, missing = _covered(claim, in_sentences, in_context)
    return coverage * MISSING_ENTITY_FACTOR**missing


def greedy_cover(
    claim: Sequence[Term], passages: Sequence[tuple[Sequence[Term], ...]], k: int
) -> tuple[float, list[int]]:
    """Choose up to `k` passages that together cover most of the claim (greedy set cover).

    Returns the joint coverage of the chosen passages and their indices, in the order chosen:
    the first states most of the claim, each next one adds what is still missing.
    """
    chosen: list[int] = []
    best = 0.0
    for _ in range(k):
        gains = [
            (joint_coverage(claim, [passages[j] for j in [*chosen, i]]), -i)
            for i in range(len(passages))
            if i not in chosen
        ]
        if not gains:
            break
        value, negative_index = max(gains)
        if value <= best + 1e-9:
            break
        best = value
        chosen.append(-negative_index)
    return best, chosen


def _covered(
    claim: Sequence[Term], in_sentence: set[str], in_context: set[str]
) -> tuple[float, int]:
    """Weighted share of claim terms present, and the number of claim entities absent.

    Context (title, previous sentence) may supply names and words, never the stance: the
    sentence quoted as evidence has to say "endorsed" itself.
    """
    in_context = {k for k in in_context if not k.startswith("pol:")}
    weights: dict[str, float] = {}
    for term in claim:
        weights[term.key] = max(weights.get(term.key, 0.0), term.weight)
    total = sum(weights.values()) or 1.0
    covered = sum(
        w if k in in_sentence else w * CONTEXT_CREDIT if k in in_context else 0.0
        for k, w in weights.items()
    )
    missing = {t.key for t in claim if t.kind == "entity"} - in_sentence - in_context
    return covered / total, len(missing)


def topic_relevance(claim: Sequence[Term], document: Sequence[Sequence[Term]]) -> float:
    """How much a document is about the claim, whatever it says of it, in [0, 1].

    The mean of the share of the claim's distinct terms found in the document's first
    `LEAD_SENTENCES` sentences and in the whole document: news puts its topic in the lead.
    Unweighted on purpose: in headline-style claims every word is capitalised.
    """
    keys = {t.key for t in claim}
    if not keys or not document:
        return 0.0
    lead = {t.key for sentence in document[:LEAD_SENTENCES] for t in sentence}
    everywhere = {t.key for sentence in document for t in sentence}
    return 0.5 * (len(keys & lead) + len(keys & everywhere)) / len(keys)


def misplaced_subjects(feats: Sequence[Features]) -> frozenset[str]:
    """Claim subjects that passages name only in another role, never bound to the stance.

    Joint coverage may gather a claim's terms from several passages, but not against the
    evidence: if "Romania" appears only where others did the endorsing, no other passage may
    supply it. A subject no passage names in another role ("He won ...") stays free to come
    from anywhere.
    """
    unbound = frozenset().union(*(f.unbound for f in feats))
    bound = frozenset().union(*(f.bound for f in feats))
    return unbound - bound
