"""The verification engine: `check(claim, documents) -> Verdict`, pure (no Redis, no HTTP).

`check` uses one process-wide `Engine`, built on first call; build your own `Engine(judge=...)`
to choose the judge. The default judge is `pipeline.default_judge()`: the one that measured best
on the untouched dev files within the speed target (`pipeline.DEFAULT_JUDGE`, now the symbolic
judge; docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from workers.engine.pipeline import ENGINE_VERSION, Engine
from workers.engine.types import (
    LABELS,
    STANCES,
    Document,
    Evidence,
    Label,
    PartVerdict,
    Stance,
    Verdict,
)

__all__ = [
    "ENGINE_VERSION",
    "LABELS",
    "STANCES",
    "Document",
    "Engine",
    "Evidence",
    "Label",
    "PartVerdict",
    "Stance",
    "Verdict",
    "check",
    "default_engine",
]

_default: Engine | None = None


def default_engine() -> Engine:
    """Return the process-wide engine, building it on first use."""
    global _default
    if _default is None:
        _default = Engine()
    return _default


def check(claim: str, documents: Sequence[Document]) -> Verdict:
    """Return the verdict on `claim` against `documents` with the default engine."""
    return default_engine().check(claim, documents)
