"""Metric functions of `../shared/datasets/eval/README.md`, pure and small enough to check by hand.

Every function takes plain sequences (gold, predicted) and returns a float, or None where the
metric does not apply to the data it was given (no positives, no records with a stance, ...).
The one home of these metrics: `factdesk eval`, `training/` and `benchmarks/` all import them.
Labels may be strings (verdicts, stances) or class indices (training's numpy arrays).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

L = TypeVar("L", bound=Hashable)

LABELS3 = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
FNC_RELATED = ("agree", "disagree", "discuss")
FNC_STANCES = ("agree", "disagree", "discuss", "unrelated")


def bacc_support(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """Balanced accuracy of "is SUPPORTED": the mean of the recalls of both sides."""
    return balanced_accuracy([g == "SUPPORTED" for g in gold], [p == "SUPPORTED" for p in pred])


def balanced_accuracy(gold: Sequence[bool], pred: Sequence[bool]) -> float | None:
    """Mean recall of the two sides of a yes/no task (a side absent from gold is left out)."""
    recalls = []
    for side in (True, False):
        idx = [i for i, g in enumerate(gold) if bool(g) == side]
        if idx:
            recalls.append(sum(bool(pred[i]) == side for i in idx) / len(idx))
    return sum(recalls) / len(recalls) if recalls else None


def three_way(gold: Sequence[str], pred: Sequence[str]) -> tuple[list[str], list[str]]:
    """Keep the records whose gold label is one of the three verdicts."""
    keep = [i for i, g in enumerate(gold) if g in LABELS3]
    return [gold[i] for i in keep], [pred[i] for i in keep]


def accuracy(gold: Sequence[L], pred: Sequence[L]) -> float | None:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else None


def f1(gold: Sequence[L], pred: Sequence[L], label: L) -> float:
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(gold: Sequence[L], pred: Sequence[L], labels: Sequence[L]) -> float | None:
    """Mean F1 over the labels that occur in gold or predictions (scikit-learn's convention)."""
    present = [lab for lab in labels if lab in gold or lab in pred]
    return sum(f1(gold, pred, lab) for lab in present) / len(present) if present else None


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """The official FNC-1 weighted score (scorer.py of the FNC-1 baseline)."""
    score = 0.0
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in FNC_RELATED and p in FNC_RELATED:
            score += 0.25
    return score


def fnc_score_rel(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """FNC-1 score divided by the best possible score for these gold stances."""
    best = fnc_score(gold, gold)
    return fnc_score(gold, pred) / best if best else None


def evidence_hit(
    gold_sets: Sequence[Sequence[Sequence[int]]], ranked: Sequence[Sequence[int]], k: int
) -> float | None:
    """Share of records where one gold evidence set lies within the top-k predicted sentences."""
    if not gold_sets:
        return None
    hits = 0
    for sets, predicted in zip(gold_sets, ranked, strict=True):
        top = set(predicted[:k])
        hits += any(set(s) <= top for s in sets if s)
    return hits / len(gold_sets)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation, as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def confusion(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    """Counts as {gold label: {predicted label: n}}."""
    table: dict[str, dict[str, int]] = {}
    for g, p in zip(gold, pred, strict=True):
        row = table.setdefault(g, {})
        row[p] = row.get(p, 0) + 1
    return table


def reliability(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> list[tuple[float, float, int]]:
    """Per confidence bin: (mean confidence, accuracy, count); empty bins are left out."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if lo <= c < hi or (b == bins - 1 and c == 1)]
        if idx:
            out.append(
                (
                    sum(confidences[i] for i in idx) / len(idx),
                    sum(correct[i] for i in idx) / len(idx),
                    len(idx),
                )
            )
    return out


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool]
) -> float | None:
    """Count-weighted mean |accuracy - confidence| over the reliability bins."""
    if not confidences:
        return None
    n = len(confidences)
    return (
        sum(abs(acc - conf) * count for conf, acc, count in reliability(confidences, correct)) / n
    )
