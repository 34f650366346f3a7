"""Frames from a dependency parse: roles, negation, attribution, dates, attribute bindings.

Hand-written sentences, one per construction; each expectation is what the sentence means.
"""

import pytest

from workers.engine import parse
from workers.engine.frames import Analysis, Frame, analyse_claim, analyse_text
from workers.engine.terms import analyse


def frame(analysis: Analysis, predicate: str) -> Frame:
    found = [f for f in analysis.frames if f.predicate == predicate]
    assert found, f"no {predicate!r} frame in {[f.predicate for f in analysis.frames]}"
    return found[0]


def heads(f: Frame, role: str) -> set[str]:
    filler = f.role(role)
    return set(filler.heads) if filler is not None else set()


def key(word: str) -> str:
    """The engine's key for a word ("Rutte" -> its stem, "Washington" -> country:US)."""
    (term,) = analyse(word)
    return term.key


def test_an_active_clause_has_agent_and_patient():
    f = frame(analyse_claim("France endorsed Rutte."), "endorse")
    assert heads(f, "agent") == {"country:FR"}
    assert heads(f, "patient") == {key("Rutte")}
    assert not f.negated and not f.reported


def test_a_passive_puts_the_by_phrase_in_the_agent_role_and_keeps_every_conjunct():
    f = frame(analyse_claim("Rutte was endorsed by France and Germany."), "endorse")
    assert heads(f, "agent") == {"country:FR", "country:DE"}
    assert heads(f, "patient") == {key("Rutte")}
    assert f.passive


def test_aliases_are_the_engines_country_concepts():
    f = frame(analyse_claim("Washington backed Rutte."), "back")
    assert heads(f, "agent") == {"country:US"}


def test_members_a_phrase_includes_fill_its_role():
    f = frame(analyse_claim("NATO members, including France and Italy, endorsed Rutte."), "endorse")
    assert {"country:FR", "country:IT"} <= heads(f, "agent")


def test_a_participle_takes_its_noun_as_agent():
    text = "Members endorsing Rutte met in Brussels."
    f = frame(analyse_claim(text), "endorse")
    assert heads(f, "agent") == {key("members")}
    assert heads(f, "patient") == {key("Rutte")}


def test_prepositional_roles_are_named_by_their_preposition():
    f = frame(analyse_claim("Hungary objected to Rutte."), "object")
    assert heads(f, "to") == {key("Rutte")}


@pytest.mark.parametrize(
    "text, predicate",
    [
        ("Hungary did not endorse Rutte.", "endorse"),
        ("Hungary never endorsed Rutte.", "endorse"),
        ("No member state endorsed Rutte.", "endorse"),
    ],
)
def test_negation(text, predicate):
    assert frame(analyse_claim(text), predicate).negated


def test_an_infinitive_inherits_the_subject_of_its_verb():
    f = frame(analyse_claim("Hungary refused to back Rutte."), "back")
    assert heads(f, "agent") == {"country:HU"}
    assert f.negated  # "refused to" negates what follows
    assert frame(analyse_claim("Hungary refused to back Rutte."), "refuse").control


def test_reported_speech_keeps_the_speaker_and_the_attitude():
    analysis = analyse_claim("Kirby said the US believes Rutte would win.")
    win, believe, say = (frame(analysis, p) for p in ("win", "believe", "say"))
    assert [(a, set(s)) for a, s, _ in win.reporters] == [
        ("believe", {"country:US"}),
        ("say", {key("Kirby")}),
    ]
    assert analysis.frames[say.content] is believe
    assert analysis.frames[believe.content] is win
    assert not say.reported


def test_according_to_reports():
    f = frame(analyse_claim("According to Reuters, Hungary opposed the bid."), "oppose")
    assert [(a, set(s)) for a, s, _ in f.reporters] == [("say", {key("Reuters")})]


def test_an_attitude_adjective_is_a_predicate_with_a_complement():
    analysis = analyse_claim("The US is confident that Rutte will win.")
    confident = frame(analysis, "confident")
    assert heads(confident, "agent") == {"country:US"}
    assert analysis.frames[confident.content].predicate == "win"


