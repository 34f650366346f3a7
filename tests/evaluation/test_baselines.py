"""The overlap floor and the model-alone row: their decisions, on texts written here."""

import numpy as np
import pytest

from workers.engine import Document, pipeline
from workers.evaluation import baselines, fit_baselines
from workers.evaluation.baselines import MODEL_SENTENCES, ModelBaseline, OverlapBaseline

ARTICLE = Document(
    "a",
    "Germany endorsed Rutte on Monday. The vote was held in Brussels.\n\n"
    "Hungary opposed the Dutch candidate. It gave no reason.",
)


def test_content_words_drop_function_words():
    assert baselines.content_words("The US and the UK backed him.") == {"us", "uk", "backed"}


def test_overlap_supports_a_claim_one_window_covers():
    base = OverlapBaseline({"support": 0.99, "related": 0.3})
    # "Germany ... Brussels" spans two sentences: only the 2-sentence window covers it all.
    verdict = base.check("Germany endorsed Rutte in Brussels", [ARTICLE])
    assert verdict.label == "SUPPORTED" and len(verdict.evidence) == 2
    assert base.check("Germany endorsed Rutte in Paris", [ARTICLE]).label == "NOT_ENOUGH_INFO"


def test_overlap_cites_only_related_windows_and_never_refutes():
    base = OverlapBaseline({"support": 0.99, "related": 0.5})
    related = base.check("Hungary opposed Rutte strongly", [ARTICLE])
    unrelated = base.check("Spain elected a new king", [ARTICLE])
    assert related.label == unrelated.label == "NOT_ENOUGH_INFO"
    assert related.evidence and not unrelated.evidence


class FakeModel:
    """P(supports) high only for windows naming Germany; P(refutes) high for Hungary."""

    def __init__(self):
        self.pairs = []

    def predict(self, pairs):
        self.pairs.extend(pairs)
        rows = []
        for evidence, _ in pairs:
            if "Hungary" in evidence:
                rows.append([0.05, 0.9, 0.05])
            elif "Germany" in evidence:
                rows.append([0.8, 0.1, 0.1])
            else:
                rows.append([0.1, 0.1, 0.8])
        return np.asarray(rows)


@pytest.fixture
def model(monkeypatch):
    fake = FakeModel()
    monkeypatch.setattr(pipeline, "learned_judge", lambda threads=None: fake)
    return fake


def test_model_alone_takes_the_max_over_windows(model):
    base = ModelBaseline({"support": 0.7, "refutes": 0.7, "related": 0.5})
    assert base.check(
        "Germany endorsed Rutte", [Document("g", "Germany endorsed Rutte.")]
    ).label == ("SUPPORTED")
    # Both a supporting and a refuting window: refutation wins only above support.
    verdict = base.check("Rutte was endorsed", [ARTICLE])
    assert verdict.label == "REFUTED" and any("Hungary" in e.exact for e in verdict.evidence)
    # Every 1- and 2-sentence window of a short document is read.
    assert len(model.pairs) == 1 + 4 + 3


def test_model_alone_reads_only_the_bm25_best_sentences_of_a_long_document(model):
    filler = " ".join(f"Filler sentence number {i} says nothing." for i in range(40))
    long_doc = Document("l", filler + " Germany endorsed Rutte.")
    base = ModelBaseline({"support": 0.7, "refutes": 0.7, "related": 0.5})
    assert base.check("Germany endorsed Rutte", [long_doc]).label == "SUPPORTED"
    assert len(model.pairs) <= 2 * MODEL_SENTENCES


def test_an_unfitted_baseline_says_how_to_fit_it(monkeypatch, tmp_path):
    monkeypatch.setattr(baselines, "BASELINES_FILE", tmp_path / "none.json")
    with pytest.raises(ValueError, match="fit_baselines"):
        OverlapBaseline()


def test_best_threshold_separates_two_classes():
    scores = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]
    gold = [False, False, False, True, True, True]

    def objective(t):
        return sum((s >= t) == g for s, g in zip(scores, gold, strict=True)) / len(gold)

    cut, value = fit_baselines.best_threshold(scores, objective)
    assert 0.3 < cut < 0.7 and value == 1.0


def test_the_shipped_baselines_were_fitted_on_training_files_only():
    dev = ("seed_dev", "wice_dev", "politihop_valid", "fnc1_dev", "contrast/test")
    for name in baselines.BASELINES:
        entry = baselines.load_fitted(name)
        assert entry, f"{name} is not fitted"
        assert not any(d in source for source in entry["fitted_on"] for d in dev)
