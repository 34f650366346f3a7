"""Turn records and predictions into the per-dataset metrics of the README."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workers.evaluation import metrics
from workers.evaluation.records import Record, pair_of


@dataclass(frozen=True)
class Prediction:
    """What scoring needs of one verdict."""

    id: str
    label: str
    confidence: float
    cited: bool  # the verdict quotes any evidence (FNC: discuss vs unrelated)
    sentences: tuple[int, ...]  # dataset sentence indices of the evidence, best first
    latency_ms: float
    details: dict


def fnc_stance(prediction: Prediction) -> str:
    """Map a verdict to an FNC-1 stance (README: NEI with evidence is "discuss")."""
    if prediction.label == "SUPPORTED":
        return "agree"
    if prediction.label == "REFUTED":
        return "disagree"
    return "discuss" if prediction.cited else "unrelated"


def is_correct(gold: str | None, predicted: str) -> bool:
    """Whether a verdict is right: NOT_SUPPORTED gold accepts anything but SUPPORTED."""
    if gold == "NOT_SUPPORTED":
        return predicted != "SUPPORTED"
    return gold == predicted


def score(
    records: Sequence[Record], predictions: Sequence[Prediction], wall_s: float
) -> dict[str, object]:
    """Metrics for one dataset; a key appears only where the metric applies."""
    labelled = [(r, p) for r, p in zip(records, predictions, strict=True) if r.label]
    gold = [r.label or "" for r, _ in labelled]
    pred = [p.label for _, p in labelled]
    out: dict[str, object] = {"n": len(records)}
    _put(out, "bacc_support", metrics.bacc_support(gold, pred))
    g3, p3 = metrics.three_way(gold, pred)
    _put(out, "acc3", metrics.accuracy(g3, p3))
    _put(out, "macro_f1_3", metrics.macro_f1(g3, p3, metrics.LABELS3))
    stanced = [
        (r.stance, fnc_stance(p)) for r, p in zip(records, predictions, strict=True) if r.stance
    ]
    if stanced:
        gs, ps = [g for g, _ in stanced], [p for _, p in stanced]
        _put(out, "fnc_score_rel", metrics.fnc_score_rel(gs, ps))
        out["refuted_f1"] = round(metrics.f1(gs, ps, "disagree"), 4)
        out["fnc_confusion"] = metrics.confusion(gs, ps)
    with_evidence = [(r, p) for r, p in labelled if r.label == "SUPPORTED" and r.evidence]
    for k in (1, 3, 5):
        _put(
            out,
            f"evidence_hit@{k}",
            metrics.evidence_hit(
                [r.evidence for r, _ in with_evidence], [p.sentences for _, p in with_evidence], k
            ),
        )
    latencies = [p.latency_ms for p in predictions]
    _put(out, "p50_ms", metrics.percentile(latencies, 50))
    _put(out, "p95_ms", metrics.percentile(latencies, 95))
    _put(out, "claims_per_s", len(records) / wall_s if wall_s > 0 else None)
    correct = [is_correct(r.label, p.label) for r, p in labelled]
    _put(
        out, "ece", metrics.expected_calibration_error([p.confidence for _, p in labelled], correct)
    )
    if labelled:
        out["confusion"] = metrics.confusion(gold, pred)
    if any(r.kind for r in records):
        out.update(contrast_scores(records, predictions))
    return out


def contrast_scores(
    records: Sequence[Record], predictions: Sequence[Prediction]
) -> dict[str, object]:
    """Contrast sets: `pair_acc` (both halves of a pair right) and accuracy per edit kind.

    A kind's accuracy counts both halves of its pairs, so a judge that calls everything
    SUPPORTED scores 0.5 there, not 1.0.
    """
    by_kind: dict[str, list[bool]] = {}
    by_pair: dict[str, list[bool]] = {}
    for r, p in zip(records, predictions, strict=True):
        if r.kind is None or r.label is None:
            continue
        ok = is_correct(r.label, p.label)
        by_kind.setdefault(r.kind, []).append(ok)
        pair = pair_of(r)
        if pair is not None:
            by_pair.setdefault(pair, []).append(ok)
    out: dict[str, object] = {}
    whole = [all(v) for v in by_pair.values() if len(v) == 2]  # --limit may cut a pair in half
    _put(out, "pair_acc", sum(whole) / len(whole) if whole else None)
    out["acc_by_kind"] = {k: round(sum(v) / len(v), 4) for k, v in sorted(by_kind.items())}
    out["n_by_kind"] = {k: len(v) for k, v in sorted(by_kind.items())}
    return out


def _put(out: dict[str, object], key: str, value: float | None) -> None:
    if value is not None:
        out[key] = round(value, 4)
