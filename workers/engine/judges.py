"""The engine's judges: the objects that score passages (their names: `vocabulary.JUDGES`).

Every judge turns a claim part and its ranked passages into (n, 3) probabilities in the order
(supports, refutes, neutral). The engine picks one judge object at construction and calls it;
nothing downstream branches on the judge's name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from vocabulary import JUDGES
from workers.engine.retrieve import Passage
from workers.engine.symbolic import DEFAULT_RULES, Features, Rules, probabilities

SYMBOLIC, LEARNED, COMBINED = JUDGES  # the names live in vocabulary/, shared with settings.py
MODEL_TOP_K = 3  # passages the cross-encoder reads per part: each costs ~10 ms on one core
COMBINED_WEIGHT = 0.5  # the learned judge's share in the "combined" judge


class PairModel(Protocol):
    """A cross-encoder: (evidence, claim) pairs -> (n, 3) probabilities."""

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


@dataclass(frozen=True)
class Scores:
    """One part's passage probabilities: the judge's own, every judge's (for the verdict's
    `components`, so one run can refit all of them), and the model's on what it read."""

    own: np.ndarray
    by_judge: dict[str, np.ndarray]
    model: np.ndarray | None  # None: no model was run (the symbolic judge)


class Judge(Protocol):
    name: str
    uses_model: bool

    def score(self, part: str, ranked: Sequence[Passage], feats: Sequence[Features]) -> Scores: ...


class SymbolicJudge:
    """Rules only: term overlap, conflicts and cues (`symbolic.probabilities`)."""

    name = SYMBOLIC
    uses_model = False

    def __init__(self, rules: Rules = DEFAULT_RULES) -> None:
        self.rules = rules

    def score(self, part: str, ranked: Sequence[Passage], feats: Sequence[Features]) -> Scores:
        symbolic = _symbolic(feats, self.rules)
        return Scores(symbolic, dict.fromkeys(JUDGES, symbolic), None)


class ModelJudge:
    """The cross-encoder on the best `MODEL_TOP_K` passages ("learned"), or its even mix with
    the rules ("combined"). Passages beyond those count as neutral for the model.

    `model` returns the process-wide model; it is called per part, so the model loads on first
    use, not when the engine is built.
    """

    uses_model = True

    def __init__(
        self, name: str, model: Callable[[], PairModel], rules: Rules = DEFAULT_RULES
    ) -> None:
        self.name = name
        self._model = model
        self.rules = rules

    def score(self, part: str, ranked: Sequence[Passage], feats: Sequence[Features]) -> Scores:
        symbolic = _symbolic(feats, self.rules)
        read = ranked[:MODEL_TOP_K]
        pairs = [(judge_text(p), part) for p in read]
        model = np.asarray(self._model().predict(pairs), dtype=float).reshape(-1, 3)
        learned = np.tile([0.0, 0.0, 1.0], (len(ranked), 1))
        learned[: len(read)] = model
        combined = COMBINED_WEIGHT * learned + (1 - COMBINED_WEIGHT) * symbolic
        by_judge = {SYMBOLIC: symbolic, LEARNED: learned, COMBINED: combined}
        return Scores(by_judge[self.name], by_judge, model)


def make_judge(name: str, model: Callable[[], PairModel], rules: Rules = DEFAULT_RULES) -> Judge:
    """The judge object called `name`; `model` is used only by the model judges, `rules` (the
    symbolic judge's fitted constants) by all of them."""
    if name not in JUDGES:
        raise ValueError(f"unknown judge {name!r}; expected one of {', '.join(JUDGES)}")
    return SymbolicJudge(rules) if name == SYMBOLIC else ModelJudge(name, model, rules)


def judge_text(passage: Passage) -> str:
    """What the learned judge reads as evidence: the sentence alone.

    Title and previous sentence would help with pronouns but double the tokens, and the
    model's cost grows with them; coverage (symbolic) still credits the context.
    """
    return passage.text


def _symbolic(feats: Sequence[Features], rules: Rules) -> np.ndarray:
    return np.asarray([probabilities(f, rules) for f in feats], dtype=float).reshape(-1, 3)
