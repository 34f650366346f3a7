"""Align a claim's frames with a passage's: does the passage say who did what to whom?

For each claim frame (see `frames.py`) the passage's frames with the same predicate (the same
lemma, a WordNet synonym, or a stance word of the same group and sign) or the opposite one (a
WordNet antonym, a stance word of the opposite sign, a belief verb of the opposite attitude) are
compared role by role:

| the passage ...                                                        | signal              |
|---|---|
| fills every named role of the claim with the claim's entities          | `support`           |
| fills a role with ANOTHER named entity, the others agreeing            | `role_conflict`     |
| fills two of the claim's named roles the other way round               | `swap`              |
| has the opposite predicate, or negates it on one side only             | `predicate_conflict`|
| ... inside an attitude or reported speech ("said the US doubts")       | `attitude_conflict` |
| gives the same event another weekday, month, year or number            | `date_conflict`     |
| only reports the claim ("X said P") where the claim asserts P      | `reported_only`     |
| has the predicate but no filler for a role the claim names             | `silent`            |

Attribute bindings work the same way: a definite office ("the Dutch prime minister", "Foreign
Minister X") held by another named person in the passage is a `role_conflict`; the same holder
with the office's qualifiers moved ("the Romanian prime minister" for the Dutch one) too.
`strength` is how much of the claim frame the best-aligned passage frame accounts for (the
predicate and each role or date it fills, agreeing or not), so a conflict on an otherwise
identical frame is strong even when the passage words it differently.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from workers.engine.frames import (
    COPULAS,
    Analysis,
    Attribute,
    Filler,
    Frame,
    analyse_claim,
    analyse_spans,
)
from workers.engine.lexicon import load, phrase
from workers.engine.text import normalise, tokenize

if TYPE_CHECKING:
    from workers.engine.retrieve import Passage

_DATA = Path(__file__).with_name("data")

# Attitude verbs and adjectives by their stance towards their complement (linguistics, not
# data): "believes/is confident that P" holds P likely, "doubts/is sceptical that P" unlikely.
# WordNet has no antonym pointer between them ("believe" has only "disbelieve").
BELIEF: dict[str, tuple[str, int]] = {
    **dict.fromkeys(
        ("believe", "think", "confident", "sure", "certain", "convinced", "positive"),
        ("belief", 1),
    ),
    **dict.fromkeys(
        ("doubt", "disbelieve", "question", "doubtful", "skeptical", "sceptical", "unsure")
        + ("uncertain", "unconvinced", "dubious"),
        ("belief", -1),
    ),
    **dict.fromkeys(("expect", "hope", "optimistic", "hopeful"), ("expectation", 1)),
    **dict.fromkeys(("pessimistic", "fear"), ("expectation", -1)),
    **dict.fromkeys(("trust",), ("trust", 1)),
    **dict.fromkeys(("distrust", "mistrust"), ("trust", -1)),
}
# Change-of-state verbs whose intransitive subject is their transitive object ("troops
# increased" / "the Pentagon increased the troops").
ERGATIVE = frozenset(
    {"increase", "decrease", "grow", "shrink", "rise", "fall", "drop", "decline", "expand"}
    | {"double", "triple", "halve", "improve", "worsen", "change", "open", "close", "end"}
    | {"begin", "start", "stop", "slow", "accelerate", "reduce", "cut", "raise", "lower"}
)
# Symmetric (reciprocal) predicates and roles: "X met Y" is "Y met X", "X talked with Y" is
# "Y talked with X" (Levin 1993, §2.5 "reciprocal alternations"), so exchanging their fillers
# is no role swap.
RECIPROCAL = frozenset(
    {"meet", "marry", "date", "divorce", "wed", "kiss", "hug", "resemble", "match", "equal"}
    | {"debate", "fight", "battle", "clash", "face", "play", "negotiate", "partner", "merge"}
    | {"collide", "agree", "disagree", "differ", "compete", "spar", "tie", "draw", "talk"}
    | {"speak", "chat", "correspond", "cooperate", "collaborate", "ally", "unite", "join"}
)
# The roles whose exchange is a swap: who did it and to whom. Other exchanges ("bought it from
# Y" for "Y bought it from X") stay role conflicts: a stronger refutation, the one training
# data prefers (measured: the generalised swap lost a record of the contrast train half).
SWAP_ROLES = ("agent", "patient")
# Office modifiers that put the holder at another time: "former Defense Secretary Mattis" does
# not contradict "Esper is the defense secretary".
TIMELY = frozenset({"former", "ex", "then", "previous", "late", "future", "incoming", "outgoing"})
# Factive verbs present their complement as true ("confirmed that P", "revealed that P"): P
# is the writer's too, not only reported.
FACTIVE = frozenset(
    {"know", "realize", "realise", "reveal", "confirm", "acknowledge", "admit", "show"}
    | {"prove", "demonstrate", "find", "learn", "discover", "notice", "recognize", "verify"}
    | {"regret", "remember", "forget", "establish"}
)

# A claim that someone said P needs that speaker: a passage stating P in its own voice, or
# reporting it from another named speaker, is silent on the claim (off: an ablation).
SPEAKER_BINDING = True

# Names of the relation features, as `Features` and the learned head's input carry them.
RELATION_FEATURES = (
    "role_support",
    "role_conflict",
    "role_swap",
    "predicate_conflict",
    "attitude_conflict",
    "date_conflict",
    "reported_only",
    "silent_role",
)


@dataclass(frozen=True)
class Relation:
    """What a passage's frames say of a claim's (all False: the passage has no such frame)."""

    support: bool = False
    role_conflict: bool = False
    swap: bool = False
    predicate_conflict: bool = False
    attitude_conflict: bool = False
    date_conflict: bool = False
    reported_only: bool = False
    silent: bool = False
    strength: float = 0.0  # alignment of the frame that decided a conflict, in [0, 1]
    unbound: frozenset[str] = frozenset()  # claim fillers the passage puts in another role
    bound: frozenset[str] = frozenset()  # claim fillers the passage puts in the claim's role

    @property
    def conflict(self) -> bool:
        return (
            self.role_conflict
            or self.predicate_conflict
            or self.attitude_conflict
            or self.date_conflict
        )


@cache
def _wordnet() -> dict:
    data = json.loads((_DATA / "wordnet.json").read_text(encoding="utf-8"))
    return data.get("relations", {"antonyms": {}, "synonyms": {}})


@lru_cache(maxsize=65536)
def predicates(a: str, b: str, pos: str = "verb") -> str | None:
    """ "same", "opposite" or None: how two predicate lemmas relate."""
    if a == b:
        return "same"
    wordnet = _wordnet()
    synonyms = wordnet["synonyms"].get("verb", {})
    if b in synonyms.get(a, ()) or a in synonyms.get(b, ()):
        return "same"
    antonyms = wordnet["antonyms"].get(pos, {})  # the verb "back" has no antonym "front"
    if b in antonyms.get(a, ()) or a in antonyms.get(b, ()):
        return "opposite"
    # indirect antonyms: "stop" is a synonym of "discontinue", the antonym of "continue"
    for x, y in ((a, b), (b, a)):
        if any(y in antonyms.get(w, ()) for w in synonyms.get(x, ())):
            return "opposite"
    polarity = load().polarity
    sa, sb = polarity.get(phrase(a)), polarity.get(phrase(b))
    if sa is not None and sb is not None and sa[0] == sb[0]:
        return "same" if sa[1] == sb[1] else "opposite"
    if a in BELIEF and b in BELIEF:
        (group_a, sign_a), (group_b, sign_b) = BELIEF[a], BELIEF[b]
        if sign_a != sign_b:
            return "opposite"  # holding P likely against holding it unlikely
        if group_a == group_b:
            return "same"  # ("believe" is "is confident"; "know" is not "hope")
    return None


def fillers(claim: Filler, evidence: Filler) -> str:
    """ "match" (the same entity), "clash" (two different names) or "unknown"."""
    if claim.named:
        if _same_name(claim, evidence):
            return "match"
    elif claim.heads & evidence.keys or evidence.heads & claim.keys:
        # a description ("Chad's president") matches only with the names that qualify it
        if claim.names <= evidence.keys:
            return "match"
        return "unknown"
    if claim.named and evidence.named and not _same_name(claim, evidence):
        return "clash"
    if not claim.named and not evidence.named and not (claim.keys & evidence.keys):
        return "unrelated"  # two descriptions of different things ("the award", "the cup")
    return "unknown"


def _same_name(claim: Filler, evidence: Filler) -> bool:
    """A named member of one is named in the other: all of its proper-noun parts ("Rutte" in
    "Dutch Prime Minister Mark Rutte"; not "Walton Street Capital" in "Starwood Capital")."""
    if not (claim.named & evidence.keys or evidence.named & claim.keys):
        return False
    return any(p <= evidence.keys for p in claim.parts) or any(
        p <= claim.keys for p in evidence.parts
    )


@dataclass(frozen=True)
class _Alignment:
    kind: str  # "support", "role", "swap", "predicate", "attitude", "date", "reported", "silent"
    strength: float
    unbound: frozenset[str] = frozenset()
    bound: frozenset[str] = frozenset()


def _time_roles(frame: Frame) -> set[str]:
    values = {v for _, v in frame.times}
    return {r for r, f in frame.roles if f.heads and f.heads <= values}


def _align(
    claim: Analysis,
    c: Frame,
    evidence: Analysis,
    e: Frame,
    mentioned: frozenset[str] | None = None,
    depth: int = 0,
) -> _Alignment | None:
    """How passage frame `e` bears on claim frame `c` (None: not the same predicate, or
    nothing ties them to one event). `mentioned`: the passage's term keys, if known."""
    if c.control != e.control:
        return None  # "declined to say" is not "declined" (fell): another sense of the verb
    relation = predicates(c.predicate, e.predicate, c.pos)
    if relation is None:
        return None
    if c.predicate in RECIPROCAL:
        e = _reciprocal_order(c, e)
    skip = _time_roles(c) | _time_roles(e)
    status: dict[str, str] = {}
    for name, filler in c.roles:
        if name in skip:
            continue
        other = e.role(name)
        if (
            name == "agent"
            and c.role("patient") is None
            and e.role("patient") is not None
            and c.predicate in ERGATIVE
            and (other is None or fillers(filler, other) != "match")
        ):
            # "forces increased" is "X increased the forces": the intransitive subject of a
            # change-of-state verb is the transitive object
            other = e.role("patient")
        if other is not None:
            status[name] = fillers(filler, other)
        elif name == "agent" and e.passive:
            status[name] = "unknown"  # "was announced": by whom, the passage does not say
        else:
            status[name] = "silent"
    if mentioned is not None:
        # Another entity in the claim's role only contradicts it where the passage also names
        # the claim's own entity, elsewhere: "France ... endorsing Rutte, Iohannis expressed
        # ..." against "France endorsed Iohannis". A passage about the US endorsing Rutte says
        # nothing about whether France did.
        for name, s in status.items():
            claimed = c.role(name)
            if s == "clash" and claimed is not None and not claimed.named & mentioned:
                status[name] = "unknown"
    matched = [r for r, s in status.items() if s == "match"]
    clashed = [r for r, s in status.items() if s == "clash"]
    named = {r: f.named for r, f in c.roles if r in status and f.named}  # claim names by role
    silent = [r for r, s in status.items() if s == "silent" and r in named]
    date_clash = _times_clash(c, e)
    present = 1 + sum(s != "silent" for s in status.values()) + len({k for k, _ in c.times})
    strength = present / (1 + len(status) + len({k for k, _ in c.times}))
    bound = frozenset(k for r in matched for k in named.get(r, ()))
    clashing = frozenset(k for r in clashed for k in named.get(r, ()))
    swapped = _swapped_roles(c, e, relation)
    if swapped is not None:
        return _Alignment("swap", strength, unbound=clashing | swapped)
    polarity_flip = relation == "opposite" or c.negated != e.negated
    if clashed == ["agent"] and _other_speaker(c, e, claim, evidence, mentioned, depth):
        # "Chaffetz said P" against "Hunter said P": P is reported, by someone else
        return _Alignment("silent", strength, unbound=clashing)
    if clashed:
        if relation != "same" or c.negated or e.negated or not matched:
            return None  # nothing ties the two frames to one event
        if clashed == ["agent"]:
            # Others doing the same to the same patient do not exclude the claim's agent
            # ("France endorsed Rutte" does not deny that Romania did), but this passage does
            # not say the claim's agent did it: it is someone else's act here.
            return _Alignment("silent", strength, unbound=clashing)
        # The same agent did it to another named patient, or another entity holds the
        # claim's prepositional role: "Germany endorsed Rutte" against "Germany endorsed
        # Iohannis" (Iohannis also named in the passage).
        return _Alignment("role", strength, unbound=clashing)
    # Every name the claim gives a role must stand in that role in the passage (an agent a
    # passive leaves unsaid excepted): else the frames may be two events.
    placed = all(
        status[r] == "match" or (r == "agent" and e.passive and e.role("agent") is None)
        for r in named
    )
    if not status or (not matched and not named):
        return None  # no role, or descriptions only, none in common: maybe two events
    if not placed:
        if silent and matched and relation == "same":
            return _Alignment(
                "silent", strength, unbound=frozenset(k for r in silent for k in named[r])
            )
        if _other_speaker(c, e, claim, evidence, mentioned, depth):
            # "Chaffetz said P" against "Hunter said P": P is reported, by someone else
            return _Alignment("silent", strength, unbound=frozenset(named.get("agent", ())))
        return None
    attitude = c.content is not None or c.reported
    if c.content is not None and e.content is None:
        return None  # "X said P": a passage where X says nothing in particular says nothing
    if c.content is not None and e.content is not None and depth < 3:
        inner = _align(
            claim,
            claim.frames[c.content],
            evidence,
            evidence.frames[e.content],
            mentioned,
            depth + 1,
        )
        if inner is not None and inner.kind in ("predicate", "attitude") and not polarity_flip:
            return _Alignment("attitude", max(strength, inner.strength), bound=bound)
        if inner is not None and inner.kind in ("support", "reported") and polarity_flip:
            return _Alignment("attitude", strength, bound=bound)
        if inner is not None and inner.kind in ("role", "date", "swap") and not polarity_flip:
            return _Alignment(inner.kind, max(strength, inner.strength), inner.unbound, bound)
        if inner is None:
            inserted = _inserted_doubt(claim, claim.frames[c.content], evidence, e, mentioned)
            if inserted is not None:
                return inserted
        if inner is None or inner.kind not in ("support", "reported"):
            return None  # the same speaker or attitude, about something else
    # Roles both frames fill with unrelated descriptions ("the award" / "the Grammy") may be
    # two events of one agent: no polarity or date conflict between them.
    unrelated = "unrelated" in status.values()
    if polarity_flip:
        # The opposite predicate contradicts only with the same agent actually named in the
        # passage: "sold to Google" is no antonym of "Google bought" (converse roles).
        if "agent" in status and "agent" not in matched or unrelated:
            return None
        return _Alignment("attitude" if attitude else "predicate", strength, bound=bound)
    if c.predicate in COPULAS and status.get("attr", "match") != "match":
        return None  # "X is the president" is about the office: another noun says nothing
    if date_clash and not unrelated:
        return _Alignment("date", strength, bound=bound)
    if unrelated:
        return None  # the same agent doing the same to something else
    if _reported(e.reporters) and not c.reported and c.content is None:
        return _Alignment("reported", strength, bound=bound)
    return _Alignment("support", strength, bound=bound)


