import numpy as np

from workers.engine.aggregate import Signals, Thresholds, combine, decide, judge_part
from workers.engine.retrieve import passages
from workers.engine.types import Document, PartVerdict

DOC = Document("d", "One. Two. Three.")
CANDIDATES = passages([DOC])


def on_topic(relevance: float) -> Signals:
    return Signals(0.0, 0.0, 0.0, relevance)


def part(label: str, confidence: float = 0.9) -> PartVerdict:
    return PartVerdict("p", label, confidence)


def test_any_refuted_part_refutes_the_claim():
    assert combine([part("SUPPORTED"), part("REFUTED", 0.7)]) == ("REFUTED", 0.7)


def test_all_supported_parts_support_with_the_weakest_confidence():
    assert combine([part("SUPPORTED", 0.9), part("SUPPORTED", 0.8)]) == ("SUPPORTED", 0.8)


def test_one_undecided_part_makes_the_claim_undecided():
    assert combine([part("SUPPORTED"), part("NOT_ENOUGH_INFO", 0.6)])[0] == "NOT_ENOUGH_INFO"


def test_strong_support_labels_and_cites_the_supporting_passage_first():
    probs = np.array([[0.1, 0.0, 0.9], [0.9, 0.0, 0.1], [0.0, 0.0, 1.0]])
    verdict, _ = judge_part("c", CANDIDATES, probs, [0.6, 0.9, 0.0], Thresholds(), on_topic(0.8))
    assert verdict.label == "SUPPORTED" and verdict.confidence == 0.9
    assert [e.exact for e in verdict.evidence] == ["Two.", "One."]
    assert verdict.evidence[0].stance == "supports"


def test_off_topic_documents_give_not_enough_info_citing_nothing():
    probs = np.array([[0.3, 0.1, 0.6]] * 3)
    verdict, signals = judge_part(
        "c", CANDIDATES, probs, [0.1, 0.2, 0.3], Thresholds(), on_topic(0.1)
    )
    assert verdict.label == "NOT_ENOUGH_INFO" and verdict.evidence == ()
    assert signals.relevance == 0.1


def test_on_topic_documents_give_not_enough_info_citing_the_closest_passages():
    probs = np.array([[0.3, 0.1, 0.6]] * 3)
    verdict, _ = judge_part("c", CANDIDATES, probs, [0.1, 0.3, 0.2], Thresholds(), on_topic(0.9))
    assert verdict.label == "NOT_ENOUGH_INFO"
    assert [e.exact for e in verdict.evidence] == ["Two.", "Three.", "One."]
    assert {e.stance for e in verdict.evidence} == {"neutral"}


def test_joint_coverage_supports_a_claim_no_single_passage_states():
    probs = np.array([[0.3, 0.0, 0.7]] * 3)
    covered = Signals(0.0, 0.0, coverage=0.95, relevance=0.9)
    verdict, _ = judge_part("c", CANDIDATES, probs, [0.3] * 3, Thresholds(), covered, cover=[2, 0])
    assert verdict.label == "SUPPORTED"
    assert [e.exact for e in verdict.evidence][:2] == ["Three.", "One."]


def test_no_candidates_is_not_enough_info():
    assert judge_part("c", [], np.zeros((0, 3)), [], Thresholds())[0].label == "NOT_ENOUGH_INFO"


def test_the_cover_of_a_supported_part_is_cited_as_supporting():
    probs = np.array([[0.2, 0.0, 0.8], [0.1, 0.0, 0.9], [0.0, 0.0, 1.0]])
    covered = Signals(0.0, 0.0, coverage=0.95, relevance=0.9)
    verdict, _ = judge_part("c", CANDIDATES, probs, [0.3] * 3, Thresholds(), covered, cover=[1])
    assert verdict.label == "SUPPORTED"
    assert verdict.evidence[0].exact == "Two."
    assert verdict.evidence[0].stance == "supports"


def test_a_decision_from_the_head_replaces_the_thresholds():
    probs = np.array([[0.9, 0.0, 0.1]] * 3)
    verdict, _ = judge_part(
        "c",
        CANDIDATES,
        probs,
        [0.3] * 3,
        Thresholds(),
        on_topic(0.9),
        decision=("NOT_ENOUGH_INFO", 0.8, False),
    )
    assert (verdict.label, verdict.confidence, verdict.evidence) == ("NOT_ENOUGH_INFO", 0.8, ())


def test_support_outvotes_a_refutation_only_by_more_than_the_margin():
    # one passage contradicts the part (refute 0.62), another overlaps it (support 0.66)
    signals = Signals(support=0.66, refute=0.62, coverage=0.5, relevance=0.8)
    assert decide(signals, Thresholds(supports=0.5, refutes=0.56))[0] == "SUPPORTED"
    assert decide(signals, Thresholds(supports=0.5, refutes=0.56, margin=0.05))[0] == "REFUTED"
    assert decide(signals, Thresholds(supports=0.5, refutes=0.56, margin=0.03))[0] == "SUPPORTED"
    # the margin never makes a weak refutation decide
    assert decide(Signals(0.66, 0.5, 0.5, 0.8), Thresholds(supports=0.5, refutes=0.56, margin=0.4))[
        0
    ] != ("REFUTED")
