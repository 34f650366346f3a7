"""Fitting the learned head: targets from gold labels, the allowed-mass loss, grouped folds,
offsets tuned out of fold, and the training-only objective."""

import numpy as np
import pytest

from training import fitscore
from training.fit_head import (
    _fold,
    cross_validate,
    decide_records,
    design,
    fit,
    fit_variant,
    record_predictions,
    targets,
    tune_bias,
)
from workers.engine.head import OUTCOMES


def row(dataset="fnc1_train", label=None, stance=None, parts=1, group="ab12", id_="r1", **feats):
    return {
        "dataset": dataset,
        "id": id_,
        "group": group,
        "label": label,
        "stance": stance,
        "parts": [dict(feats) for _ in range(parts)],
    }


def test_stances_map_one_to_one_and_labels_to_their_allowed_outcomes():
    assert targets(row(stance="discuss", label="NOT_ENOUGH_INFO")) == [(2,)]
    assert targets(row(stance="unrelated", label="NOT_ENOUGH_INFO")) == [(3,)]
    assert targets(row(label="NOT_ENOUGH_INFO")) == [(2, 3)]
    assert targets(row(label="NOT_SUPPORTED")) == [(1, 2, 3)]
    assert targets(row(label="SUPPORTED", parts=2)) == [(0,), (0,)]


def test_a_claim_of_several_parts_that_is_not_supported_teaches_nothing():
    # which part is wrong is unknown
    assert targets(row(label="REFUTED", parts=2)) is None
    assert targets(row(label=None)) is None


def make_rows(n=300, seed=0):
    """One informative feature: x > 0.5 supported, x < -0.5 refuted, else unrelated."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        x = float(rng.uniform(-1, 1))
        stance = "agree" if x > 0.5 else "disagree" if x < -0.5 else "unrelated"
        rows.append(
            row(stance=stance, label="X", group=f"{i:04x}", id_=str(i), a=x, b=float(rng.normal()))
        )
    return rows


@pytest.mark.parametrize("hidden", [0, 8])
def test_fit_learns_a_separable_problem(hidden):
    rows = make_rows()
    x, allowed, weight = design(rows, ("a", "b"))
    head = fit(x, allowed, weight, ("a", "b"), hidden=hidden, steps=600, lr=0.05)
    predicted = head.predict([{"a": 0.9, "b": 0.0}, {"a": -0.9, "b": 0.0}, {"a": 0.0, "b": 0.0}])
    assert [OUTCOMES[i] for i in predicted.argmax(axis=1)] == ["SUPPORTED", "REFUTED", "UNRELATED"]


def test_anything_but_supported_is_learned_as_not_supported():
    rows = [row("qags", "NOT_SUPPORTED", group=f"{i:04x}", id_=str(i), a=1.0) for i in range(50)]
    x, allowed, weight = design(rows, ("a",))
    head = fit(x, allowed, weight, ("a",), steps=300, lr=0.05)
    assert head.predict([{"a": 1.0}])[0, 0] < 0.05


def test_record_predictions_combine_parts_like_the_engine():
    rows = make_rows()
    x, allowed, weight = design(rows, ("a", "b"))
    head = fit(x, allowed, weight, ("a", "b"), steps=600, lr=0.05)
    two = [{**row(label="SUPPORTED"), "parts": [{"a": 0.9}, {"a": -0.9}]}]
    assert record_predictions(two, head, [0]) == {0: ("REFUTED", "disagree")}
    unrelated = [{**row(label="X"), "parts": [{"a": 0.0}]}]
    assert record_predictions(unrelated, head, [0]) == {0: ("NOT_ENOUGH_INFO", "unrelated")}


def test_folds_keep_a_document_together():
    same_body = [row(group="beef", id_=str(i)) for i in range(20)]
    assert len({_fold(r) for r in same_body}) == 1
    many = [row(group=f"{i:04x}", id_=str(i)) for i in range(50)]
    assert len({_fold(r) for r in many}) == 5


def test_cross_validation_scores_every_record_out_of_fold():
    rows = make_rows(200)
    probabilities = cross_validate(rows, ("a", "b"), steps=200, lr=0.05)
    assert set(probabilities) == set(range(200))
    table = fitscore.source_scores(rows, decide_records(probabilities))
    assert table["fnc1_train"]["n"] == 200
    assert table["fnc1_train"]["fnc_score_rel"] > 0.9


def test_offsets_move_the_decision_towards_the_objective():
    # The head says "unrelated" a little more than "supported" for every row, but every
    # gold label is SUPPORTED: an offset on SUPPORTED fixes it.
    rows = [row("averitec", "SUPPORTED", group=str(i), id_=str(i), a=0.0) for i in range(20)]
    probabilities = {i: np.asarray([[0.4, 0.05, 0.05, 0.5]]) for i in range(20)}
    assert fitscore.objective(fitscore.source_scores(rows, decide_records(probabilities))) == 0.0
    bias, best = tune_bias(rows, probabilities)
    assert best == 1.0 and bias[0] > np.log(0.5 / 0.4)


def test_a_fitted_variant_folds_its_offsets_into_the_head():
    rows = make_rows(200)
    head, report = fit_variant(rows, ("a", "b"), l2=0.03)
    assert head.names == ("a", "b") and len(head.layers) == 1
    assert report["cross_validated"]["fnc1_train"]["fnc_score_rel"] > 0.9
    assert len(report["bias"]) == len(OUTCOMES)
