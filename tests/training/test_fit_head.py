"""Fitting the learned head: targets from gold labels, the allowed-mass loss, grouped folds."""

import numpy as np
import pytest

from training.fit_head import _fold, cross_validate, design, fit, record_predictions, targets
from workers.engine.head import FEATURES, OUTCOMES


def row(dataset="fnc1_dev", label=None, stance=None, parts=1, group="ab12", id_="r1", **feats):
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
    rows = [
        row("wice_dev", "NOT_SUPPORTED", group=f"{i:04x}", id_=str(i), a=1.0) for i in range(50)
    ]
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


def test_folds_keep_a_document_together_but_spread_the_demo_claims():
    same_body = [row(group="beef", id_=str(i)) for i in range(20)]
    assert len({_fold(r) for r in same_body}) == 1
    demo = [row("seed_dev", group="beef", id_=f"seed-{i}") for i in range(20)]
    assert len({_fold(r) for r in demo}) > 1


def test_cross_validation_scores_every_record_out_of_fold():
    rows = make_rows(200)
    for r in rows:
        r["parts"] = [{name: r["parts"][0].get("a", 0.0) for name in FEATURES["learned"]}]
    table, probabilities = cross_validate(rows, "learned", steps=200, lr=0.05)
    assert set(probabilities) == set(range(200))
    assert table["fnc1_dev"]["n"] == 200
    assert table["fnc1_dev"]["fnc_score_rel"] > 0.9
