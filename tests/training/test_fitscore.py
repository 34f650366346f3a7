"""The training objective (weighted metrics) and the threshold fit on collected rows."""

import pytest

from scripts.engine.fit_thresholds import (
    as_judge,
    calibrate,
    fit,
    fit_rules,
    predict,
    with_rules,
)
from training import fitscore
from workers.engine.aggregate import Thresholds
from workers.engine.symbolic import Features, Rules
from workers.evaluation import metrics

GOLD = ["SUPPORTED", "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "REFUTED"]
PRED = ["SUPPORTED", "REFUTED", "REFUTED", "SUPPORTED", "NOT_ENOUGH_INFO"]


def test_unit_weights_give_the_eval_metrics():
    ones = [1.0] * len(GOLD)
    assert fitscore.bacc_support(GOLD, PRED, ones) == pytest.approx(
        metrics.bacc_support(GOLD, PRED)
    )
    assert fitscore.acc3(GOLD, PRED, ones) == pytest.approx(metrics.accuracy(GOLD, PRED))
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated"]
    pred = ["agree", "discuss", "unrelated", "unrelated", "agree"]
    assert fitscore.fnc_score_rel(gold, pred, [1.0] * 5) == pytest.approx(
        metrics.fnc_score_rel(gold, pred)
    )


def test_a_weight_counts_like_repeating_the_record():
    gold = ["agree", "unrelated"]
    pred = ["discuss", "unrelated"]
    repeated = fitscore.fnc_score_rel(
        ["agree", "unrelated", "unrelated"], [*pred, "unrelated"], [1] * 3
    )
    assert fitscore.fnc_score_rel(gold, pred, [1.0, 2.0]) == pytest.approx(repeated)


def test_headline_follows_what_the_labels_can_tell():
    three = {"bacc_support": 0.8, "acc3": 0.6}
    assert fitscore.headline(three, three_way=True) == pytest.approx(0.7)
    assert fitscore.headline(three, three_way=False) == 0.8
    assert fitscore.headline({**three, "fnc_score_rel": 0.5}, three_way=True) == 0.5


def test_objective_weights_the_news_sources_double():
    table = {"fnc1_train": {"headline": 1.0}, "mnli": {"headline": 0.4}}
    assert fitscore.objective(table) == pytest.approx((2 * 1.0 + 0.4) / 3)


def part(support, refute=0.0, coverage=0.0, relevance=1.0):
    return {
        "support": support,
        "refute": refute,
        "coverage": coverage,
        "relevance": relevance,
        "hedging": 0.0,
        "debunking": 0.0,
    }


def rows():
    """Gold SUPPORTED where the support signal is above 0.62, REFUTED where refute is high."""
    out = []
    for i in range(40):
        s = i / 40
        label = "SUPPORTED" if s > 0.62 else "NOT_ENOUGH_INFO"
        out.append({"dataset": "averitec", "label": label, "stance": None, "signals": [part(s)]})
    for _ in range(10):
        out.append(
            {"dataset": "averitec", "label": "REFUTED", "stance": None, "signals": [part(0.1, 0.9)]}
        )
    return out


def test_predict_combines_parts_like_the_engine():
    t = Thresholds()
    two = [
        {
            "dataset": "x",
            "label": "REFUTED",
            "stance": None,
            "signals": [part(0.9), part(0.0, refute=0.9)],
        }
    ]
    assert predict(two, t)[0] == {0: ("REFUTED", "disagree")}
    off_topic = [
        {"dataset": "x", "label": None, "stance": None, "signals": [part(0.0, relevance=0.0)]}
    ]
    assert predict(off_topic, t)[0] == {0: ("NOT_ENOUGH_INFO", "unrelated")}


def test_fit_finds_the_support_threshold_of_the_training_rows():
    fitted = fit(rows(), Thresholds(), rounds=2)
    assert 0.6 <= fitted.supports <= 0.65
    table = fitscore.source_scores(rows(), predict(rows(), fitted)[0])
    assert table["averitec"]["acc3"] == 1.0


def test_calibration_maps_are_monotone_accuracies():
    knots = calibrate(rows(), Thresholds(supports=0.5))
    for points in knots.values():
        ys = [y for _, y in points]
        assert ys == sorted(ys) and all(0.0 <= y <= 1.0 for y in ys)


def test_as_judge_takes_that_judges_support_and_refute():
    row = {"signals": [part(0.5, 0.5)], "components": [{"learned": [0.9, 0.1]}]}
    assert as_judge([row], "learned")[0]["signals"][0]["support"] == 0.9
    assert as_judge([row], "symbolic")[0]["signals"][0]["support"] == 0.5


def reported_rows():
    """Rows whose only passage reports the claim ("X said P"): gold NOT_ENOUGH_INFO, so the
    fitted `reported` factor must keep support below the supports threshold."""
    out = []
    for i in range(20):
        coverage = 0.8 + i / 100
        passage = Features(coverage, 0, False, False, False, True, reported_only=True).as_row()
        out.append(
            {
                "dataset": "contrast_train",
                "label": "NOT_ENOUGH_INFO",
                "stance": None,
                "signals": [part(0.97 * coverage)],
                "passages": [[passage]],
            }
        )
        plain = Features(coverage, 0, False, False, False, False).as_row()
        out.append(
            {
                "dataset": "contrast_train",
                "label": "SUPPORTED",
                "stance": None,
                "signals": [part(0.97 * coverage)],
                "passages": [[plain]],
            }
        )
    return out


def test_with_rules_recomputes_support_from_the_passages():
    row = reported_rows()[0]
    [replayed] = with_rules([row], Rules(reported=0.0))
    assert replayed["signals"][0]["support"] == 0.0
    [replayed] = with_rules([row], Rules(reported=1.0))
    assert replayed["signals"][0]["support"] == pytest.approx(0.8)


def test_fit_rules_learns_that_a_report_does_not_support():
    start = Thresholds(supports=0.5)
    rules, fitted, replayed = fit_rules(reported_rows(), start, Rules(reported=1.0), rounds=1)
    assert rules.reported * 0.99 < fitted.supports
    table = fitscore.source_scores(replayed, predict(replayed, fitted)[0])
    assert table["contrast_train"]["acc3"] == 1.0


def test_features_survive_a_row():
    f = Features(0.5, 1, False, True, False, True, role_swap=True, relation_strength=0.25)
    assert Features.from_row(f.as_row()) == f
