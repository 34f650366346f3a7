"""End-to-end checks against the demo article, with claims written for these tests.

They exercise general mechanisms (aliases, synonyms, antonyms, lists), not memorised answers.
"""

import pytest

from workers.engine import ENGINE_VERSION, Document, Engine, check, pipeline


@pytest.mark.parametrize(
    ("claim", "label"),
    [
        ("France endorsed Rutte", "SUPPORTED"),
        ("Italy endorsed Rutte", "NOT_ENOUGH_INFO"),
        ("Washington backs the Dutch prime minister", "SUPPORTED"),
        ("Budapest objects to Rutte", "SUPPORTED"),
        ("Szijjarto praised Rutte", "REFUTED"),
        ("Germany opposed Rutte", "REFUTED"),
        ("France did not endorse Rutte", "REFUTED"),
        ("Portugal endorsed Iohannis", "NOT_ENOUGH_INFO"),
        pytest.param(
            "Romania endorsed Rutte",
            "NOT_ENOUGH_INFO",
            # A known regression of the honest refit (issue #9 §1): the symbolic thresholds
            # fitted on training data alone accept support 0.46 (Romania is named in the
            # endorsement sentence, bound to another verb). Not tuned away on the demo article.
            marks=pytest.mark.xfail(strict=True, reason="training-fitted supports threshold"),
        ),
        ("Iohannis has withdrawn from the race", "REFUTED"),
    ],
)
def test_demo_article_claims(demo_article, claim, label):
    assert check(claim, [demo_article]).label == label


def test_supported_claim_quotes_the_endorsement_sentence(demo_article):
    verdict = check("France endorsed Rutte", [demo_article])
    best = verdict.evidence[0]
    assert best.stance == "supports"
    assert "France" in best.exact and "endorsing Rutte" in best.exact
    assert demo_article.text[best.start : best.end] == best.exact


def test_list_claim_has_a_verdict_per_part(demo_article):
    verdict = check("The US, UK, France and Germany all support Rutte", [demo_article])
    assert verdict.label == "SUPPORTED"
    assert [p.label for p in verdict.parts] == ["SUPPORTED"] * 4


def test_one_unsupported_part_leaves_the_claim_undecided(demo_article):
    verdict = check("France and Italy endorsed Rutte", [demo_article])
    assert verdict.label == "NOT_ENOUGH_INFO"
    assert [p.label for p in verdict.parts] == ["SUPPORTED", "NOT_ENOUGH_INFO"]


def test_unrelated_claim_cites_no_evidence(demo_article):
    verdict = check("The moon is made of cheese", [demo_article])
    assert verdict.label == "NOT_ENOUGH_INFO" and verdict.evidence == ()


def test_no_documents_means_not_enough_info():
    assert check("France endorsed Rutte", []).label == "NOT_ENOUGH_INFO"


def test_verdict_names_the_engine_version(demo_article):
    version = check("France endorsed Rutte", [demo_article]).engine_version
    assert version.startswith(f"{ENGINE_VERSION}+{pipeline.default_judge()}.")
    assert len(version.rsplit(".", 1)[1]) == 8  # data fingerprint: a refit changes it


def test_unknown_judge_is_refused():
    with pytest.raises(ValueError, match="unknown judge"):
        Engine(judge="oracle")


def test_a_model_judge_without_its_model_is_refused_at_construction(monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "JUDGE_MODEL_DIR", tmp_path)
    assert pipeline.default_judge() == "symbolic"
    with pytest.raises(ValueError, match="needs a model"):
        Engine(judge="learned")


def test_details_keep_the_signals_of_each_part(demo_article):
    verdict = check("France and Italy endorsed Rutte", [demo_article])
    signals = verdict.details["signals"]
    assert len(signals) == 2
    assert set(signals[0]) == {"support", "refute", "coverage", "relevance", "hedging", "debunking"}


def test_evidence_offsets_index_each_documents_own_text():
    docs = [Document("a", "Nothing here."), Document("b", "Spain endorsed Rutte on Monday.")]
    best = check("Spain endorsed Rutte", docs).evidence[0]
    assert best.document.id == "b" and best.exact == "Spain endorsed Rutte on Monday."
