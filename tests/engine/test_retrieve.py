from workers.engine.retrieve import bm25, passages, rank
from workers.engine.terms import analyse
from workers.engine.types import Document


def test_passages_quote_sentences_and_carry_title_and_previous_sentence():
    doc = Document("d", "Mark Rutte is Dutch. The Dutch leader spoke.", title="NATO race")
    first, second = passages([doc])
    assert (first.text, second.text) == ("Mark Rutte is Dutch.", "The Dutch leader spoke.")
    assert second.context == "NATO race Mark Rutte is Dutch."
    assert "rut" in {t.key for t in second.context_terms}


def test_bm25_prefers_the_sentence_with_the_rare_term():
    doc = Document("d", "Rutte met France. Rutte met Italy. Rutte met Spain.")
    best = rank(analyse("Italy met Rutte"), passages([doc]), k=1)
    assert best[0].text == "Rutte met Italy."


def test_passages_without_query_terms_are_not_ranked():
    doc = Document("d", "Nothing relevant here. Nor here.")
    assert rank(analyse("Italy endorsed Rutte"), passages([doc]), k=5) == []
    assert bm25(analyse("x"), []).shape == (0,)
