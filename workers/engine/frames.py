"""Who did what to whom: predicate frames and attribute bindings from a dependency parse.

Word overlap cannot tell "France endorsed Rutte" from "Rutte endorsed France". A frame can: it
is a predicate (a verb's lemma, or an adjective's in "the US is confident") with its roles filled
by phrases of the text:

- `agent`: the subject (nsubj), or the by-phrase of a passive ("was endorsed by France"), or the
  noun an -ing participle modifies ("members ... endorsing Rutte"), or the subject of the verb
  that controls an infinitive or a participle adjunct ("X refused to back Y", "X left, citing Y");
- `patient`: the direct object, the subject of a passive, the noun an -ed participle modifies;
- a preposition's name for each prepositional phrase ("to", "against", "for", "on", "behind").

Each frame keeps its negation ("not", "never", or a negating word such as "refrained from"), the
dates and numbers of its own clause (`times`), and the chain of attributions it is reported under
(`reporters`): in "Kirby said that the US believes Rutte would be excellent", "be excellent" is
reported by (believe, US) and (say, Kirby), not asserted. A frame whose clausal complement is
another frame ("believes that P") points to it (`content`), so attitudes can be compared.

Attribute bindings (`Attribute`) tie a named holder to a description: appositions ("Rutte, the
Dutch prime minister"), copulas ("the Netherlands' prime minister is Rutte"), titles before a
name ("Dutch Prime Minister Mark Rutte"), "X serves as Y". An office is a noun whose main sense in
WordNet is a person ("minister", "spokesman"; `data/wordnet.json` role_nouns); its qualifiers
are the names that specify it ("Dutch", "of the Netherlands").

Names are keyed exactly as the rest of the engine keys them (`terms.analyse`): "Washington",
"the US" and "American" are all `country:US`, "Mark Rutte" is `rutte`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from workers.engine.parse import TextCache, parse, parse_many
from workers.engine.segment import segment
from workers.engine.terms import Term, analyse

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_DATA = Path(__file__).with_name("data")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")

COPULAS = frozenset({"be", "become", "remain"})
# Clause-level children whose subtrees are other frames, not this one's arguments.
CLAUSAL = frozenset(
    {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "csubj", "parataxis", "pcomp"}
)
# Modifiers that belong to a noun phrase's identity: "Dutch Prime Minister Mark Rutte",
# "Rutte's candidacy", "Rutte, the Dutch leader".
PHRASE = frozenset({"compound", "amod", "poss", "nmod", "nummod", "appos", "flat", "npadvmod"})
# "members, including the US and France": the members are the US and France.
INCLUDING = frozenset({"including", "like", "among"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
SPEAKER_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
NEGATIVE_ARGUMENTS = frozenset({"nobody", "nothing", "none", "noone"})


@dataclass(frozen=True)
class Filler:
    """A phrase filling a role: its head keys (one per conjunct), which of them are names, and
    every content key of the phrase."""

    heads: frozenset[str]
    named: frozenset[str]
    keys: frozenset[str]
    text: str = ""
    names: frozenset[str] = frozenset()  # every name in the phrase ("Chad" of "Chad's president")
    parts: tuple[frozenset[str], ...] = ()  # each named member's proper-noun parts

    @property
    def empty(self) -> bool:
        return not self.heads


@dataclass(frozen=True)
class Frame:
    predicate: str  # lemma, lower case
    pos: str  # "verb" or "adj"
    negated: bool
    roles: tuple[tuple[str, Filler], ...]
    times: tuple[tuple[str, str], ...] = ()  # (kind, key): ("weekday", "tuesday"), ("year", "2021")
    reporters: tuple[tuple[str, frozenset[str], bool], ...] = ()  # (attitude, speaker, negated)
    content: int | None = None  # index (in its analysis) of the frame it takes as complement
    start: int = 0
    end: int = 0
    passive: bool = False  # "was announced": an agent left unsaid is unknown, not absent
    control: bool = False  # takes an infinitive ("declined to identify"): another sense

    def role(self, name: str) -> Filler | None:
        return next((f for r, f in self.roles if r == name), None)

    @property
    def reported(self) -> bool:
        return bool(self.reporters)


@dataclass(frozen=True)
class Attribute:
    holder: Filler
    office: str  # the description's head noun, lower-case lemma ("minister")
    words: frozenset[str]  # its other words ("prime", "caretaker")
    qualifiers: frozenset[str]  # the names that specify it ("country:NL")
    negated: bool = False
    reporters: tuple[tuple[str, frozenset[str], bool], ...] = ()  # as `Frame.reporters`
    # "the prime minister", "Hungary's foreign minister", a title before a name: one holder;
    # "a NATO member" has many, so another holder does not contradict it
    definite: bool = False
    past: bool = False  # "was West Virginia's governor": offices change hands over time
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Analysis:
    """The frames and attributes of a text (or of one sentence of it)."""

    frames: tuple[Frame, ...] = ()
    attributes: tuple[Attribute, ...] = ()

    def within(self, start: int, end: int) -> Analysis:
        """The part of the analysis whose predicates lie in text[start:end]; `content` indices
        are remapped, and dropped where the complement lies outside."""
        keep = [i for i, f in enumerate(self.frames) if start <= f.start < end]
        index = {old: new for new, old in enumerate(keep)}
        frames = tuple(_with_content(self.frames[i], _moved(self.frames[i], index)) for i in keep)
        attributes = tuple(a for a in self.attributes if start <= a.start < end)
        return Analysis(frames, attributes)


def _moved(frame: Frame, index: dict[int, int]) -> int | None:
    return None if frame.content is None else index.get(frame.content)


def _with_content(frame: Frame, content: int | None) -> Frame:
    if frame.content == content:
        return frame
    return Frame(
        frame.predicate,
        frame.pos,
        frame.negated,
        frame.roles,
        frame.times,
        frame.reporters,
        content,
        frame.start,
        frame.end,
        frame.passive,
        frame.control,
    )


@cache
def role_nouns() -> frozenset[str]:
    """Nouns whose main WordNet sense is a person: offices and roles ("minister")."""
    data = json.loads((_DATA / "wordnet.json").read_text(encoding="utf-8"))
    return frozenset(data.get("relations", {}).get("role_nouns", ()))


_documents = TextCache()
_claims = TextCache(size=4096)


def analyse_text(text: str) -> Analysis:
    """Frames and attributes of a whole text, parsed once per process per distinct text."""
    return _documents.get(text, _analyse_document)


_spans = TextCache(size=50_000)


def analyse_span(text: str, start: int, end: int) -> Analysis:
    """Frames and attributes of one sentence, `text[start:end]`, with offsets into `text`.

    Only the sentences retrieval puts before the judge are parsed, each once per process: a
    claim against a new long document parses its best dozen sentences, not the whole text.
    """
    return _spans.get(f"{start}:{text[start:end]}", lambda _: _analyse_span(text, start, end))


def analyse_spans(spans: Sequence[tuple[str, int, int]]) -> list[Analysis]:
    """`analyse_span` for several (text, start, end) at once: the sentences not yet cached are
    parsed in one batch (spaCy's `pipe`, cheaper than one call each)."""
    keys = [f"{start}:{text[start:end]}" for text, start, end in spans]
    found: list[Analysis | None] = [_spans.peek(k) for k in keys]  # type: ignore[misc]
    missing = [i for i, a in enumerate(found) if a is None]
    docs = parse_many([spans[i][0][spans[i][1] : spans[i][2]] for i in missing]) if missing else []
    for i, doc in zip(missing, docs, strict=True):
        text, start, end = spans[i]
        found[i] = extract(doc, analyse(text, start, end), offset=start)
        _spans.put(keys[i], found[i])
    return [a for a in found if a is not None]


def _analyse_span(text: str, start: int, end: int) -> Analysis:
    return extract(parse(text[start:end]), analyse(text, start, end), offset=start)


def analyse_claim(text: str) -> Analysis:
    """Frames and attributes of a claim (or claim part)."""
    return _claims.get(text, lambda t: extract(parse(t), _terms_by_sentence(t)))


def _analyse_document(text: str) -> Analysis:
    """Each sentence of `segment` parsed alone, as `retrieve.passages` cuts them: a parse of the
    whole text may join sentences across a paragraph break, and a passage's frames must not
    reach into its neighbours."""
    spans = segment(text)
    if not spans:
        return extract(parse(text), analyse(text))
    frames: list[Frame] = []
    attributes: list[Attribute] = []
    docs = parse_many([text[s.start : s.end] for s in spans])
    for span, doc in zip(spans, docs, strict=True):
        part = extract(doc, analyse(text, span.start, span.end), offset=span.start)
        shift = len(frames)
        frames.extend(
            _with_content(f, None if f.content is None else f.content + shift) for f in part.frames
        )
        attributes.extend(part.attributes)
    return Analysis(tuple(frames), tuple(attributes))


def _terms_by_sentence(text: str) -> list[Term]:
    # As `retrieve.passages` analyses them: sentence by sentence (negation and headline-style
    # capitals are decided per sentence).
    spans = segment(text)
    if not spans:
        return analyse(text)
    return [t for s in spans for t in analyse(text, s.start, s.end)]


class _Keys:
    """Maps tokens to the engine's term keys by character offset."""

    def __init__(self, terms: Sequence[Term], offset: int = 0) -> None:
        self.offset = offset  # where the parsed text starts in the text the terms index
        self._by_char: dict[int, Term] = {}
        for term in terms:
            for i in range(term.start, term.end):
                self._by_char.setdefault(i, term)
        self.roles = role_nouns()

    def term(self, token: Token) -> Term | None:
        return self._by_char.get(token.idx + self.offset)

    def key(self, token: Token) -> str | None:
        term = self.term(token)
        return term.key if term is not None else None

    def named(self, token: Token) -> bool:
        """A name: an entity term (person, country, organisation) that is not an office, or a
        proper noun where headline-style capitals kept `terms` from calling it an entity."""
        term = self.term(token)
        if term is None or token.lemma_.lower() in self.roles:
            return False
        if term.kind == "entity":
            return token.pos_ in ("PROPN", "NOUN", "ADJ")
        return term.kind == "word" and token.pos_ == "PROPN"

    def is_role(self, token: Token) -> bool:
        return token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in self.roles


def extract(doc: Doc, terms: Sequence[Term], offset: int = 0) -> Analysis:
    """Frames and attribute bindings of a parsed text whose terms are `terms`."""
    keys = _Keys(terms, offset)
    heads = [t for t in doc if _is_predicate(t)]
    position = {t.i: n for n, t in enumerate(heads)}
    frames = []
    for token in heads:
        content = _complement(token)
        frames.append(
            Frame(
                predicate=_lemma(token),
                pos="adj" if token.pos_ == "ADJ" else "verb",
                negated=_negated(token, keys),
                roles=_roles(token, keys),
                times=_times(token, keys),
                reporters=_reporters(token, keys),
                content=position.get(content.i) if content is not None else None,
                start=offset + token.idx,
                end=offset + token.idx + len(token.text),
                passive=(token.dep_ == "acl" and token.tag_ == "VBN")
                or any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children),
                control=any(c.dep_ == "xcomp" for c in token.children),
            )
        )
    attributes = list(_attributes(doc, keys))
    return Analysis(tuple(frames), tuple(attributes))


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _is_predicate(token: Token) -> bool:
    """Verbs (not auxiliaries, not copulas linking a name to an office) and adjectives
    predicated of a subject ("the US is confident")."""
    if token.pos_ == "VERB" and token.dep_ not in ("aux", "auxpass", "amod", "prep"):
        return True
    if token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass") and _lemma(token) in COPULAS:
        # a copula with a noun: "Rutte would be an excellent Secretary-General" (also an
        # attribute binding, see `_attributes`; the frame lets attitudes take it as content)
        return any(c.dep_ == "attr" for c in token.children)
    return token.pos_ == "ADJ" and token.dep_ == "acomp"


