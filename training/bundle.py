"""Reading the training bundle that `training.prepare` writes (xz JSONL), without torch."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

from training.corpus import PERMISSIVE_SOURCES

# The CPU route sees well under one epoch, so it trains on what is closest to the dev sets
# (news, fact-checking, FEVER/Wikipedia claims, MNLI/ANLI) and leaves out caption- and
# template-built sets (SNLI, MPE, SICK, HANS, Breaking NLI) and small specialised ones.
NEWS_SOURCES = frozenset(
    {
        "fnc1_train", "averitec", "covidfact", "check_covid", "healthver", "climate_fever",
        "fever_nli_binary", "fever_symmetric", "mnli", "anli", "xnli_en", "rte_glue", "qags",
        "summedits_news", "politihop", "scitail", "control",
    }
)  # fmt: skip


def keep(source: str, variant: str) -> bool:
    """Whether a pair from `source` belongs to a model variant's training data."""
    if variant == "permissive":
        return source in PERMISSIVE_SOURCES
    if variant == "nosynth":
        return not source.startswith("syn_")
    if variant == "news":
        return source in NEWS_SOURCES or source.startswith("syn_")
    return True


def read_pairs(path: Path, variant: str = "full", limit: int | None = None) -> list[dict]:
    """Records {p: premise, h: hypothesis, y: label id, s: source, ...} of one variant."""
    out = []
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if keep(r["s"], variant):
                out.append(r)
                if limit and len(out) >= limit:
                    break
    return out


def every_nth(rows: list[dict], limit: int | None) -> list[dict]:
    """An evenly spread subset of about `limit` rows (all of them without a limit)."""
    return rows[:: max(1, len(rows) // limit)] if limit else rows
