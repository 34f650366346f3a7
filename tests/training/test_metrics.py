"""Pair-level scores used to select and report the judge."""

import numpy as np

from training.metrics import balanced_accuracy, dev_metrics, macro_f1, val_metrics


def test_balanced_accuracy_weighs_both_classes_alike():
    gold = np.array([True, False, False, False])
    assert balanced_accuracy(gold, np.array([True, True, False, False])) == (1 + 2 / 3) / 2
    assert balanced_accuracy(gold, np.zeros(4, dtype=bool)) == 0.5


def test_macro_f1_is_one_only_when_perfect():
    gold = np.array([0, 1, 2, 2])
    assert macro_f1(gold, gold) == 1.0
    assert macro_f1(gold, np.array([0, 1, 2, 1])) < 1.0


def test_val_metrics_reports_per_source_accuracy():
    probs = np.array([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1]])
    rows = [{"y": 0, "s": "mnli"}, {"y": 2, "s": "fnc1_train"}]
    out = val_metrics(probs, rows)
    assert out["acc3"] == 0.5 and out["acc_by_source"] == {"fnc1_train": 0.0, "mnli": 1.0}
    assert out["acc_news"] == 0.0


def test_dev_metrics_scores_wice_on_support_and_fnc_by_stance():
    probs = np.array([[0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    rows = [{"s": "wice_dev", "y": 0, "stance": "-"}, {"s": "wice_dev", "y": 3, "stance": "-"},
            {"s": "fnc1_dev_small", "y": 1, "stance": "disagree"},
            {"s": "fnc1_dev_small", "y": 2, "stance": "discuss"}]  # fmt: skip
    out = dev_metrics(probs, rows)
    assert out["wice_dev"]["bacc_support"] == 0.5
    assert out["fnc1_dev_small"]["acc3"] == 1.0
    assert out["fnc1_dev_small"]["recall_by_stance"] == {"disagree": 1.0, "discuss": 1.0}
