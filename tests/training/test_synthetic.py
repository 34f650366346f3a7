"""The synthetic pair generator: each transformation changes what it claims to, labels follow."""

import random

import pytest

from training.synthetic import (
    NEUTRAL,
    REFUTES,
    SUPPORTS,
    antonym,
    attribute,
    drop_qualifier,
    generate,
    negate,
    paraphrase,
    swap_entity,
    swap_number,
)

ARTICLE = [
    "The mayor of Springfield announced on Monday that the city will build 120 new homes.",
    "Critics, who have opposed the plan for months, said the cost was too high.",
    "The council approved the budget after a long debate.",
    "Officials expect construction to begin in the spring.",
    "Residents of Shelbyville were not consulted.",
]


@pytest.fixture
def rng() -> random.Random:
    return random.Random(0)


def test_number_swap_changes_only_the_number(rng):
    out = swap_number(ARTICLE[0], rng)
    assert out is not None
    before, _, after = ARTICLE[0].partition("120")
    assert out.startswith(before) and out.endswith(after)
    assert out[len(before) : -len(after)].isdigit() and out[len(before) : -len(after)] != "120"


def test_number_swap_needs_a_number(rng):
    assert swap_number(ARTICLE[2], rng) is None


def test_negation_adds_not_after_an_auxiliary(rng):
    assert negate(ARTICLE[0], rng) == ARTICLE[0].replace("city will build", "city will not build")


def test_negation_removes_an_existing_negation(rng):
    assert negate(ARTICLE[4], rng) == "Residents of Shelbyville were consulted."


def test_negation_skips_have_as_a_main_verb(rng):
    assert negate("Goldfish have a memory of three months.", rng) is None


def test_antonym_swaps_the_predicate(rng):
    assert antonym("The council approved the budget.", rng) == "The council rejected the budget."


def test_drop_qualifier_removes_a_relative_clause(rng):
    assert drop_qualifier(ARTICLE[1], rng) == "Critics said the cost was too high."


def test_paraphrase_keeps_meaning_words(rng):
    out = paraphrase(ARTICLE[0], rng)
    assert out is not None and out != ARTICLE[0] and "Springfield" in out


def test_attribution_reports_the_sentence_without_asserting_it(rng):
    reported = attribute(ARTICLE[3], rng)
    assert reported is not None and reported != ARTICLE[3]
    assert "construction to begin in the spring" in reported


def test_entity_swap_uses_another_name_from_the_article(rng):
    out = swap_entity(ARTICLE[0], ["Shelbyville"], rng)
    assert out == ARTICLE[0].replace("Springfield", "Shelbyville")


def test_entity_swap_leaves_dates_alone(rng):
    assert swap_entity("Police said on Monday in March that it rained.", ["Bart"], rng) is None


def test_entity_swap_ignores_capitalised_function_words(rng):
    assert swap_entity("He said This would happen in the spring.", ["Shelbyville"], rng) is None


def test_generate_is_reproducible_and_labels_by_kind():
    docs = [ARTICLE, [s.replace("Springfield", "Ogdenville") for s in ARTICLE]] * 5
    first, second = generate(docs, seed=3), generate(docs, seed=3)
    assert first == second and first
    expected = {"number_swap": REFUTES, "negation": REFUTES, "antonym": REFUTES,
                "entity_swap": REFUTES, "drop_qualifier": SUPPORTS, "paraphrase": SUPPORTS,
                "copy": SUPPORTS, "unrelated": NEUTRAL, "attribution": NEUTRAL}  # fmt: skip
    for pair in first:
        assert pair.label == expected[pair.kind]
        if pair.label == REFUTES:
            assert pair.claim not in pair.evidence


def test_copy_and_edits_keep_the_source_sentence_in_the_evidence():
    for pair in generate([ARTICLE] * 4, seed=5):
        if pair.kind in {"copy", "drop_qualifier", "paraphrase", "negation", "antonym"}:
            assert any(s in pair.evidence for s in ARTICLE)