def test_a_relative_clause_is_the_writers_not_part_of_a_report():
    analysis = analyse_claim("Officials said the girls, who were kidnapped in April, are safe.")
    assert not frame(analysis, "kidnap").reported


def test_a_relative_pronoun_stands_for_its_noun():
    f = frame(analyse_claim("Rutte, who leads the Netherlands, entered the race."), "lead")
    assert heads(f, "agent") == {key("Rutte")}


def test_a_reported_subject_pronoun_is_the_speaker():
    f = frame(analyse_claim("The Pentagon said it would not identify the troops."), "identify")
    assert heads(f, "agent") == {key("Pentagon")}
    assert f.negated


def test_dates_and_numbers_of_the_clause():
    f = frame(analyse_claim("Iohannis announced his bid on Tuesday, March 12, 2024."), "announce")
    kinds = dict(f.times)
    assert kinds["weekday"] == key("Tuesday")
    assert kinds["month"] == key("March")
    assert kinds["year"] == "2024"
    sent = frame(analyse_claim("Hungary sent 300 troops."), "send")
    assert ("number", "300") in sent.times


@pytest.mark.parametrize(
    "text, holder, office, qualifier",
    [
        ("Mark Rutte, the Dutch prime minister, spoke.", "Rutte", "minister", "country:NL"),
        ("The Netherlands' prime minister is Mark Rutte.", "Rutte", "minister", "country:NL"),
        ("Romanian President Klaus Iohannis spoke.", "Iohannis", "president", "country:RO"),
        ("Rutte serves as prime minister of the Netherlands.", "Rutte", "minister", "country:NL"),
        (
            "Hungary's Foreign Minister Peter Szijjarto spoke.",
            "Szijjarto",
            "minister",
            "country:HU",
        ),
    ],
)
def test_attribute_bindings(text, holder, office, qualifier):
    (attribute,) = [a for a in analyse_claim(text).attributes if a.office == office]
    assert key(holder) in attribute.holder.heads
    assert qualifier in attribute.qualifiers
    assert attribute.definite and not attribute.past


def test_an_indefinite_office_has_many_holders_and_a_past_one_other_times():
    (member,) = analyse_claim("Hunter is a congressman.").attributes
    assert not member.definite
    (governor,) = analyse_claim("Tomblin was the governor.").attributes
    assert governor.past


def test_a_documents_frames_stay_within_their_sentence():
    text = "Germany endorsed Rutte.\n\nIohannis entered the race on Tuesday."
    analysis = analyse_text(text)
    first = analysis.within(0, text.index("\n"))
    second = analysis.within(text.index("Iohannis"), len(text))
    assert [f.predicate for f in first.frames] == ["endorse"]
    assert [f.predicate for f in second.frames] == ["enter"]
    assert frame(second, "enter").times == (("weekday", key("Tuesday")),)


def test_a_document_is_parsed_once_per_text(monkeypatch):
    text = "Szijjarto opposed Rutte's candidacy on Wednesday."
    first = analyse_text(text)
    calls = []
    monkeypatch.setattr(parse, "nlp", lambda: calls.append(1))  # would fail if called
    assert analyse_text(text) is first
    assert calls == []


def test_the_parser_loads_once_without_unused_pipes():
    assert parse.nlp() is parse.nlp()
    assert not set(parse.DISABLED) & set(parse.nlp().pipe_names)


def test_the_text_cache_forgets_the_oldest_text():
    cache = parse.TextCache(size=2)
    for text in ("a", "b", "c"):
        cache.get(text, str.upper)
    assert len(cache) == 2
    assert cache.get("a", lambda t: "again") == "again"


def test_a_sentence_parsed_alone_has_the_frames_of_the_whole_document():
    from workers.engine.frames import analyse_span
    from workers.engine.segment import segment

    text = "Germany endorsed Rutte on Monday.\n\nKirby said the US believes Rutte would win."
    for span in segment(text):
        alone = analyse_span(text, span.start, span.end)
        assert alone.frames == analyse_text(text).within(span.start, span.end).frames
        assert alone.frames and all(span.start <= f.start < span.end for f in alone.frames)
