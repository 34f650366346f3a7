"""What the fitters maximise: each training source's headline metric, weighted, averaged.

Records carry a `weight` (FNC-1's stratified sample is weighted back to its natural stance mix),
so the metrics here are weighted versions of those in `workers/evaluation/metrics.py`:
balanced accuracy of "is SUPPORTED", 3-way accuracy and the relative FNC-1 score.

The headline metric of a source is chosen by what its labels can tell (fixed in advance, not
from dev results): FNC-1 → fnc_score_rel; a 3-way source → the mean of bacc_support and acc3
(acc3 is what sees REFUTED vs NOT_ENOUGH_INFO); a 2-way source → bacc_support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

LABELS3 = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
RELATED = {"agree", "disagree", "discuss"}
# A source's share of the objective: news claims checked against whole articles (what the
# service does) count double; sentence-level and domain sets (health, climate, NLI) once.
SOURCE_WEIGHT: dict[str, float] = {
    "fnc1_train": 2.0,
    "politihop_train": 2.0,
    "averitec": 2.0,
    "contrast_train": 2.0,
}


# Sources whose documents are whole articles or evidence sets, as the service checks claims
# against (the "documents" variant fits on these alone; sentence-level NLI pairs are left out).
DOCUMENT_SOURCES = frozenset(
    {"fnc1_train", "politihop_train", "averitec", "contrast_train", "qags", "summedits_news"}
)


def bacc_support(gold: Sequence[str], pred: Sequence[str], w: Sequence[float]) -> float | None:
    recalls = []
    for positive in (True, False):
        idx = [i for i, g in enumerate(gold) if (g == "SUPPORTED") == positive]
        total = sum(w[i] for i in idx)
        if total:
            right = sum(w[i] for i in idx if (pred[i] == "SUPPORTED") == positive)
            recalls.append(right / total)
    return float(np.mean(recalls)) if recalls else None


def acc3(gold: Sequence[str], pred: Sequence[str], w: Sequence[float]) -> float | None:
    idx = [i for i, g in enumerate(gold) if g in LABELS3]
    total = sum(w[i] for i in idx)
    return sum(w[i] for i in idx if pred[i] == gold[i]) / total if total else None


def fnc_score_rel(gold: Sequence[str], pred: Sequence[str], w: Sequence[float]) -> float | None:
    """The FNC-1 score (0.25 for relatedness, 0.75 more for the right related stance) over
    the best possible, each pair weighted."""
    got = best = 0.0
    for g, p, weight in zip(gold, pred, w, strict=True):
        if g == "unrelated":
            best += 0.25 * weight
            got += 0.25 * weight * (p == "unrelated")
        else:
            best += weight
            got += weight * ((0.25 if p in RELATED else 0.0) + (0.75 if p == g else 0.0))
    return got / best if best else None


def source_scores(
    rows: Sequence[Mapping], predicted: Mapping[int, tuple[str, str]]
) -> dict[str, dict[str, float]]:
    """Per source: n, bacc_support, acc3, fnc_score_rel (where they apply) and `headline`."""
    out: dict[str, dict[str, float]] = {}
    for source in dict.fromkeys(r["dataset"] for r in rows):
        idx = [i for i, r in enumerate(rows) if r["dataset"] == source and i in predicted]
        gold = [rows[i]["label"] for i in idx]
        pred = [predicted[i][0] for i in idx]
        w = [float(rows[i].get("weight", 1.0)) for i in idx]
        entry = {"n": float(len(idx))}
        for key, value in (
            ("bacc_support", bacc_support(gold, pred, w)),
            ("acc3", acc3(gold, pred, w)),
        ):
            if value is not None:
                entry[key] = value
        stanced = [(rows[i]["stance"], predicted[i][1], wi) for i, wi in zip(idx, w, strict=True)]
        stanced = [s for s in stanced if s[0]]
        if stanced:
            gs, ps, ws = zip(*stanced, strict=True)
            entry["fnc_score_rel"] = fnc_score_rel(gs, ps, ws) or 0.0
        entry["headline"] = headline(entry, three_way=len(set(gold) & set(LABELS3)) == 3)
        out[source] = {k: round(v, 4) for k, v in entry.items()}
    return out


def headline(entry: Mapping[str, float], three_way: bool) -> float:
    if "fnc_score_rel" in entry:
        return entry["fnc_score_rel"]
    if three_way and "acc3" in entry:
        return 0.5 * (entry.get("bacc_support", 0.0) + entry["acc3"])
    return entry.get("bacc_support", entry.get("acc3", 0.0))


def objective(table: Mapping[str, Mapping[str, float]]) -> float:
    """The `SOURCE_WEIGHT`-weighted mean of the sources' headline metrics."""
    if not table:
        return 0.0
    weights = [SOURCE_WEIGHT.get(s, 1.0) for s in table]
    values = [m["headline"] for m in table.values()]
    return float(np.average(values, weights=weights))
