"""Aligning a claim's frames with a passage's: support and each kind of conflict.

Each case is a hand-written (claim, passage) pair and the relation a reader sees between them.
"""

import pytest

from workers.engine.frames import analyse_claim, analyse_text
from workers.engine.relations import Relation, predicates, relate
from workers.engine.terms import analyse


def rel(claim: str, passage: str) -> Relation:
    mentioned = frozenset(t.key for t in analyse(passage))
    return relate(analyse_claim(claim), analyse_text(passage), mentioned)


def signals(r: Relation) -> set[str]:
    names = (
        "support",
        "role_conflict",
        "swap",
        "predicate_conflict",
        "attitude_conflict",
        "date_conflict",
        "reported_only",
        "silent",
    )
    return {n for n in names if getattr(r, n)}


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("endorse", "endorse", "same"),
        ("back", "endorse", "same"),  # WordNet synonyms
        ("rise", "fall", "opposite"),  # WordNet antonyms
        ("win", "lose", "opposite"),
        ("stop", "continue", "opposite"),  # indirect: "stop" is "discontinue"
        ("praise", "oppose", "opposite"),  # the lexicon's stance groups
        ("believe", "doubt", "opposite"),  # attitudes
        ("know", "hope", None),  # two positive attitudes are not one predicate
        ("endorse", "visit", None),
    ],
)
def test_predicates(a, b, expected):
    assert predicates(a, b) == expected


@pytest.mark.parametrize(
    "claim, passage, expected",
    [
        # the claim's frame, every name in its role
        ("France endorsed Rutte.", "Rutte was endorsed by France and Germany.", {"support"}),
        ("Washington backed Rutte.", "The United States endorsed Rutte.", {"support"}),
        ("Szijjarto opposed Rutte.", "Szijjarto opposed Rutte's candidacy.", {"support"}),
        # the same agent, another named patient (the claim's also named in the passage)
        (
            "Germany endorsed Iohannis.",
            "Germany endorsed Rutte, while Iohannis announced his own bid.",
            {"role_conflict"},
        ),
        # agent and patient exchanged
        ("Rutte endorsed Germany.", "Germany endorsed Rutte.", {"swap"}),
        # others doing it do not deny the claim's agent did, but do not state it either
        ("Romania endorsed Rutte.", "Germany endorsed Rutte, citing Romania's record.", {"silent"}),
        ("France endorsed Rutte.", "The United States endorsed Rutte.", set()),
        # another patient, the claim's own not named in the passage: nothing either way
        ("Germany endorsed Iohannis.", "Germany endorsed Rutte.", set()),
        # opposite predicates, negation
        (
            "Szijjarto praised Rutte.",
            "Szijjarto opposed Rutte's candidacy.",
            {"predicate_conflict"},
        ),
        ("Apple's shares fell.", "Apple's shares rose sharply.", {"predicate_conflict"}),
        ("Hungary endorsed Rutte.", "Hungary did not endorse Rutte.", {"predicate_conflict"}),
        (
            "A federal agency confirmed Hunter's account.",
            "No agency confirmed Hunter's account.",
            {"predicate_conflict"},
        ),
        # converse predicates are not opposites: buying from is selling to
        ("Google bought the buildings.", "The buildings were sold to Google.", set()),
        # another sense: "declined to comment" is not "declined" (fell)
        ("The Pentagon's budget declined.", "The Pentagon declined to comment.", set()),
        # reported, not asserted
        ("Rutte would win the vote.", "Kirby said Rutte would win the vote.", {"reported_only"}),
        ("Rutte won the vote.", "According to Reuters, Rutte won the vote.", {"reported_only"}),
        # ... unless the claim reports it too, or the verb is factive
        (
            "Kirby said Rutte would win the vote.",
            "Kirby said Rutte would win the vote.",
            {"support"},
        ),
        ("Rutte won the vote.", "Officials confirmed that Rutte won the vote.", {"support"}),
        # attitude reversed inside reported speech
        (
            "Kirby said the US doubts Rutte would win.",
            "Kirby said the US believes Rutte would win.",
            {"attitude_conflict"},
        ),
        (
            "Kirby said the US is confident Rutte would win.",
            "Kirby said the US believes Rutte would win.",
            {"support"},
        ),
        # dates and numbers of the same event
        (
            "Iohannis announced his bid on Monday.",
            "Iohannis announced his bid on Tuesday.",
            {"date_conflict"},
        ),
        (
            "Iohannis announced his bid in March.",
            "Iohannis announced his bid in April.",
            {"date_conflict"},
        ),
        ("Hungary sent 300 troops.", "Hungary sent 500 troops.", {"date_conflict"}),
        (
            "Iohannis announced his bid on Tuesday.",
            "Iohannis announced his bid on Tuesday.",
            {"support"},
        ),
    ],
)
def test_frames(claim, passage, expected):
    assert signals(rel(claim, passage)) == expected


