import pytest

from workers.engine.segment import segment


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text)]


def test_offsets_round_trip_on_the_demo_article(demo_article):
    spans = segment(demo_article.text)
    assert len(spans) == 11
    for span in spans:
        piece = demo_article.text[span.start : span.end]
        assert piece == piece.strip() and piece
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_us_abbreviation_inside_a_sentence_does_not_split():
    assert sentences("The U.S. Army said so. It left.") == ["The U.S. Army said so.", "It left."]


def test_dotted_abbreviation_can_end_a_sentence():
    assert sentences("He moved to the U.S. The move was quick.") == [
        "He moved to the U.S.",
        "The move was quick.",
    ]


def test_titles_and_initials_do_not_split():
    text = "Gen. Smith met John F. Kennedy. Dr. Who agreed."
    assert sentences(text) == ["Gen. Smith met John F. Kennedy.", "Dr. Who agreed."]


def test_closing_quote_stays_with_its_sentence():
    assert sentences('"It is over." She left.') == ['"It is over."', "She left."]


def test_paragraph_break_ends_a_sentence_without_full_stop():
    text = "WASHINGTON (Reuters) - A headline without stop\n\nThe body starts here."
    assert sentences(text) == [
        "WASHINGTON (Reuters) - A headline without stop",
        "The body starts here.",
    ]


def test_list_items_are_sentences():
    assert sentences("Members:\n- France\n- Germany") == ["Members:", "- France", "- Germany"]


@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", "no punctuation at all", "Ünïcödé… ends. Ça va?"]
)
def test_any_text_round_trips(text):
    for span in segment(text):
        assert text[span.start : span.end].strip() == text[span.start : span.end]
        assert 0 <= span.start < span.end <= len(text)


def test_an_emoji_between_sentences_does_not_hide_the_break() -> None:
    text = "Rutte met Iohannis. 🎉 It rained."
    spans = segment(text)
    assert [text[s.start : s.end] for s in spans] == ["Rutte met Iohannis.", "🎉 It rained."]
