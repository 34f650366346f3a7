"""Choosing the stored article a draft's claim is checked against (no article_id given)."""

from __future__ import annotations

import pytest

from service.article_match import Candidate, best_article, content_terms

NATO = Candidate(
    "art_nato",
    content_terms(
        "NATO allies endorsed Mark Rutte; Hungary and Romania held out for Klaus Iohannis."
    ),
    0,
)
OSLO = Candidate(
    "art_oslo",
    content_terms("The Oslo city council approved a tram line to Fornebu, NATO's neighbour said."),
    1,
)
BUDGET = Candidate(
    "art_budget",
    content_terms("Parliament passed the budget; the finance minister said NATO spending rises."),
    2,
)


def test_the_article_sharing_the_claims_rare_words_wins() -> None:
    candidates = [NATO, OSLO, BUDGET]
    assert best_article("Hungary endorsed Rutte.", candidates) == "art_nato"
    assert best_article("A tram line to Fornebu was approved.", candidates) == "art_oslo"


def test_a_word_every_article_has_counts_less_than_a_rare_one() -> None:
    # "NATO" is in all three; "budget" only in one: the budget article wins.
    assert best_article("NATO has a budget.", [NATO, OSLO, BUDGET]) == "art_budget"


def test_stopwords_and_inflections_do_not_decide() -> None:
    assert "the" not in content_terms("The council")
    assert content_terms("endorsing") == content_terms("endorsed")


def test_ties_and_no_overlap_go_to_the_newest_article() -> None:
    assert best_article("Penguins cannot fly.", [NATO, OSLO, BUDGET]) == "art_budget"
    older, newer = Candidate("art_a", NATO.terms, 0), Candidate("art_b", NATO.terms, 1)
    assert best_article("Hungary endorsed Rutte.", [newer, older]) == "art_b"


def test_no_candidates_is_an_error() -> None:
    with pytest.raises(ValueError, match="no candidate"):
        best_article("Rutte won.", [])
