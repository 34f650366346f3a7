"""Metric functions on examples small enough to compute by hand."""

import pytest

from workers.evaluation import metrics

S, R, N = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"


def test_bacc_support_averages_recall_of_both_sides():
    # gold S S S NS; pred S N S S -> recall(S) = 2/3, recall(not S) = 0/1
    gold = [S, S, S, "NOT_SUPPORTED"]
    pred = [S, N, S, S]
    assert metrics.bacc_support(gold, pred) == pytest.approx((2 / 3 + 0) / 2)


def test_bacc_support_with_one_class_only_is_that_class_recall():
    assert metrics.bacc_support([R, R], [R, S]) == 0.5


def test_three_way_drops_not_supported_gold():
    assert metrics.three_way([S, "NOT_SUPPORTED", R], [S, R, R]) == ([S, R], [S, R])


def test_macro_f1_by_hand():
    gold, pred = [S, S, R, N], [S, R, R, R]
    # S: tp1 fp0 fn1 -> 2/3; R: tp1 fp2 fn0 -> 2/4; N: tp0 -> 0
    assert metrics.macro_f1(gold, pred, metrics.LABELS3) == pytest.approx((2 / 3 + 0.5 + 0) / 3)


def test_macro_f1_ignores_labels_absent_from_gold_and_predictions():
    assert metrics.macro_f1([S, R], [S, R], metrics.LABELS3) == 1.0


def test_fnc_score_follows_the_official_weights():
    gold = ["agree", "disagree", "discuss", "unrelated", "agree"]
    pred = ["agree", "agree", "unrelated", "unrelated", "discuss"]
    # 1.0 (exact related) + 0.25 (related, wrong stance) + 0 + 0.25 (unrelated) + 0.25
    assert metrics.fnc_score(gold, pred) == 1.75
    assert metrics.fnc_score_rel(gold, pred) == pytest.approx(1.75 / 4.25)


def test_fnc_score_rel_without_stances_does_not_apply():
    assert metrics.fnc_score_rel([], []) is None


def test_evidence_hit_needs_a_whole_gold_set_within_top_k():
    gold_sets = [[(1, 2)], [(4,), (7,)], [(3,)]]
    ranked = [(2, 1, 9), (7,), (0, 1, 3)]
    assert metrics.evidence_hit(gold_sets, ranked, 1) == pytest.approx(1 / 3)
    assert metrics.evidence_hit(gold_sets, ranked, 2) == pytest.approx(2 / 3)
    assert metrics.evidence_hit(gold_sets, ranked, 3) == 1.0


def test_percentile_interpolates_like_numpy():
    assert metrics.percentile([1, 2, 3, 4], 50) == 2.5
    assert metrics.percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)
    assert metrics.percentile([], 50) is None


def test_confusion_counts_gold_rows_and_predicted_columns():
    assert metrics.confusion([S, S, R], [S, R, R]) == {S: {S: 1, R: 1}, R: {R: 1}}


def test_reliability_bins_and_calibration_error():
    bins = metrics.reliability([0.95, 0.95, 0.55, 1.0], [True, False, True, True])
    assert bins == [(0.55, 1.0, 1), (pytest.approx(0.9667, abs=1e-4), pytest.approx(2 / 3), 3)]
    ece = metrics.expected_calibration_error([0.9, 0.9], [True, False])
    assert ece == pytest.approx(0.4)


def test_balanced_accuracy_and_macro_f1_take_class_indices_too():
    assert metrics.balanced_accuracy([True, False, False], [True, True, False]) == 0.75
    assert metrics.macro_f1([0, 1, 2, 2], [0, 1, 2, 1], [0, 1, 2]) == pytest.approx(
        (1 + 2 / 3 + 2 / 3) / 3
    )
    # training's metrics are these (one definition): a class absent everywhere is left out.
    assert metrics.macro_f1([0, 0], [0, 0], [0, 1, 2]) == 1.0