@pytest.mark.parametrize(
    "claim, passage, expected",
    [
        # a definite office held by another named person
        (
            "The Netherlands' prime minister is Klaus Iohannis.",
            "Dutch Prime Minister Mark Rutte met Romanian President Klaus Iohannis.",
            "role_conflict",
        ),
        (
            "Bana Lawan is the chairman of Chibok.",
            "Mike Omeri, chairman of Chibok, spoke.",
            "role_conflict",
        ),
        # the same holder, the office of another place
        (
            "Hunter is a congressman from Texas.",
            "Hunter, a congressman from California, spoke.",
            "role_conflict",
        ),
        # the same holder and office
        (
            "Mark Rutte is the Dutch prime minister.",
            "Dutch Prime Minister Mark Rutte spoke.",
            "support",
        ),
        # many holders, other times: no conflict
        ("Smith is a NATO official.", "Jones, a NATO official, spoke.", None),
        ("Esper is the defense secretary.", "Former Defense Secretary Jim Mattis spoke.", None),
        # ... but the former holder is not the holder now
        (
            "Mattis is the defense secretary.",
            "Former Defense Secretary Jim Mattis spoke.",
            "role_conflict",
        ),
        ("Mattis was the defense secretary.", "Former Defense Secretary Jim Mattis spoke.", None),
        ("Tomblin was the governor of Ohio.", "Jim Justice, the governor of Ohio, spoke.", None),
    ],
)
def test_attributes(claim, passage, expected):
    found = signals(rel(claim, passage))
    if expected is None:
        assert not found & {"role_conflict", "predicate_conflict"}
    else:
        assert expected in found


def test_a_conflict_unbinds_the_claims_entity_and_support_binds_it():
    conflict = rel("Germany endorsed Iohannis.", "Germany endorsed Rutte, and Iohannis ran.")
    assert analyse("Iohannis")[0].key in conflict.unbound
    support = rel("France endorsed Rutte.", "France endorsed Rutte.")
    assert "country:FR" in support.bound and not support.unbound
    assert conflict.strength == 1.0  # every part of the claim frame is accounted for


def test_another_filler_does_not_contradict_where_another_passage_states_the_claim():
    from workers.engine.relations import passage_relations
    from workers.engine.retrieve import passages
    from workers.engine.types import Document

    text = "Smith won the cup in 2004.\n\nSmith won the cup in 2008, and Jones the shield."
    found = passage_relations("Smith won the cup in 2004.", passages([Document("d", text)]))
    assert found[0].support
    assert not any(r.date_conflict for r in found)
    alone = passage_relations("Smith won the cup in 2004.", passages([Document("e", text[28:])]))
    assert alone[0].date_conflict


@pytest.mark.parametrize(
    "claim, passage, expected",
    [
        # change-of-state verbs: the intransitive subject is the transitive object
        (
            "US forces decreased by 14,000.",
            "The Pentagon increased US forces by 14,000.",
            {"predicate_conflict"},
        ),
        # a doubt the report never had
        (
            "Omeri said the government doubts the talks will work.",
            "Omeri said the talks will work.",
            {"attitude_conflict"},
        ),
        (
            "Omeri said the government believes the talks will work.",
            "Omeri said the government is confident the talks will work.",
            {"support"},
        ),
        # two events of one agent with unrelated objects: neither supports nor denies
        ("Smith won the award in 2004.", "Smith did not win the cup in 2004.", set()),
        ("Smith won the award in 2004.", "Smith won the cup in 2008.", set()),
        # a report about something else supports nothing
        ("The release said forces decreased.", "The Pentagon said it would shift troops.", set()),
    ],
)
def test_more_frames(claim, passage, expected):
    assert signals(rel(claim, passage)) == expected


