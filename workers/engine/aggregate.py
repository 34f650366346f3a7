"""From judged passages to a verdict: label, confidence and evidence, best first.

A part is decided from four numbers (`Signals`): the strongest passage's P(supports) and
P(refutes), how much of the part the best non-conflicting passages cover together, and how
relevant the best passage is. The rule is short on purpose: REFUTED when refutation is strong
and support does not beat it by more than a fitted margin; SUPPORTED when one passage or
several together state the part; otherwise NOT_ENOUGH_INFO, citing passages only when they
are relevant (FNC-1's "discuss" vs "unrelated"). A claim is REFUTED if any part is, SUPPORTED
if all parts are. The thresholds are fitted on training data only
(`scripts/engine/fit_thresholds.py` over `training/collect.py`'s rows) and shipped in
`data/thresholds.json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from workers.engine.retrieve import Passage
from workers.engine.types import STANCES, Evidence, Label, PartVerdict

MAX_EVIDENCE = 5
THRESHOLDS_FILE = Path(__file__).with_name("data") / "thresholds.json"


@dataclass(frozen=True)
class Thresholds:
    supports: float = 0.7  # best passage P(supports)
    coverage: float = 0.9  # share of the part the supporting passages cover together
    refutes: float = 0.6  # best passage P(refutes)
    hedging: float = 1.0  # above this share of reporting passages, support is only "discussed"
    debunking: float = 1.01  # from this share of debunking passages on topic, REFUTED
    relevant: float = 0.3  # topic relevance below which a NOT_ENOUGH_INFO verdict cites nothing
    # How far another passage's support must exceed a refutation to outvote it: a passage that
    # contradicts the part (another date, role or number; a negation) is specific, support by
    # word coverage is not. 0 (the default, and the fit of judges fitted without it): the
    # larger of the two wins.
    margin: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def for_judge(cls, judge: str, path: Path = THRESHOLDS_FILE) -> Thresholds:
        """The fitted thresholds of `judge`, or the defaults where none were fitted."""
        fitted = fitted_for(judge, path).get("thresholds", {})
        return cls(**{k: float(v) for k, v in fitted.items() if k in cls.__annotations__})


def fitted_for(judge: str, path: Path = THRESHOLDS_FILE) -> dict:
    """The entry of `judge` in the fitted-parameters file ({} if none)."""
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get(judge, {})


@dataclass(frozen=True)
class Signals:
    support: float  # best passage P(supports)
    refute: float  # best passage P(refutes)
    coverage: float  # joint coverage of the part by the best asserting passages
    relevance: float  # topic relevance of the documents (symbolic.topic_relevance)
    hedging: float = 0.0  # share of the top passages that report rather than assert
    debunking: float = 0.0  # share of the top passages with debunking language

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def decide(s: Signals, t: Thresholds) -> tuple[Label, float]:
    """Label and raw confidence of one part."""
    if s.refute >= t.refutes and s.refute >= s.support - t.margin:
        return "REFUTED", s.refute
    if s.debunking >= t.debunking and s.relevance >= t.relevant:
        return "REFUTED", s.debunking
    if (s.support >= t.supports or s.coverage >= t.coverage) and s.hedging <= t.hedging:
        return "SUPPORTED", max(s.support, s.coverage)
    return "NOT_ENOUGH_INFO", 1.0 - max(s.support, s.refute)


def judge_part(
    text: str,
    candidates: Sequence[Passage],
    probs: np.ndarray,
    relevance: Sequence[float],
    thresholds: Thresholds,
    context: Signals | None = None,
    cover: Sequence[int] = (),
    decision: tuple[Label, float, bool] | None = None,
) -> tuple[PartVerdict, Signals]:
    """Decide one claim part from its candidates' (supports, refutes, neutral) probabilities.

    `context` carries the signals that do not come from `probs` (coverage, relevance, hedging,
    debunking); `cover` lists the passages whose joint coverage counts, cited first when the
    part is SUPPORTED. `decision` (label, confidence, on topic), when given, is the learned
    head's and replaces the thresholds; the evidence is chosen the same way.
    """
    context = context or Signals(0.0, 0.0, 0.0, 0.0)
    if len(candidates) == 0:
        return PartVerdict(text, "NOT_ENOUGH_INFO", 1.0), context
    signals = replace(context, support=float(probs[:, 0].max()), refute=float(probs[:, 1].max()))
    if decision is None:
        label, confidence = decide(signals, thresholds)
        on_topic = signals.relevance >= thresholds.relevant
    else:
        label, confidence, on_topic = decision
    column = {"SUPPORTED": 0, "REFUTED": 1}.get(label)
    first = list(cover) if label == "SUPPORTED" else []
    evidence = _evidence(candidates, probs, relevance, column, on_topic, first)
    return PartVerdict(text, label, round(confidence, 4), tuple(evidence)), signals


def combine(parts: Sequence[PartVerdict]) -> tuple[Label, float]:
    """Overall label and confidence: any part REFUTED, all SUPPORTED, else NOT_ENOUGH_INFO."""
    refuted = [p for p in parts if p.label == "REFUTED"]
    if refuted:
        return "REFUTED", max(p.confidence for p in refuted)
    if parts and all(p.label == "SUPPORTED" for p in parts):
        return "SUPPORTED", min(p.confidence for p in parts)
    undecided = [p for p in parts if p.label == "NOT_ENOUGH_INFO"]
    return "NOT_ENOUGH_INFO", min((p.confidence for p in undecided), default=1.0)


def merge_evidence(parts: Sequence[PartVerdict]) -> tuple[Evidence, ...]:
    """Interleave the parts' evidence (each part's best first), without duplicate spans."""
    seen: set[tuple[str, int, int]] = set()
    merged: list[Evidence] = []
    for rank in range(MAX_EVIDENCE):
        for part in parts:
            if rank < len(part.evidence):
                ev = part.evidence[rank]
                key = (ev.document.id, ev.start, ev.end)
                if key not in seen:
                    seen.add(key)
                    merged.append(ev)
    return tuple(merged[:MAX_EVIDENCE])


def _evidence(
    candidates: Sequence[Passage],
    probs: np.ndarray,
    relevance: Sequence[float],
    column: int | None,
    on_topic: bool,
    first: Sequence[int] = (),
) -> list[Evidence]:
    """Cite the passages that decided the label first, then, if the documents are about the
    claim at all, the other passages that share most with it."""
    if column is not None:
        order = sorted(range(len(candidates)), key=lambda i: (-probs[i, column], -relevance[i]))
    else:
        order = sorted(range(len(candidates)), key=lambda i: (-relevance[i], i))
    order = [*first, *(i for i in order if i not in first)]
    chosen = []
    for i in order:
        stance_index = int(np.argmax(probs[i]))
        if i in first and column is not None:
            # a passage of the supporting cover supports the part, whatever it says alone
            stance_index = column
        decisive = (column is not None and stance_index == column) or i in first
        if not decisive and not (on_topic and relevance[i] > 0):
            continue
        p = candidates[i]
        chosen.append(
            Evidence(
                p.document,
                p.index,
                p.start,
                p.end,
                STANCES[stance_index],
                round(float(probs[i, stance_index]), 4),
            )
        )
        if len(chosen) == MAX_EVIDENCE:
            break
    return chosen