def _complement(token: Token) -> Token | None:
    """The predicate of this one's clausal complement ("believes [that P]")."""
    owners = [token]
    if token.pos_ == "ADJ" and token.dep_ == "acomp":
        owners.append(token.head)  # "is confident that P": the clause may hang on "is"
    for owner in owners:
        for child in owner.children:
            if child.dep_ == "ccomp" and _is_predicate(child):
                return child
            if child.dep_ == "ccomp" and _lemma(child) in COPULAS:
                # "said the government is confident ...": the adjective is the predicate
                adjective = next((c for c in child.children if c.dep_ == "acomp"), None)
                if adjective is not None and _is_predicate(adjective):
                    return adjective
    return None


def _negated(token: Token, keys: _Keys) -> bool:
    owners = [token, token.head] if token.pos_ == "ADJ" else [token]
    if any(c.dep_ == "neg" for owner in owners for c in owner.children):
        return True
    # "No agency confirmed it", "Nobody saw it", "It confirmed nothing": a negative argument
    # negates the clause.
    for owner in owners:
        for c in owner.children:
            if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (
                c.lower_ in NEGATIVE_ARGUMENTS
                or any(d.dep_ == "det" and d.lower_ in ("no", "neither") for d in c.children)
            ):
                return True
    term = keys.term(token)
    return term is not None and term.negated


