"""The learned head: outcome probabilities from part features, and how the engine uses them."""

import json

import numpy as np
import pytest

from workers.engine import Engine, judges, pipeline
from workers.engine.head import FEATURES, HEAD_FILE, OUTCOMES, Head, load, outcome
from workers.engine.relations import RELATION_FEATURES


def constant_head(best: str, names=FEATURES["combined"]) -> Head:
    """A head whose answer is `best` whatever the features."""
    bias = np.full(len(OUTCOMES), -5.0)
    bias[OUTCOMES.index(best)] = 5.0
    n = len(names)
    return Head(tuple(names), np.zeros(n), np.ones(n), ((np.zeros((n, len(OUTCOMES))), bias),))


class FixedJudge:
    def predict(self, pairs):
        return np.tile([0.2, 0.1, 0.7], (len(pairs), 1)).reshape(len(pairs), 3)


@pytest.fixture
def fixed_model(monkeypatch, tmp_path):
    (tmp_path / "model.int8.onnx").write_bytes(b"")
    monkeypatch.setattr(pipeline, "JUDGE_MODEL_DIR", tmp_path)
    monkeypatch.setattr(pipeline, "learned_judge", lambda threads=None: FixedJudge())


def test_a_head_survives_its_json_round_trip():
    rng = np.random.default_rng(0)
    names = ("a", "b", "c")
    head = Head(
        names,
        rng.normal(size=3),
        rng.uniform(0.5, 2, size=3),
        ((rng.normal(size=(3, 5)), rng.normal(size=5)), (rng.normal(size=(5, 4)), np.zeros(4))),
    )
    again = Head.from_dict(json.loads(json.dumps(head.as_dict())))
    rows = [{"a": 1.0, "b": -2.0, "c": 0.5}, {"a": 0.0}]
    probs = head.predict(rows)
    assert probs.shape == (2, 4)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert np.allclose(again.predict(rows), probs, atol=1e-5)


def test_a_head_with_the_wrong_number_of_outcomes_is_refused():
    head = constant_head("SUPPORTED", ("a",)).as_dict()
    head["layers"][0]["w"] = [[0.0, 0.0, 0.0]]
    with pytest.raises(ValueError, match="4 outcomes"):
        Head.from_dict(head)


@pytest.mark.parametrize(
    ("probs", "expected"),
    [
        ([0.7, 0.1, 0.1, 0.1], ("SUPPORTED", 0.7, True)),
        ([0.1, 0.6, 0.2, 0.1], ("REFUTED", 0.6, True)),
        ([0.2, 0.1, 0.4, 0.3], ("NOT_ENOUGH_INFO", 0.7, True)),
        ([0.2, 0.1, 0.3, 0.4], ("NOT_ENOUGH_INFO", 0.7, False)),
    ],
)
def test_outcomes_map_to_a_label_a_confidence_and_whether_to_cite(probs, expected):
    label, confidence, on_topic = outcome(np.asarray(probs))
    assert (label, round(confidence, 6), on_topic) == expected


@pytest.mark.parametrize("judge", ["learned", "combined"])
def test_the_shipped_heads_read_the_features_the_engine_computes(judge):
    head = load(judge)
    assert head is not None, f"{HEAD_FILE} has no {judge} head"
    assert head.names == FEATURES[judge]


def test_the_engine_hands_the_head_every_feature_it_knows(fixed_model, demo_article):
    verdict = Engine(judge="combined", dense=False).check("France endorsed Rutte", [demo_article])
    (row,) = verdict.details["features"]
    # the head's features, plus the relation checks (a head may be refitted to read them)
    assert set(row) == set(FEATURES["combined"]) | set(RELATION_FEATURES)
    assert row["ce_sup_max"] == pytest.approx(0.2)
    assert row["sym_sup_max"] > 0.9  # the symbolic judge finds France's endorsement


def test_the_head_decides_the_label(fixed_model, demo_article):
    engine = Engine(judge="combined", dense=False, head=constant_head("REFUTED"))
    verdict = engine.check("France endorsed Rutte", [demo_article])
    assert verdict.label == "REFUTED"
    assert verdict.confidence > 0.9
    assert ".head." in verdict.engine_version


def test_an_unrelated_outcome_cites_nothing_and_a_discussed_one_cites(fixed_model, demo_article):
    unrelated = Engine(
        judge="learned", dense=False, head=constant_head("UNRELATED", FEATURES["learned"])
    )
    discussed = Engine(
        judge="learned", dense=False, head=constant_head("DISCUSSED", FEATURES["learned"])
    )
    claim = "France endorsed Rutte"
    first, second = unrelated.check(claim, [demo_article]), discussed.check(claim, [demo_article])
    assert first.label == second.label == "NOT_ENOUGH_INFO"
    assert first.evidence == ()
    assert second.evidence and all(
        demo_article.text[e.start : e.end] == e.exact for e in second.evidence
    )


def test_head_false_keeps_the_thresholds(fixed_model, demo_article):
    engine = Engine(judge="combined", dense=False, head=False)
    assert engine.head is None
    assert ".rules." in engine.version


def test_the_cross_encoder_reads_only_the_best_passages(monkeypatch, fixed_model, demo_article):
    seen = []

    class Recording(FixedJudge):
        def predict(self, pairs):
            seen.extend(pairs)
            return super().predict(pairs)

    monkeypatch.setattr(pipeline, "learned_judge", lambda threads=None: Recording())
    Engine(judge="learned", dense=False).check("Szijjarto opposed Rutte", [demo_article])
    assert 0 < len(seen) <= judges.MODEL_TOP_K
    # the sentence alone: no title or previous sentence in front of it
    assert all(demo_article.text.count(evidence) == 1 for evidence, _ in seen)