@pytest.mark.parametrize(
    "claim, passage, expected",
    [
        # buyer and seller exchanged: another entity in each role, a role conflict
        (
            "Walton Street Capital bought Pacific Shores Center in 2006 from Starwood Capital.",
            "Starwood Capital bought Pacific Shores Center in 2006 from Walton Street Capital.",
            {"role_conflict"},
        ),
        # who did it and to whom, exchanged: a swap, also inside a report
        ("France endorsed Rutte, officials said.", "Rutte endorsed France.", {"swap"}),
        (
            "Chuck Todd told Brett McGurk that troops were sent.",
            "Brett McGurk told Chuck Todd that troops were sent.",
            {"swap"},
        ),
        # reciprocal predicates say the same both ways; another partner is still another
        ("Rutte met Macron in Paris.", "Macron met Rutte in Paris.", {"support"}),
        (
            "Rutte met Macron in Paris.",
            "Rutte met Scholz in Paris; Macron stayed home.",
            {"role_conflict"},
        ),
    ],
)
def test_exchanged_roles(claim, passage, expected):
    assert signals(rel(claim, passage)) == expected


@pytest.mark.parametrize(
    "claim, passage, expected",
    [
        # names sharing a last word are different names: not "support"
        (
            "Walton Street Capital bought the center.",
            "Starwood Capital bought the center, citing Walton Street Capital.",
            "silent",
        ),
        ("Rutte met Iohannis.", "Dutch Prime Minister Mark Rutte met Iohannis.", "support"),
        # the organisation an office is of
        (
            "Johnson is a spokesman for Blackstone.",
            "Johnson, a spokesman for Starwood Capital, declined to comment.",
            "role_conflict",
        ),
    ],
)
def test_names(claim, passage, expected):
    found = signals(rel(claim, passage))
    assert expected in found


def test_a_sentence_without_a_related_word_is_not_parsed(monkeypatch):
    from workers.engine import frames
    from workers.engine.relations import passage_relations
    from workers.engine.retrieve import passages
    from workers.engine.types import Document

    text = "The weather was mild on Tuesday.\n\nGermany endorsed Rutte for the post."
    parsed: list[str] = []
    original = frames.parse_many
    monkeypatch.setattr(frames, "parse_many", lambda texts: parsed.extend(texts) or original(texts))
    found = passage_relations("Germany backed Iohannis.", passages([Document("w", text)]))
    assert parsed == ["Germany endorsed Rutte for the post."]  # "endorsed": a synonym of "backed"
    assert found[0] == Relation()


# A claim that someone said P is about the saying: the speaker must be the passage's. Examples
# written for these tests (not from any dataset).
@pytest.mark.parametrize(
    "claim, passage, expected",
    [
        (
            "Marta Lind said the bridge was closed on Monday.",
            "Oskar Berg said the bridge was closed on Monday.",
            {"silent"},  # the same report, another named speaker
        ),
        (
            "The Transport Workers Union said the bridge was closed on Monday.",
            "The bridge was closed on Monday.",
            {"silent"},  # the writer's own statement, no speaker at all
        ),
        (
            "Marta Lind said the bridge was closed on Monday.",
            "Marta Lind said on Tuesday that the bridge was closed on Monday.",
            {"support"},
        ),
    ],
)
def test_a_report_needs_its_speaker(claim, passage, expected):
    assert signals(rel(claim, passage)) == expected


def test_a_pronoun_speaker_is_not_another_speaker():
    # "she" may be the claim's speaker: left undecided, never "silent"
    r = rel("Marta Lind said the bridge was closed.", '"The bridge was closed," she said.')
    assert not r.silent
