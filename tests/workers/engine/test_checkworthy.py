"""Check-worthiness: factual assertions in, opinions, questions and boilerplate out."""

from __future__ import annotations

import pytest

from workers.engine.checkworthy import (
    THRESHOLD,
    find_checkworthy,
    score_sentence,
    split_sentences,
)

FACTUAL = [
    "Romanian President Klaus Iohannis announced his candidacy for NATO chief on Tuesday.",
    "The United States endorsed Mark Rutte.",
    "Hungary opposed Rutte's nomination.",
    "Dr. Smith said 40 percent of members backed Rutte.",
    "Unemployment fell to 5.2% in March 2024.",
    "Iohannis has a dog named Rex.",
]
NOT_CHECKWORTHY = [
    "I think Rutte would be a wonderful leader.",  # opinion
    "In my opinion the alliance should move faster.",  # opinion
    "Will Iohannis win the race?",  # question
    "Subscribe to our newsletter for more.",  # boilerplate
    "© 2024 Example News. All rights reserved.",  # boilerplate
    "What a day!",  # too short, exclamation
    "We are proud of our readers.",  # no verifiable content
]


@pytest.mark.parametrize("sentence", FACTUAL)
def test_factual_assertions_are_checkworthy(sentence: str) -> None:
    assert score_sentence(sentence).score >= THRESHOLD


@pytest.mark.parametrize("sentence", NOT_CHECKWORTHY)
def test_opinions_questions_and_boilerplate_are_not(sentence: str) -> None:
    assert score_sentence(sentence).score < THRESHOLD


def test_numbers_and_dates_raise_the_score() -> None:
    plain = score_sentence("The United States endorsed Mark Rutte.").score
    dated = score_sentence("The United States endorsed Mark Rutte on 12 March 2024.").score
    assert dated > plain


def test_score_explains_itself() -> None:
    scored = score_sentence("Will Iohannis win?")
    assert scored.reasons == ("question",)
    assert "date" in score_sentence("Rutte was elected in 2024.").reasons


def test_split_sentences_keeps_code_point_offsets() -> None:
    draft = "  Señor Müller met Iohannis in Bucharest. 🎉 It rained.\n\nNATO said so."
    sentences = split_sentences(draft)
    assert [s.text for s in sentences] == [
        "Señor Müller met Iohannis in Bucharest.",
        "It rained.",  # leading emoji trimmed
        "NATO said so.",
    ]
    for sentence in sentences:
        assert draft[sentence.start : sentence.end] == sentence.text


def test_split_sentences_does_not_break_after_abbreviations() -> None:
    draft = "Dr. Smith met Mr. Jones in the U.S. on Monday. They talked."
    assert [s.text for s in split_sentences(draft)] == [
        "Dr. Smith met Mr. Jones in the U.S. on Monday.",
        "They talked.",
    ]


def test_split_sentences_of_blank_text_is_empty() -> None:
    assert split_sentences("   \n\n 🎉 ") == []


def test_find_checkworthy_returns_only_claims_in_draft_order() -> None:
    draft = " ".join([FACTUAL[0], NOT_CHECKWORTHY[0], FACTUAL[1], NOT_CHECKWORTHY[2]])
    found = find_checkworthy(draft)
    assert [item.sentence.text for item in found] == [FACTUAL[0], FACTUAL[1]]
    assert all(item.checkworthy for item in found)
