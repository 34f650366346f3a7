"""How the engine wires its judge: chosen at construction, shared interface, combined mean.

The learned judge's own behaviour is tested with its model in test_learned.py; here a judge
with fixed answers stands in, so these tests hold whether or not the model has shipped.
"""

import numpy as np
import pytest

from workers.engine import Engine, judges, pipeline
from workers.engine.aggregate import Thresholds


class FixedJudge:
    def __init__(self, row: list[float]) -> None:
        self.row = np.asarray(row)
        self.pairs: list[tuple[str, str]] = []

    def predict(self, pairs):
        self.pairs.extend(pairs)
        return np.tile(self.row, (len(pairs), 1)).reshape(len(pairs), 3)


@pytest.fixture
def with_model(monkeypatch, tmp_path):
    (tmp_path / "model.int8.onnx").write_bytes(b"")
    monkeypatch.setattr(pipeline, "JUDGE_MODEL_DIR", tmp_path)

    def install(judge: FixedJudge) -> FixedJudge:
        monkeypatch.setattr(pipeline, "learned_judge", lambda threads=None: judge)
        return judge

    return install


def test_learned_engine_decides_from_the_learned_probabilities(with_model, demo_article):
    judge = with_model(FixedJudge([0.02, 0.95, 0.03]))
    engine = Engine(judge="learned", dense=False, thresholds=Thresholds(refutes=0.5), head=False)
    assert engine.check("France endorsed Rutte", [demo_article]).label == "REFUTED"
    evidence, claim = judge.pairs[0]
    assert claim == "France endorsed Rutte"
    assert evidence.endswith(".") and len(evidence) > 20


def test_learned_judge_reads_the_sentence_that_states_the_claim(with_model, demo_article):
    judge = with_model(FixedJudge([0.1, 0.1, 0.8]))
    Engine(judge="learned", dense=False).check("Szijjarto opposed Rutte", [demo_article])
    texts = [e for e, _ in judge.pairs]
    assert any("Szijjarto explicitly opposed" in t for t in texts)


def test_combined_judge_is_the_mean_of_both(with_model, demo_article):
    with_model(FixedJudge([0.0, 1.0, 0.0]))
    thresholds = Thresholds(supports=0.99, coverage=2.0, refutes=0.45, debunking=2.0)
    verdict = Engine(judge="combined", dense=False, thresholds=thresholds, head=False).check(
        "France endorsed Rutte", [demo_article]
    )
    signals = verdict.details["signals"][0]
    # best passage: symbolic 0.97 supports, the fixed judge 0 -> 0.485; every refute is >= 0.5
    assert signals["support"] == pytest.approx(0.485, abs=0.01)
    assert signals["refute"] >= 0.5
    assert verdict.label == "REFUTED"


def test_default_judge_is_the_model_judge_once_a_model_ships_with_its_head(
    with_model, monkeypatch
):
    monkeypatch.setattr(pipeline, "load_head", lambda judge: None)
    assert pipeline.default_judge() == "symbolic"
    monkeypatch.setattr(pipeline, "load_head", lambda judge: object())
    assert pipeline.default_judge() == judges.DEFAULT_MODEL_JUDGE