def _roles(token: Token, keys: _Keys) -> tuple[tuple[str, Filler], ...]:
    roles: dict[str, Filler] = {}
    verb = token.head if token.pos_ == "ADJ" else token  # "the US is confident": US of "is"
    for child in [*verb.children, *(token.children if verb is not token else ())]:
        dep = child.dep_
        if dep == "nsubj":
            _put(roles, "agent", _filler(child, keys))
        elif dep == "nsubjpass":
            _put(roles, "patient", _filler(child, keys))
        elif dep == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                _put(roles, "agent", _filler(pobj, keys))
        elif dep in ("dobj", "attr") and verb is token:
            _put(roles, "patient" if dep == "dobj" else "attr", _filler(child, keys))
        elif dep == "dative":
            _put(roles, "to", _filler(child, keys))
        elif dep == "prep" and child.lower_ != "according" and child.lower_ not in INCLUDING:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                _put(roles, _lemma(child), _filler(pobj, keys))
    if "agent" not in roles:
        inherited = _inherited_agent(token, keys)
        if inherited is not None:
            _put(roles, "agent", inherited)
    if "patient" not in roles and token.dep_ == "acl" and token.tag_ == "VBN":
        _put(roles, "patient", _filler(token.head, keys))  # "the candidate endorsed by X"
    return tuple(sorted(roles.items()))


