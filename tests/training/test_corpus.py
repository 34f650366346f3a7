"""Training-data preparation: filtering, down-sampling, hold-out and variant selection."""

import pytest

from training import corpus
from training.bundle import keep
from training.corpus import (
    NEUTRAL,
    NOT_SUPPORTS,
    REFUTES,
    SUPPORTS,
    Pair,
    is_validation,
    real_pairs,
)


def row(source="mnli", label="entailment", orig="entailment", dup=False, premise="P.", hyp="H."):
    return {"source": source, "premise": premise, "hypothesis": hyp, "label": label,
            "orig_label": orig, "dup_of_earlier": dup,
            "binary": label == "not_entailment"}  # fmt: skip


def test_labels_map_to_the_judge_columns_and_binary_rows_to_not_supports():
    labels = ("entailment", "contradiction", "neutral", "not_entailment")
    rows = [row(label=x, hyp=x) for x in labels]
    assert sorted(p.label for p in real_pairs(rows)) == [SUPPORTS, REFUTES, NEUTRAL, NOT_SUPPORTS]


def test_repeats_are_dropped():
    assert len(real_pairs([row(), row(dup=True)])) == 1


def test_fnc1_unrelated_pairs_are_down_sampled(monkeypatch):
    monkeypatch.setattr(corpus, "FNC1_UNRELATED_KEEP", 3)
    rows = [row("fnc1_train", "neutral", "unrelated", hyp=str(i)) for i in range(10)]
    rows += [row("fnc1_train", "neutral", "discuss", hyp=f"d{i}") for i in range(5)]
    kept = real_pairs(rows)
    assert len(kept) == 8


def test_capped_sources_are_capped(monkeypatch):
    monkeypatch.setattr(corpus, "SOURCE_CAPS", {"hans": 2})
    kept = real_pairs([row("hans", hyp=str(i)) for i in range(6)])
    assert len(kept) == 2


def test_long_premises_are_shortened_around_the_hypothesis():
    filler = " ".join(f"Line {i} is about rain." for i in range(80))
    premise = f"{filler} The mayor resigned on Friday. {filler}"
    (pair,) = real_pairs([row(premise=premise, hyp="The mayor resigned.")])
    assert "mayor resigned" in pair.premise and len(pair.premise) < len(premise) / 4


def test_validation_split_is_stable_and_small():
    pairs = [Pair(f"premise {i}", f"hypothesis {i}", SUPPORTS, "mnli") for i in range(5000)]
    held = [p for p in pairs if is_validation(p)]
    assert held == [p for p in pairs if is_validation(p)]
    assert 50 <= len(held) <= 150
    assert not is_validation(Pair("x", "y", NOT_SUPPORTS, "hans"))


@pytest.mark.parametrize(
    ("source", "variant", "kept"),
    [("fnc1_train", "full", True), ("fnc1_train", "permissive", False),
     ("syn_negation", "permissive", False), ("snli", "permissive", True),
     ("syn_negation", "nosynth", False), ("snli", "news", False), ("syn_copy", "news", True),
     ("averitec", "news", True)],
)  # fmt: skip
def test_variants_choose_their_sources(source, variant, kept):
    assert keep(source, variant) is kept
