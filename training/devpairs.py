"""(evidence, claim) pairs built from the dev splits, for model selection and reporting only.

Never trained on. WiCE pairs use a gold evidence set; FNC-1 pairs use the body's best-overlap
window, the same cut the training data gets. Labels follow the judge's column order; WiCE's
NOT_SUPPORTED (partially or not supported) is "not supports" (3): only P(supports) is scored there.
"""

from __future__ import annotations

import json
from pathlib import Path

from training.corpus import NEUTRAL, NOT_SUPPORTS, REFUTES, SHARED, SUPPORTS, Pair
from training.textwin import best_window, split_sentences

WICE_DEV = SHARED / "eval" / "wice_dev.jsonl"
FNC1_DEV_SMALL = SHARED / "eval" / "fnc1_dev_small.jsonl"
STANCE_LABELS = {"agree": SUPPORTS, "disagree": REFUTES, "discuss": NEUTRAL, "unrelated": NEUTRAL}


def wice_pairs(path: Path = WICE_DEV) -> list[Pair]:
    pairs = []
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    for r in records:
        sentences = r["sentences"]
        if r.get("evidence"):
            evidence = " ".join(sentences[i] for i in sorted(set(r["evidence"][0])))
        else:
            evidence = best_window(sentences, r["claim"])
        label = SUPPORTS if r["label"] == "SUPPORTED" else NOT_SUPPORTS
        pairs.append(Pair(evidence, r["claim"], label, "wice_dev"))
    return pairs


def fnc1_pairs(path: Path = FNC1_DEV_SMALL) -> list[tuple[Pair, str]]:
    """(pair, stance): the stance tells discuss from unrelated, which share the neutral label."""
    out = []
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    for r in records:
        window = best_window(split_sentences(r["document"]), r["claim"])
        pair = Pair(window, r["claim"], STANCE_LABELS[r["stance"]], "fnc1_dev_small")
        out.append((pair, r["stance"]))
    return out