def _put(roles: dict[str, Filler], name: str, filler: Filler) -> None:
    if name not in roles and not filler.empty:
        roles[name] = filler


def _inherited_agent(token: Token, keys: _Keys) -> Filler | None:
    """The understood subject: of an -ing participle, its noun ("members ... endorsing Rutte");
    of an infinitive or participle adjunct or a coordinated verb, the governing verb's subject."""
    if token.dep_ == "acl" and token.tag_ == "VBG":
        return _filler(token.head, keys)
    if token.dep_ in ("xcomp", "conj", "advcl") and token.head.pos_ in ("VERB", "AUX"):
        if token.dep_ == "advcl" and any(c.dep_ == "mark" for c in token.children):
            return None  # "although officials refrained": its own clause, own subject
        subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return _filler(subject, keys)
        return _inherited_agent(token.head, keys)
    return None


def _phrase(token: Token) -> list[Token]:
    """The token and the modifiers that belong to its identity (not clauses, not other
    conjuncts): "the Dutch leader's 2021 remarks" -> Dutch, leader, 2021, remarks."""
    out = [token]
    for child in token.children:
        if child.dep_ in PHRASE or child.dep_ == "case":
            out.extend(_phrase(child))
        elif child.dep_ == "prep" and _lemma(child) == "of":
            out.extend(t for c in child.children if c.dep_ == "pobj" for t in _phrase(c))
    return out


def _members(token: Token) -> list[Token]:
    """The token, its conjuncts and the members it includes ("members, including X and Y")."""
    out = [token]
    for child in token.children:
        if child.dep_ in ("conj", "appos"):  # an apposition names the same thing again
            out.extend(_members(child))
        elif child.dep_ == "prep" and child.lower_ in INCLUDING:
            out.extend(m for c in child.children if c.dep_ == "pobj" for m in _members(c))
        elif child.dep_ == "prep" and _lemma(child) == "such":  # "such as X"
            out.extend(
                m
                for a in child.children
                for c in a.children
                if c.dep_ == "pobj"
                for m in _members(c)
            )
    return out


def _resolve(token: Token) -> Token:
    """A relative pronoun stands for the noun its clause modifies ("Rutte, who serves ...");
    a third-person subject pronoun of a reported clause for the speaker ("the Pentagon said it
    would not ...", "Salkida said he does not believe ..."), the usual reading."""
    if _lemma(token) in RELATIVE and token.head.dep_ == "relcl":
        return token.head.head
    clause = token.head
    if (
        token.lower_ in SPEAKER_PRONOUNS
        and token.dep_ in ("nsubj", "nsubjpass")
        and clause.dep_ == "ccomp"
    ):
        owner = clause.head.head if clause.head.pos_ == "ADJ" else clause.head
        speaker = next((c for c in owner.children if c.dep_ == "nsubj"), None)
        if speaker is not None and speaker.pos_ != "PRON":
            return speaker
    return token


