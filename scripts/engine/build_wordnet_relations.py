"""Add WordNet's verb/adjective antonyms and synonyms, and its role nouns, to `data/wordnet.json`.

The relation layer (`workers/engine/relations.py`) asks three questions of WordNet, answered here
once so that the runtime needs no WordNet install:
- `antonyms`: part of speech -> lemma -> lemmas WordNet marks as its direct antonyms ("!"
  pointers are lexical: they hold between two particular words of two synsets, so "rise" ->
  "fall" but not every synonym of "rise"), verbs and adjectives, from the lemma's `SENSES`
  most frequent senses.
- `synonyms`: "verb" -> lemma -> the other single-word lemmas of its `SENSES` most frequent senses
  ("endorse" -> "back", "second"), verbs only, kept only where that synset is among the other
  word's own `SENSES` most frequent senses too (so "bank" does not become "rely").
- `role_nouns`: single-word nouns whose most frequent sense is in the noun.person lexicographer
  file ("president", "minister", "spokesman") and that name no particular person in WordNet
  (no given names): in "Dutch Prime Minister Mark Rutte" they are the office, the rest the name.

Run: apt-get install wordnet-base && .venv/bin/python scripts/engine/build_wordnet_relations.py
(`build_lexicon.py` keeps this section when it rewrites the file). WordNet 3.0 licence:
docs/model.md.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
DATA = Path(__file__).resolve().parents[2] / "workers" / "engine" / "data"
SENSES = 2  # most frequent senses of a lemma that count: later ones are rare readings
PERSON_FILE = 18  # lexicographer file noun.person
_WORD = re.compile(r"^[a-z][a-z-]*$")


def _lemma(word: str) -> str:
    # adjectives carry a syntactic marker ("galore(ip)"); lemmas use "_" for spaces
    return re.sub(r"\(\w+\)$", "", word).lower()


def _index(pos: str) -> dict[str, list[str]]:
    """lemma -> synset offsets, most frequent sense first."""
    out: dict[str, list[str]] = {}
    for line in (WORDNET / f"index.{pos}").read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        pointer_count = int(fields[3])
        sense_count = int(fields[2])
        start = 4 + pointer_count + 2
        out[fields[0]] = fields[start : start + sense_count]
    return out


def _synsets(pos: str) -> dict[str, tuple[int, list[str], list[tuple[int, str, int]], bool]]:
    """offset -> (lexicographer file, lemmas, antonym pointers (source word, target, word),
    whether the synset is an instance: one particular person or place, "Saint Peter")."""
    out = {}
    for line in (WORDNET / f"data.{pos}").read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split("|")[0].split()
        count = int(fields[3], 16)
        lemmas = [fields[4 + 2 * i] for i in range(count)]
        rest = fields[4 + 2 * count :]
        pointers = []
        instance = False
        for i in range(int(rest[0])):
            symbol, target, _, source_target = rest[1 + 4 * i : 5 + 4 * i]
            instance = instance or symbol == "@i"
            if symbol == "!":
                pointers.append((int(source_target[:2], 16), target, int(source_target[2:], 16)))
        out[fields[0]] = (int(fields[1]), lemmas, pointers, instance)
    return out


def antonyms_and_synonyms(pos: str, synonyms: bool) -> tuple[dict, dict]:
    index, synsets = _index(pos), _synsets(pos)
    antonyms: dict[str, set[str]] = defaultdict(set)
    similar: dict[str, set[str]] = defaultdict(set)
    for lemma, offsets in index.items():
        if not _WORD.match(lemma):
            continue
        for offset in offsets[:SENSES]:
            _, lemmas, pointers, _ = synsets[offset]
            words = [_lemma(w) for w in lemmas]
            for source, target, target_word in pointers:
                if words[source - 1] != lemma:
                    continue
                other = _lemma(synsets[target][1][target_word - 1])
                if _WORD.match(other):
                    antonyms[lemma].add(other)
            if synonyms:
                for word in words:
                    if word != lemma and _WORD.match(word) and offset in index[word][:SENSES]:
                        similar[lemma].add(word)
    return (
        {k: sorted(v) for k, v in sorted(antonyms.items())},
        {k: sorted(v) for k, v in sorted(similar.items())},
    )


def role_nouns() -> list[str]:
    """Nouns whose most frequent sense is a person ("minister"; not "mark", a grade), and that
    are no one's name: "Peter" and "John" are saints in WordNet (instances), so not offices."""
    index, synsets = _index("noun"), _synsets("noun")
    names = {
        w.lower()
        for _, lemmas, _, instance in synsets.values()
        if instance
        for w in lemmas
        if w[:1].isupper()
    }
    return sorted(
        lemma
        for lemma, offsets in index.items()
        if _WORD.match(lemma) and synsets[offsets[0]][0] == PERSON_FILE and lemma not in names
    )


def relations() -> dict:
    verb_antonyms, verb_synonyms = antonyms_and_synonyms("verb", synonyms=True)
    adj_antonyms, _ = antonyms_and_synonyms("adj", synonyms=False)
    return {
        "antonyms": {"verb": verb_antonyms, "adj": adj_antonyms},
        "synonyms": {"verb": verb_synonyms},
        "role_nouns": role_nouns(),
    }


def main() -> None:
    path = DATA / "wordnet.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["relations"] = relations()
    path.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in data["relations"].items()})


if __name__ == "__main__":
    main()
