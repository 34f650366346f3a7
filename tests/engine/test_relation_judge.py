"""The relation layer inside the symbolic judge and the engine (Engine(relations=...))."""

import pytest

from workers.engine import Document, Engine
from workers.engine.relations import RELATION_FEATURES, Relation
from workers.engine.symbolic import features, probabilities
from workers.engine.terms import analyse

CLAIM = "Germany endorsed Iohannis."
SENTENCE = "Germany endorsed Rutte, and Iohannis announced his own bid."


def judged(relation: Relation | None):
    return features(analyse(CLAIM), analyse(SENTENCE), [], SENTENCE, CLAIM, relation)


def test_words_alone_support_a_claim_whose_patient_is_another():
    supports, refutes, _ = probabilities(judged(None))
    assert supports > 0.9 and refutes < 0.1


def test_a_role_conflict_refutes_like_a_stance_conflict():
    f = judged(Relation(role_conflict=True, strength=1.0, unbound=frozenset({"iohannis"})))
    assert f.conflict and f.role_conflict
    supports, refutes, _ = probabilities(f)
    assert refutes > 0.9 and supports < 0.05


def test_the_conflict_strength_is_the_frames_not_only_the_words():
    # a passage that words the claim differently still refutes it as strongly as its frame aligns
    f = features(analyse(CLAIM), analyse("Berlin backed Rutte."), [], "", CLAIM, None)
    weak = probabilities(f)[1]
    relation = Relation(role_conflict=True, strength=1.0)
    f = features(analyse(CLAIM), analyse("Berlin backed Rutte."), [], "", CLAIM, relation)
    assert probabilities(f)[1] > weak
    assert probabilities(f)[1] == pytest.approx(0.95)


@pytest.mark.parametrize(
    "relation",
    [
        Relation(predicate_conflict=True),
        Relation(attitude_conflict=True),
        Relation(date_conflict=True),
    ],
)
def test_every_relation_conflict_refutes(relation):
    f = judged(relation)
    assert f.relation_conflict
    assert probabilities(f)[1] > probabilities(f)[0]


def test_reported_evidence_is_hedged_and_a_swap_or_silent_role_does_not_support():
    plain = probabilities(judged(Relation()))[0]
    for relation in (Relation(reported_only=True), Relation(swap=True), Relation(silent=True)):
        assert probabilities(judged(relation))[0] < 0.7 * plain
    assert judged(Relation(reported_only=True)).hedged


def test_an_entity_in_another_role_cannot_count_towards_coverage():
    assert judged(Relation(unbound=frozenset({"iohannis"}))).coverage < judged(None).coverage


def test_relation_features_are_named_as_exported():
    assert set(judged(Relation()).relation_features()) == set(RELATION_FEATURES)


@pytest.fixture(scope="module")
def article() -> Document:
    text = (
        "Germany and France endorsed Mark Rutte for the post on Tuesday, while Romanian "
        "President Klaus Iohannis announced his own candidacy.\n\n"
        "Dutch Prime Minister Mark Rutte thanked them. A spokesman said the US believes Rutte "
        "would be an excellent leader."
    )
    return Document(id="t", text=text)


@pytest.mark.parametrize(
    "claim, without, with_relations",
    [
        ("Germany endorsed Iohannis.", "SUPPORTED", "REFUTED"),
        ("The Dutch prime minister is Klaus Iohannis.", "SUPPORTED", "REFUTED"),
        ("Germany endorsed Rutte.", "SUPPORTED", "SUPPORTED"),
        (
            "A spokesman said the US doubts Rutte would be an excellent leader.",
            "NOT_ENOUGH_INFO",
            "REFUTED",
        ),
    ],
)
def test_the_engine_flag_switches_the_relation_layer(article, claim, without, with_relations):
    assert Engine(judge="symbolic", relations=False).check(claim, [article]).label == without
    assert Engine(judge="symbolic").check(claim, [article]).label == with_relations


def test_the_version_says_when_relations_are_off():
    assert Engine(judge="symbolic", relations=False).version != Engine(judge="symbolic").version
    assert "-norel" in Engine(judge="symbolic", relations=False).version


def test_a_report_alone_never_supports():
    f = judged(Relation(reported_only=True))
    assert f.hedged and f.reported_only
    assert probabilities(f)[0] < 0.55  # below any sensible support threshold
