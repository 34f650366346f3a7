from workers.engine.text import normalise, tokenize


def test_tokens_carry_exact_offsets():
    text = "The U.S. paid 1,200 to Rutte’s team."
    for token in tokenize(text):
        assert text[token.start : token.end] == token.surface


def test_inflections_of_one_word_share_a_key():
    assert len({normalise(w) for w in ["endorse", "endorsed", "endorsing", "endorses"]}) == 1
    assert normalise("comment") == normalise("commenting")
    assert normalise("nomination") == normalise("nominated")


def test_possessive_and_dots_are_dropped():
    assert normalise("Rutte's") == normalise("Rutte")
    assert normalise("U.S.") == "us"


def test_numbers_lose_thousands_separators():
    assert normalise("1,200") == "1200"


def test_irregular_forms_meet_their_base_form():
    assert normalise("took") == normalise("take") == normalise("taking")
    assert normalise("children") == normalise("child")