def _reciprocal_order(c: Frame, e: Frame) -> Frame:
    """`e` with agent and patient exchanged where that lines them up with the claim's: "Macron
    met Rutte" states "Rutte met Macron"."""
    ca, cp, ea, ep = c.role("agent"), c.role("patient"), e.role("agent"), e.role("patient")
    if ca is None or cp is None or ea is None or ep is None:
        return e
    if fillers(ca, ep) == "match" and fillers(cp, ea) == "match" and fillers(ca, ea) != "match":
        other = {"agent": "patient", "patient": "agent"}
        return replace(e, roles=tuple(sorted((other.get(r, r), f) for r, f in e.roles)))
    return e


def _swapped_roles(c: Frame, e: Frame, relation: str) -> frozenset[str] | None:
    """The claim's names in two roles the passage fills the other way round ("Walton bought it
    from Starwood" against "Starwood bought it from Walton"; "X told Y" against "Y told X"), or
    None. A reciprocal predicate ("met", "married") or role ("with") says the same both ways."""
    if relation != "same" or c.predicate in RECIPROCAL or c.negated != e.negated:
        return None
    named = [(r, f) for r, f in c.roles if f.named and r in SWAP_ROLES]
    for i, (r1, f1) in enumerate(named):
        for r2, f2 in named[i + 1 :]:
            e1, e2 = e.role(r1), e.role(r2)
            if e1 is None or e2 is None:
                continue
            if (
                fillers(f1, e2) == "match"
                and fillers(f2, e1) == "match"
                and fillers(f1, e1) != "match"
                and fillers(f2, e2) != "match"
            ):
                return f1.named | f2.named
    return None


