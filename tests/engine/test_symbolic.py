import numpy as np
import pytest

from workers.engine.symbolic import SymbolicJudge


@pytest.fixture(scope="module")
def judge():
    return SymbolicJudge()


def stance(judge, evidence: str, claim: str) -> str:
    return ("supports", "refutes", "neutral")[int(np.argmax(judge.predict([(evidence, claim)])[0]))]


def test_empty_input_gives_empty_output(judge):
    assert judge.predict([]).shape == (0, 3)


def test_rows_are_probabilities(judge):
    probs = judge.predict([("France endorsed Rutte.", "France endorsed Rutte."), ("x", "y")])
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0) and (probs >= 0).all()


def test_restatement_with_synonym_supports(judge):
    evidence = "Germany has endorsed Rutte for the post."
    assert stance(judge, evidence, "Germany backs Rutte") == "supports"


def test_antonymous_predicate_refutes(judge):
    evidence = "Szijjarto opposed Rutte's candidacy."
    assert stance(judge, evidence, "Szijjarto praised Rutte") == "refutes"


def test_negated_claim_refutes(judge):
    assert stance(judge, "France endorsed Rutte.", "France did not endorse Rutte") == "refutes"


def test_missing_entity_is_neutral(judge):
    assert stance(judge, "France endorsed Rutte.", "Italy endorsed Rutte") == "neutral"


def test_context_completes_coverage_but_does_not_carry_stance(judge):
    context, sentence = "Hungary is a dissenter.", "Its minister opposed Rutte."
    with_context = judge.predict_in_context([(context, sentence, "Hungary opposes Rutte")])
    without = judge.predict([(sentence, "Hungary opposes Rutte")])
    assert with_context[0, 0] > without[0, 0]