def _filler(token: Token, keys: _Keys) -> Filler:
    token = _resolve(token)
    heads: set[str] = set()
    named: set[str] = set()
    phrase_keys: set[str] = set()
    names: set[str] = set()
    parts: list[frozenset[str]] = []
    for member in _members(token):
        if member.pos_ == "PRON":
            continue
        key = keys.key(member) or (_lemma(member) if member.pos_ in ("NOUN", "PROPN") else None)
        if key is None:
            continue
        heads.add(key)
        if keys.named(member):
            named.add(key)
            # "Walton Street Capital" and "Starwood Capital" share their last word: a name is
            # all of its proper-noun parts
            parts.append(
                frozenset(
                    k
                    for t in [member, *member.children]
                    if (t is member or (t.dep_ in ("compound", "flat") and t.pos_ == "PROPN"))
                    and not keys.is_role(t)
                    and (k := keys.key(t)) is not None
                )
            )
        for t in _phrase(member):
            k = keys.key(t)
            if k is not None:
                phrase_keys.add(k)
                if keys.named(t):
                    names.add(k)
    return Filler(
        frozenset(heads),
        frozenset(named),
        frozenset(phrase_keys),
        token.text,
        frozenset(names),
        tuple(parts),
    )


def _times(token: Token, keys: _Keys) -> tuple[tuple[str, str], ...]:
    """Dates and numbers of the frame's own clause (not of clauses inside it)."""
    found: set[tuple[str, str]] = set()
    stack = [c for c in token.children if c.dep_ not in CLAUSAL]
    while stack:
        t = stack.pop()
        term = keys.term(t)
        if term is not None and term.kind in ("weekday", "month"):
            found.add((term.kind, term.key))
        elif term is not None and term.kind == "number":
            found.add(("year" if _YEAR.match(term.key) else "number", term.key))
        stack.extend(c for c in t.children if c.dep_ not in CLAUSAL)
    return tuple(sorted(found))


def _reporters(token: Token, keys: _Keys) -> tuple[tuple[str, frozenset[str], bool], ...]:
    """The attributions over a predicate, innermost first: each verb whose clausal complement
    contains it ("said [that ...]", "believes [...]"), with its speaker, and "according to X"."""
    chain: list[tuple[str, frozenset[str], bool]] = []
    current = token
    while True:
        for child in current.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                to = next((c for c in child.children if _lemma(c) == "to"), None)
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
                speaker = _filler(pobj, keys).heads if pobj is not None else frozenset()
                chain.append(("say", speaker, False))
        if current.dep_ in ("ccomp", "parataxis") or (
            current.dep_ == "conj" and current.head.dep_ == "ccomp"
        ):
            governor = current.head if current.dep_ != "conj" else current.head.head
            if governor.pos_ == "AUX" and governor.dep_ == "ROOT":
                # "X is confident that P": the attitude is the adjective's
                adjective = next((c for c in governor.children if c.dep_ == "acomp"), None)
                governor = adjective or governor
            subject = next(
                (c for c in _subject_owner(governor).children if c.dep_ == "nsubj"), None
            )
            speaker = _filler(subject, keys).heads if subject is not None else frozenset()
            chain.append((_lemma(governor), speaker, _negated(governor, keys)))
            current = governor if governor.pos_ != "ADJ" else governor.head
            continue
        if current.dep_ in ("ROOT", "relcl", "acl") or current.head is current:
            # A relative clause or a participle describes its noun in the writer's voice
            # ("the girls, who were kidnapped in April"), not as part of a report.
            break
        current = current.head
    return tuple(chain)


def _subject_owner(token: Token) -> Token:
    return token.head if token.pos_ == "ADJ" else token


# --- attribute bindings ---------------------------------------------------------------------


def _office_pair(a: Token, b: Token, keys: _Keys) -> tuple[Token, Token] | None:
    """(holder, description) if one side is a name and the other a description headed by a
    noun (not a name): "Rutte" / "the Dutch prime minister"."""
    roles = role_nouns()

    def is_name(t: Token) -> bool:
        # the tagger calls some surnames common nouns ("Hunter"): the capital decides
        return (t.pos_ == "PROPN" or keys.named(t)) and _lemma(t) not in roles

    def is_description(t: Token) -> bool:
        return t.pos_ in ("NOUN", "PROPN") and _lemma(t) in roles

    if is_name(a) and is_description(b):
        return a, b
    if is_name(b) and is_description(a):
        return b, a
    return None