def _other_speaker(
    c: Frame,
    e: Frame,
    claim: Analysis,
    evidence: Analysis,
    mentioned: frozenset[str] | None,
    depth: int,
) -> bool:
    """The passage reports the claim's content with another named speaker in the agent role.

    A pronoun speaker ("he said") may be the claim's own: that is left undecided."""
    if not SPEAKER_BINDING or c.content is None or e.content is None or depth >= 3:
        return False
    if predicates(c.predicate, e.predicate, c.pos) != "same":
        return False
    claimed, given = c.role("agent"), e.role("agent")
    if claimed is None or given is None or not claimed.named or not given.named:
        return False
    if fillers(claimed, given) == "match":
        return False
    inner = _align(
        claim, claim.frames[c.content], evidence, evidence.frames[e.content], mentioned, depth + 1
    )
    return inner is not None and inner.kind in ("support", "reported")


def unreported_content(claim: Analysis, evidence: Analysis) -> bool:
    """The claim reports P ("X said P") and the passage states P in its own voice, with no
    attribution to anyone: the passage does not say that X said it."""
    if not SPEAKER_BINDING:
        return False
    for c in claim.frames:
        if c.content is None or c.reported:
            continue
        speaker = c.role("agent")
        if speaker is None or not speaker.named:
            continue
        inner = claim.frames[c.content]
        for e in evidence.frames:
            if e.reported or e.content is not None:
                continue
            found = _align(claim, inner, evidence, e, None, 1)
            if found is not None and found.kind == "support":
                return True
    return False


