"""Pair-level scores for the validation hold-out and the dev pairs (numpy only)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from training.corpus import SUPPORTS

NEWS_SOURCES = ("fnc1_train", "averitec", "covidfact", "check_covid", "politihop")


def macro_f1(gold: np.ndarray, pred: np.ndarray, classes: int = 3) -> float:
    f1s = []
    for c in range(classes):
        tp = np.sum((pred == c) & (gold == c))
        denom = np.sum(pred == c) + np.sum(gold == c)
        f1s.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1s))


def f1_of(gold: np.ndarray, pred: np.ndarray, c: int) -> float:
    tp = np.sum((pred == c) & (gold == c))
    denom = np.sum(pred == c) + np.sum(gold == c)
    return float(2 * tp / denom) if denom else 0.0


def balanced_accuracy(gold: np.ndarray, pred: np.ndarray) -> float:
    """Mean recall of the two classes of a boolean task."""
    recalls = [np.mean(pred[gold == v] == v) for v in (True, False) if np.any(gold == v)]
    return float(np.mean(recalls))


def val_metrics(probs: np.ndarray, rows: list[dict]) -> dict:
    gold = np.asarray([r["y"] for r in rows])
    pred = probs.argmax(1)
    by_source = defaultdict(list)
    for r, ok in zip(rows, pred == gold, strict=True):
        by_source[r["s"]].append(ok)
    news = [ok for s in NEWS_SOURCES for ok in by_source.get(s, [])]
    return {
        "n": len(rows),
        "acc3": float(np.mean(pred == gold)),
        "macro_f1_3": macro_f1(gold, pred),
        "acc_news": float(np.mean(news)) if news else None,
        "acc_by_source": {s: round(float(np.mean(v)), 4) for s, v in sorted(by_source.items())},
    }


def dev_metrics(probs: np.ndarray, rows: list[dict]) -> dict:
    out = {}
    wice = np.asarray([r["s"] == "wice_dev" for r in rows])
    if wice.any():
        gold = np.asarray([r["y"] for r in rows])[wice] == SUPPORTS
        p_support = probs[wice, SUPPORTS]
        out["wice_dev"] = {
            "n": int(wice.sum()),
            "bacc_support": balanced_accuracy(gold, probs[wice].argmax(1) == SUPPORTS),
            "bacc_support_p50": balanced_accuracy(gold, p_support > 0.5),
        }
    fnc = np.asarray([r["s"] == "fnc1_dev_small" for r in rows])
    if fnc.any():
        frows = [r for r in rows if r["s"] == "fnc1_dev_small"]
        gold = np.asarray([r["y"] for r in frows])
        pred = probs[fnc].argmax(1)
        stance = np.asarray([r["stance"] for r in frows])
        out["fnc1_dev_small"] = {
            "n": int(fnc.sum()),
            "acc3": float(np.mean(pred == gold)),
            "macro_f1_3": macro_f1(gold, pred),
            "disagree_f1": f1_of(gold, pred, 1),
            "agree_f1": f1_of(gold, pred, 0),
            "recall_by_stance": {
                s: float(np.mean(pred[stance == s] == gold[stance == s]))
                for s in ("agree", "disagree", "discuss", "unrelated")
                if np.any(stance == s)
            },
        }

    return out
