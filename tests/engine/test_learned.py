"""The learned judge as the engine sees it: the shipped int8 model behind `predict(pairs)`."""

import json

import numpy as np
import pytest

from workers.engine.learned import COLUMNS, MODEL_DIR, LearnedJudge

ARTICLE = (
    "Despite key NATO members, including the United States, United Kingdom, France, and Germany, "
    "endorsing Rutte for the role, Iohannis expressed his candidacy."
)


@pytest.fixture(scope="module")
def judge() -> LearnedJudge:
    return LearnedJudge(threads=1)


def test_empty_input_gives_an_empty_three_column_array(judge):
    out = judge.predict([])
    assert out.shape == (0, 3)


def test_rows_are_probabilities_in_column_order(judge):
    out = judge.predict([(ARTICLE, "France endorsed Rutte."), ("Cats purr.", "Dogs bark.")])
    assert out.shape == (2, 3) and out.dtype == np.float32
    assert np.allclose(out.sum(axis=1), 1.0, atol=1e-5) and np.all(out >= 0)
    assert COLUMNS == ("supports", "refutes", "neutral")


def test_results_come_back_in_input_order(judge):
    pairs = [(ARTICLE, "France endorsed Rutte."), ("Cats purr.", "Dogs bark."), (ARTICLE, "x")]
    one_by_one = LearnedJudge(threads=1, batch_size=1)
    assert np.array_equal(one_by_one.predict(pairs[::-1])[::-1], one_by_one.predict(pairs))


def test_batch_company_moves_a_score_only_a_little(judge):
    # Dynamic int8 quantises activations with one scale per batch, so a pair's neighbours (and
    # their padding) shift its probabilities slightly; the argmax should not depend on them.
    pairs = [(ARTICLE, "France endorsed Rutte."), ("Cats purr.", "Dogs bark."), (ARTICLE, "x")]
    together = judge.predict(pairs)
    alone = np.vstack([judge.predict([p]) for p in pairs])
    assert (together.argmax(axis=1) == alone.argmax(axis=1)).all()
    assert np.abs(together - alone).max() < 0.15


def test_overlong_pairs_are_truncated_not_rejected(judge):
    out = judge.predict([(ARTICLE * 200, "France endorsed Rutte.")])
    assert out.shape == (1, 3)


def test_a_stated_fact_supports_more_than_an_unrelated_claim(judge):
    supported, unrelated = judge.predict(
        [(ARTICLE, "France endorsed Rutte."), (ARTICLE, "The price of wheat fell in Kenya.")]
    )
    assert supported[0] > unrelated[0]
    assert unrelated[2] > unrelated[0]


def test_config_names_the_label_order_and_length():
    config = json.loads((MODEL_DIR / "config.json").read_text())
    assert tuple(config["labels"]) == COLUMNS and config["max_length"] >= 128


def test_a_model_with_other_labels_is_refused(tmp_path):
    for name in ("tokenizer.json", "model.int8.onnx"):
        (tmp_path / name).symlink_to(MODEL_DIR / name)
    config = json.loads((MODEL_DIR / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({**config, "labels": ["a", "b", "c"]}))
    with pytest.raises(ValueError, match="labels"):
        LearnedJudge(tmp_path)


def test_shipped_artifacts_stay_small():
    total = sum(p.stat().st_size for p in MODEL_DIR.iterdir() if p.is_file())
    assert total <= 30 * 2**20