def _inserted_doubt(
    claim: Analysis, attitude: Frame, evidence: Analysis, e: Frame, mentioned: frozenset[str] | None
) -> _Alignment | None:
    """ "X said Y doubts P" where the passage has "X said P": a doubt the report never had."""
    if attitude.content is None or e.content is None:
        return None
    if BELIEF.get(attitude.predicate, ("", 1))[1] > 0:
        return None
    inner = _align(
        claim, claim.frames[attitude.content], evidence, evidence.frames[e.content], mentioned, 2
    )
    if inner is not None and inner.kind in ("support", "reported"):
        return _Alignment("attitude", inner.strength)
    return None


def _reported(reporters: tuple[tuple[str, frozenset[str], bool], ...]) -> bool:
    """Reported, not asserted: some attribution over it is not factive."""
    return any(attitude not in FACTIVE for attitude, _, _ in reporters)


def _times_clash(c: Frame, e: Frame) -> bool:
    """A claim date or number whose kind the passage frame gives with other values only."""
    for kind in {k for k, _ in c.times}:
        wanted = {v for k, v in c.times if k == kind}
        given = {v for k, v in e.times if k == kind}
        if given and not wanted & given:
            return True
    return False


def _attribute(c: Attribute, e: Attribute) -> _Alignment | None:
    if c.office != e.office or not c.words <= e.words:
        return None
    holder = fillers(c.holder, e.holder)
    if e.words & TIMELY and not c.words & TIMELY:
        # "James Mattis is the defense secretary" against "former Defense Secretary James
        # Mattis": he held it, he does not now (unless the claim is about then)
        if holder == "match" and not c.past and not c.negated:
            return _Alignment("role", 1.0)
        return None
    compatible = not c.qualifiers or c.qualifiers <= e.qualifiers
    if holder == "match":
        if c.negated != e.negated and compatible:
            return _Alignment("predicate", 1.0)
        if compatible:
            kind = "reported" if _reported(e.reporters) and not c.reporters else "support"
            return _Alignment(kind, 1.0, bound=c.holder.named)
        if c.qualifiers - e.qualifiers and e.qualifiers - c.qualifiers and not c.past:
            # the office of another country or state: "a Republican congressman from Texas"
            # against "... from California"
            return _Alignment("role", 1.0)
        return None
    if holder == "clash" and compatible and c.definite and e.definite and not c.negated | c.past:
        return _Alignment("role", 1.0, unbound=c.holder.named)
    return None


