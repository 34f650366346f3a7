import numpy as np
import pytest

from workers.engine.symbolic import SymbolicJudge, features, greedy_cover, misplaced_subjects
from workers.engine.terms import analyse


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


def test_greedy_cover_picks_the_sentences_that_complete_each_other():
    claim = analyse("Smith was born in Leeds and won the Turner Prize in 2004")
    passages = [
        analyse(t)
        for t in [
            "Smith was born in Leeds.",
            "Smith likes tea.",
            "Smith won the Turner Prize in 2004.",
        ]
    ]
    coverage, chosen = greedy_cover(claim, [(p, []) for p in passages], k=3)
    assert chosen == [2, 0] and coverage == 1.0


def test_subject_named_in_another_role_does_not_count(judge):
    evidence = "France and Germany endorsed Rutte, while Iohannis cited Romania's record."
    assert stance(judge, evidence, "Romania endorsed Rutte") == "neutral"
    assert stance(judge, evidence, "Germany endorsed Rutte") == "supports"


def test_context_cannot_supply_a_subject_when_the_sentence_names_another_actor(judge):
    context, sentence = "The Dutch leader spoke.", "Szijjarto's objection surprised Rutte."
    probs = judge.predict_in_context([(context, sentence, "The Netherlands objected to Rutte")])
    assert probs[0, 0] < 0.5


def test_a_different_weekday_is_a_conflict_not_a_match(judge):
    evidence = "Iohannis announced his candidacy on Tuesday."
    assert stance(judge, evidence, "Iohannis announced his candidacy on Tuesday") == "supports"
    probs = judge.predict([(evidence, "Iohannis announced his candidacy on Monday")])
    assert probs[0, 1] > probs[0, 0]


def test_entering_and_withdrawing_are_opposites(judge):
    evidence = "Iohannis enters the race for the post."
    assert stance(judge, evidence, "Iohannis has withdrawn from the race") == "refutes"


def test_context_supplies_names_but_never_the_stance(judge):
    claim = "Romania endorsed Rutte"
    sentence = "Romanian officials declined to comment on Rutte."
    with_stance = judge.predict_in_context([("Romania endorsed him.", sentence, claim)])
    with_name = judge.predict_in_context([("Rutte spoke.", sentence, claim)])
    assert with_stance[0, 0] == with_name[0, 0]


def test_a_subject_only_seen_in_another_role_is_misplaced():
    claim = analyse("Romania endorsed Rutte")
    elsewhere = features(claim, analyse("France endorsed Rutte, citing Romania's record."), [])
    bound = features(claim, analyse("Romania endorsed Rutte."), [])
    assert misplaced_subjects([elsewhere]) == {"country:RO"}
    assert misplaced_subjects([elsewhere, bound]) == frozenset()


def test_the_engine_reads_the_rules_fitted_with_its_thresholds():
    from workers.engine import Engine
    from workers.engine.aggregate import fitted_for
    from workers.engine.symbolic import Rules

    shipped = fitted_for("symbolic").get("rules")
    assert shipped, "thresholds.json ships the symbolic rules' fitted constants"
    assert Engine(judge="symbolic").rules == Rules(**shipped)
