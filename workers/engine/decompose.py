"""Split a claim into checkable parts at lists of named things.

"The US, UK, France and Germany all support Rutte" is four claims, one per country, each judged
alone; "France and Italy endorsed Rutte" is two. Only lists of capitalised names joined by "and"
are split: "or" would change the meaning, and lower-case lists ("economic and political") are
usually one property, not several claims. With the parser (`structural`, the relation layer's),
coordinated clauses, non-restrictive relative clauses and appositions become parts too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NAME = r"(?:[Tt]he\s+)?(?:[A-Z][\w.'’-]*)(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)*"
_LIST = re.compile(rf"({_NAME})((?:\s*,\s*{_NAME})*)\s*,?\s+and\s+({_NAME})")
_QUANTIFIER_AFTER = re.compile(r"^(\s+)(?:all|both|each|together)\b\s*")
_SEP = re.compile(r"\s*,\s*")
STRUCTURE = True  # split along the parse when asked (`structural`); off for an ablation


def decompose(claim: str, structural: bool = False) -> list[str]:
    """Return the parts of `claim`; a claim without a list of names is its own single part.

    `structural` first splits the claim along its parse (`decompose_structure`: coordinated
    clauses, relative clauses, appositions), then each piece at lists of names.
    """
    if structural and STRUCTURE:
        pieces = decompose_structure(claim)
        if len(pieces) > 1:
            parts = [p for piece in pieces for p in decompose(piece)]
            return list(dict.fromkeys(parts))[:MAX_PARTS]
    match = _LIST.search(claim)
    if match is None or (structural and _inside_a_name(claim, match.start(3))):
        return [claim]
    middle = [m for m in _SEP.split(match.group(2)) if m]
    items = [match.group(1), *middle, match.group(3)]
    before, after = claim[: match.start()], claim[match.end() :]
    after = _QUANTIFIER_AFTER.sub(r"\1", after)
    parts = []
    for item in items:
        if before == "" and item[:4].lower() == "the " and match.start() == 0:
            item = item[0].upper() + item[1:]
        parts.append(f"{before}{item}{after}")
    return parts


def _inside_a_name(claim: str, start: int) -> bool:
    """The list is part of one name: "the Center for Strategic and International Studies"."""
    from workers.engine.parse import parse

    token = next((t for t in parse(claim) if t.idx >= start), None)
    if token is None:
        return False
    while token.dep_ in ("conj", "compound", "amod", "nmod", "flat") and token.head is not token:
        token = token.head
    return token.dep_ == "pobj" and token.head.head.pos_ == "PROPN"


def decompose_structure(claim: str) -> list[str]:
    """Split `claim` along its parse, conservatively, into the facts it asserts side by side.

    - two clauses joined by "and"/"but" at the top level: "X bought Y, and Z declined to
      comment" -> "X bought Y", "Z declined to comment"; a second verb sharing the subject
      takes it along: "X met Y and endorsed Z" -> "X met Y", "X endorsed Z";
    - a non-restrictive relative clause: "Rutte, who leads the Netherlands, met X" ->
      "Rutte met X", "Rutte leads the Netherlands";
    - an apposition to a name: "Mark Rutte, the Dutch prime minister, met X" -> "Mark Rutte met
      X", "Mark Rutte is the Dutch prime minister".

    Clauses inside reported speech ("said that A and B") stay whole: they are one report. A
    claim the parser does not read as one sentence with a verb stays whole.
    """
    from workers.engine.parse import parse

    doc = parse(claim)
    if len(list(doc.sents)) != 1:
        return [claim]
    root = next(t for t in doc if t.dep_ == "ROOT")
    if root.pos_ not in ("VERB", "AUX"):
        return [claim]
    parts = _clauses(claim, root)
    if len(parts) > 1:
        found = [p for part in parts for p in decompose_structure(part)]
        return list(dict.fromkeys(found))[:MAX_PARTS]
    return _asides(claim, doc)


MAX_PARTS = 6


def _clauses(claim: str, root: Token) -> list[str]:
    cc = next((c for c in root.children if c.dep_ == "cc" and c.lower_ in ("and", "but")), None)
    conj = next((c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")), None)
    if cc is None or conj is None or conj.i < cc.i:
        return [claim]
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return [claim]
    first = claim[: cc.idx].rstrip(" ,;")
    second = claim[conj.left_edge.idx : conj.right_edge.idx + len(conj.right_edge)]
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
        if any(c.dep_ == "advmod" and c.i < conj.i for c in conj.children):
            second = claim[conj.idx : conj.right_edge.idx + len(conj.right_edge)]
        name = claim[subject.left_edge.idx : subject.right_edge.idx + len(subject.right_edge)]
        if subject.pos_ == "PRON" and subject.lower_ not in ("he", "she", "it", "they", "we"):
            return [claim]
        second = f"{name} {second}"
    if len(first.split()) < 2 or len(second.split()) < 2:
        return [claim]
    return [first, second.rstrip(" .") + claim[len(claim.rstrip(" .")) :]]


def _asides(claim: str, doc: Doc) -> list[str]:
    """A comma-delimited relative clause or apposition becomes its own fact."""
    for token in doc:
        for child in token.children:
            if child.dep_ not in ("relcl", "appos") or child.i <= token.i:
                continue
            start = child.left_edge
            if start.i == 0 or doc[start.i - 1].text != ",":
                continue  # restrictive ("the man who ..."): part of the noun's identity
            end = child.right_edge
            after = end.i + 1
            closing = after < len(doc) and doc[after].text == ","
            if not closing and after < len(doc) and doc[after].text not in (".", "!", "?"):
                continue
            name = claim[token.left_edge.idx : token.idx + len(token)]
            aside = claim[start.idx : end.idx + len(end)]
            if child.dep_ == "relcl":
                pronoun = start
                if pronoun.lower_ not in ("who", "which") or pronoun.dep_ not in (
                    "nsubj",
                    "nsubjpass",
                ):
                    continue
                fact = f"{name} {claim[doc[pronoun.i + 1].idx : end.idx + len(end)]}"
            else:
                if token.pos_ != "PROPN":
                    continue
                fact = f"{name} is {aside}"
            cut_from = doc[start.i - 1].idx
            cut_to = doc[after].idx + 1 if closing else end.idx + len(end)
            main = (claim[:cut_from] + claim[cut_to:]).replace("  ", " ")
            return [main, fact]
    return [claim]