# Which alignment of one claim frame wins within a passage: a statement of the claim beats a
# conflict found elsewhere in the same sentence, conflicts beat silence.
_CONFLICTS = ("role", "swap", "predicate", "attitude", "date")
_PRIORITY = ("support", "reported", "attitude", "predicate", "role", "swap", "date", "silent")


def relate(
    claim: Analysis, evidence: Analysis, mentioned: frozenset[str] | None = None
) -> Relation:
    """Relation signals of one passage's analysis against a claim's; `mentioned` (the
    passage's term keys) limits role conflicts to entities the passage names."""
    best: list[_Alignment] = []
    for c in claim.frames:
        found = [
            a
            for e in evidence.frames
            if (a := _align(claim, c, evidence, e, mentioned)) is not None
        ]
        if c.reported:
            # What the claim reports ("X said P": P) is supported only as the content of the
            # report (`_align` follows `content`); P contradicted by the passage still counts.
            found = [a for a in found if a.kind in _CONFLICTS]
        if found:
            best.append(min(found, key=lambda a: (_PRIORITY.index(a.kind), -a.strength)))
    for ca in (a for a in claim.attributes if not a.reporters):
        found = [a for ea in evidence.attributes if (a := _attribute(ca, ea)) is not None]
        if found:
            best.append(min(found, key=lambda a: (_PRIORITY.index(a.kind), -a.strength)))
    if not any(a.kind == "support" for a in best) and unreported_content(claim, evidence):
        best.append(_Alignment("silent", 1.0))
    if not best:
        return Relation()
    kinds = {a.kind for a in best}
    conflicts = [a for a in best if a.kind in ("role", "swap", "predicate", "attitude", "date")]
    return Relation(
        support=kinds == {"support"},
        role_conflict="role" in kinds,
        swap="swap" in kinds,
        predicate_conflict="predicate" in kinds,
        attitude_conflict="attitude" in kinds,
        date_conflict="date" in kinds,
        reported_only="reported" in kinds and "support" not in kinds,
        silent="silent" in kinds and "support" not in kinds,
        strength=max((a.strength for a in conflicts), default=0.0),
        unbound=frozenset().union(*(a.unbound for a in best)),
        bound=frozenset().union(*(a.bound for a in best)),
    )


