"""Premise shortening: long articles are cut to the window that talks about the hypothesis."""

from training.textwin import best_window, shorten, split_sentences


def test_split_sentences_on_full_stops_and_blank_lines():
    text = "First one. Second one!\n\nThird without stop\nstill third. 4 starts here."
    assert split_sentences(text) == [
        "First one.", "Second one!", "Third without stop\nstill third.", "4 starts here."
    ]  # fmt: skip


def test_best_window_prefers_the_sentences_sharing_content_words():
    sentences = ["Cats sleep a lot.", "Dogs bark.", "Rutte was endorsed by France.", "Rain fell."]
    assert best_window(sentences, "France endorsed Rutte", size=1) == sentences[2]


def test_shorten_keeps_short_premises_whole():
    assert shorten("A short premise.", "anything") == "A short premise."


def test_shorten_cuts_long_premises_to_the_relevant_window():
    filler = " ".join(f"Sentence number {i} talks about weather." for i in range(60))
    premise = filler + " The minister resigned on Tuesday. " + filler
    out = shorten(premise, "minister resigned", max_words=50)
    assert "minister resigned" in out and len(out.split()) <= 100
