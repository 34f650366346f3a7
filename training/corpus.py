"""Real labelled training pairs, read in place from `../shared/datasets` and made trainable.

Every pair is (premise, hypothesis, label, source). Labels use the judge's order, so the arrays a
trainer builds line up with `LearnedJudge.predict` columns: 0 supports, 1 refutes, 2 neutral, and
3 for the 2-way sources' "not entailment" (trained with a binary loss, P(supports) vs the rest).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from training.textwin import shorten

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
ALL_PAIRS = SHARED / "nli" / "all_pairs.jsonl.gz"
POLITIHOP_TRAIN = SHARED / "eval" / "politihop_train.jsonl"

SUPPORTS, REFUTES, NEUTRAL, NOT_SUPPORTS = 0, 1, 2, 3
LABEL_IDS = {
    "entailment": SUPPORTS,
    "contradiction": REFUTES,
    "neutral": NEUTRAL,
    "not_entailment": NOT_SUPPORTS,
}

# Sources whose licence allows use in a commercial product (see each PROVENANCE.md): the
# "permissive" model variant trains on these alone. FNC-1 and PolitiHop carry no licence, so the
# synthetic pairs built from their text are excluded from it as well.
PERMISSIVE_SOURCES = frozenset(
    {
        "mnli", "snli", "breaking_nli", "check_covid", "conjnli", "contract_nli",
        "fever_nli_binary", "fever_symmetric", "scitail", "hans", "taxinli",
    }
)  # fmt: skip

FNC1_UNRELATED_KEEP = 6000  # of 36,254 random pairings, which overlap alone already spots
# HANS is 60k pairs from a few syntactic templates: in full it would outweigh all news data.
SOURCE_CAPS = {"hans": 8000}
VALIDATION_SHARE = 0.02


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: int
    source: str


def read_all_pairs(path: Path = ALL_PAIRS) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def real_pairs(rows: Iterable[dict], seed: int = 13) -> list[Pair]:
    """Filter, down-sample and shorten the rows of `all_pairs.jsonl.gz`."""
    rng = random.Random(seed)
    kept: list[Pair] = []
    unrelated: list[Pair] = []
    for r in rows:
        if r["dup_of_earlier"] or r["label"] not in LABEL_IDS:
            continue
        pair = Pair(
            premise=shorten(r["premise"], r["hypothesis"]),
            hypothesis=r["hypothesis"],
            label=LABEL_IDS[r["label"]],
            source=r["source"],
        )
        if r["source"] == "fnc1_train" and r["orig_label"] == "unrelated":
            unrelated.append(pair)
        else:
            kept.append(pair)
    rng.shuffle(unrelated)
    rng.shuffle(kept)
    counts: dict[str, int] = {}
    capped = []
    for pair in kept:
        counts[pair.source] = counts.get(pair.source, 0) + 1
        if counts[pair.source] <= SOURCE_CAPS.get(pair.source, len(kept)):
            capped.append(pair)
    return capped + unrelated[:FNC1_UNRELATED_KEEP]


def politihop_pairs(path: Path = POLITIHOP_TRAIN) -> list[Pair]:
    """PolitiHop *train* claims against their gold evidence chain (the ruling's sentences)."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            label = {"SUPPORTED": SUPPORTS, "REFUTED": REFUTES}.get(r["label"])
            if label is None:
                continue
            for chain in r.get("evidence") or []:
                evidence = " ".join(r["sentences"][i] for i in sorted(set(chain)))
                pairs.append(Pair(shorten(evidence, r["claim"]), r["claim"], label, "politihop"))
    return pairs


def is_validation(pair: Pair) -> bool:
    """A stable ~2 % hold-out of the 3-way pairs, decided by content so reruns agree."""
    if pair.label == NOT_SUPPORTS:
        return False
    digest = hashlib.sha1(f"{pair.premise}\x00{pair.hypothesis}".encode()).digest()
    return int.from_bytes(digest[:4], "big") < VALIDATION_SHARE * 2**32


def write_jsonl_xz(pairs: Iterable[Pair], path: Path, extra: dict | None = None) -> int:
    import lzma

    n = 0
    with lzma.open(path, "wt", encoding="utf-8", preset=9) as f:
        for p in pairs:
            record = {"p": p.premise, "h": p.hypothesis, "y": p.label, "s": p.source}
            f.write(json.dumps({**record, **(extra or {})}, ensure_ascii=False) + "\n")
            n += 1
    return n