@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    return frozenset(t.norm for t in tokenize(text))


def _cue_words(claim: Analysis) -> frozenset[str]:
    """Normalised words a passage needs for any of its frames to align with the claim's: the
    predicates, their WordNet synonyms and antonyms (direct and indirect), the words of their
    stance group or attitude class, the copulas, the offices."""
    wordnet = _wordnet()
    synonyms = wordnet["synonyms"].get("verb", {})
    polarity = load().polarity
    words: set[str] = set()
    stance: set[str] = set()
    if claim.attributes or any(f.predicate in COPULAS for f in claim.frames):
        words.update(COPULAS | {"is", "are", "was", "were", "been", "being"})
    for frame in claim.frames:
        lemma = frame.predicate
        related = {lemma, *synonyms.get(lemma, ())}
        for part in ("verb", "adj"):
            antonyms = wordnet["antonyms"].get(part, {})
            for word in list(related):
                related.update(antonyms.get(word, ()))
            for word in list(related):
                related.update(synonyms.get(word, ()))
        group = polarity.get(phrase(lemma))
        if group is not None:  # phrases are normalised already: their first words
            stance.update(p[0] for p, g in polarity.items() if g[0] == group[0])
        if lemma in BELIEF:
            related.update(BELIEF)
        words.update(related)
    words.update(a.office for a in claim.attributes)
    return frozenset(normalise(w) for w in words) | stance


def passage_relations(part: str, passages: Sequence[Passage]) -> list[Relation]:
    """The relation signals of each passage (one sentence of a document) for a claim part.
    Each sentence is parsed once per process (`frames.analyse_span`)."""
    claim = analyse_claim(part)
    if not claim.frames and not claim.attributes:
        return [Relation() for _ in passages]
    words = _cue_words(claim)
    # A sentence without any word that could head a matching frame is not parsed: on a new
    # long document that is most of the sentences retrieval ranks. The rest parse in a batch.
    relevant = [i for i, p in enumerate(passages) if words & _words(p.text)]
    analyses = analyse_spans(
        [(passages[i].document.text, passages[i].start, passages[i].end) for i in relevant]
    )
    found = [Relation() for _ in passages]
    for i, analysis in zip(relevant, analyses, strict=True):
        found[i] = relate(claim, analysis, frozenset(t.key for t in passages[i].terms))
    if any(r.support for r in found):
        # Events repeat: "X won the award in 2004" is not denied by "X won the cup in 2008"
        # where another passage states the claim's own event. Another filler or date only
        # contradicts the claim when no passage gives the claim's.
        found = [
            replace(r, role_conflict=False, date_conflict=False, swap=False, strength=0.0)
            if r.role_conflict or r.date_conflict or r.swap
            else r
            for r in found
        ]
    return found
