"""Pair-level scores for the validation hold-out and the dev pairs.

The metric definitions live in `workers.evaluation.metrics` (one home, the one `factdesk eval`
reports); this module only maps the trainer's arrays (class indices, `training.corpus`) onto them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from training.corpus import SUPPORTS
from workers.evaluation import metrics

NEWS_SOURCES = ("fnc1_train", "averitec", "covidfact", "check_covid", "politihop")


def macro_f1(gold: np.ndarray, pred: np.ndarray, classes: int = 3) -> float:
    """Macro-F1 over the classes present in gold or predictions (scikit-learn's convention)."""
    return metrics.macro_f1(gold.tolist(), pred.tolist(), list(range(classes))) or 0.0


def f1_of(gold: np.ndarray, pred: np.ndarray, c: int) -> float:
    return metrics.f1(gold.tolist(), pred.tolist(), c)


def balanced_accuracy(gold: np.ndarray, pred: np.ndarray) -> float:
    """Mean recall of the two classes of a boolean task."""
    return metrics.balanced_accuracy(gold.tolist(), pred.tolist()) or 0.0


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
    """Scores on dev pairs, for reporting only: nothing is fitted on them."""
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