def _attributes(doc: Doc, keys: _Keys) -> Iterable[Attribute]:
    for token in doc:
        # copula: "The Netherlands' prime minister is Klaus Iohannis", "Rutte is the ..."
        if _lemma(token) in COPULAS and token.dep_ not in ("aux", "auxpass"):
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            attr = next((c for c in token.children if c.dep_ == "attr"), None)
            if subject is not None and attr is not None:
                pair = _office_pair(_resolve(subject), attr, keys)
                if pair is not None:
                    yield _attribute(*pair, keys, _negated(token, keys), token)
        # "X serves as the caretaker prime minister of the Netherlands"
        if _lemma(token) in ("serve", "act", "work") and token.pos_ == "VERB":
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            as_ = next((c for c in token.children if c.dep_ == "prep" and _lemma(c) == "as"), None)
            pobj = next((c for c in as_.children if c.dep_ == "pobj"), None) if as_ else None
            if subject is not None and pobj is not None:
                pair = _office_pair(_resolve(subject), pobj, keys)
                if pair is not None:
                    yield _attribute(*pair, keys, _negated(token, keys), token)
        # apposition: "Rutte, the Dutch prime minister, ..." / "the minister, Peter Szijjarto"
        for child in token.children:
            if child.dep_ == "appos":
                pair = _office_pair(token, child, keys)
                if pair is not None:
                    yield _attribute(*pair, keys, False, token, voiced=False)
        # a title before a name: "Dutch Prime Minister Mark Rutte"
        if token.pos_ == "PROPN" and not keys.is_role(token):
            for child in token.children:
                if child.dep_ == "compound" and keys.is_role(child):
                    yield _attribute(
                        token, child, keys, False, token, extra=token.children, voiced=False
                    )


def _attribute(
    holder: Token,
    description: Token,
    keys: _Keys,
    negated: bool,
    anchor: Token,
    extra: Iterable[Token] = (),
    voiced: bool = True,
) -> Attribute:
    """Bind `holder` to the office `description` heads; `extra` are modifiers of the name that
    qualify the office ("Romanian" in "Romanian President Klaus Iohannis")."""
    tokens = [(t, n) for t, n in _phrase_of_description(description) if t.i != holder.i]
    tokens += [(t, False) for t in extra if t.dep_ == "amod"]
    words: set[str] = set()
    qualifiers: set[str] = set()
    for t, of in tokens:
        if t.i == description.i or t.pos_ in ("DET", "PART", "PUNCT", "ADP"):
            continue
        term = keys.term(t)
        if (
            term is not None
            and not keys.is_role(t)
            and (term.kind == "entity" or (of and t.pos_ == "PROPN"))
        ):
            qualifiers.add(term.key)  # "New York-based Blackstone", "Starwood Capital"
        elif t.pos_ in ("ADJ", "NOUN", "PROPN"):
            words.add(_lemma(t))
    return Attribute(
        holder=_filler(holder, keys),
        office=_lemma(description),
        words=frozenset(words),
        qualifiers=frozenset(qualifiers),
        negated=negated,
        # an apposition or a title is the writer's description even inside a report
        reporters=_reporters(anchor, keys) if voiced else (),
        past=anchor.tag_ == "VBD" or any(c.tag_ == "VBD" for c in anchor.children),
        # "the minister", "Hungary's minister", "Lawan, chairman of ...", a title: one holder;
        # "a spokesman", "officials": one of several
        definite=description.tag_ not in ("NNS", "NNPS")
        and not any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "one", "some", "another", "any")
            for c in description.children
        ),
        start=keys.offset + anchor.idx,
        end=keys.offset + anchor.idx + len(anchor.text),
    )


def _phrase_of_description(token: Token, named: bool = False) -> list[tuple[Token, bool]]:
    """The description's tokens, each with whether it names what the office is of ("for
    Starwood Capital", "Hungary's"), as opposed to the title itself ("Prime Minister")."""
    out = [(token, named)]
    for child in token.children:
        if child.dep_ in ("compound", "amod", "nmod", "case"):
            out.extend(_phrase_of_description(child, named))
        elif child.dep_ == "poss":
            out.extend(_phrase_of_description(child, True))
        elif child.dep_ == "prep" and _lemma(child) in ("of", "for", "from", "at"):
            out.extend(
                t
                for c in child.children
                if c.dep_ == "pobj"
                for t in _phrase_of_description(c, True)
            )
    return out
