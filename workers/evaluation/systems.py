"""What an evaluation scores: an engine judge, with some layers switched off, or a baseline.

A `System` is a small picklable description, so `--jobs` worker processes can each build their
own checker from it; `build` turns it into anything with `check(claim, documents) -> Verdict`.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from workers.engine import Document, Engine, Verdict
from workers.engine.judges import JUDGES
from workers.evaluation import baselines

# Engine layers an ablation row can switch off: the `Engine` argument set to False for each.
LAYERS = {
    "dense": "dense",  # hybrid retrieval: BM25 alone when off
    "head": "head",  # the learned head: the judge's thresholds decide when off
    "decompose": "decompose",  # claims judged whole instead of part by part
    "relations": "relations",  # relation-aware checking (workers/engine/frames.py)
}


def available_layers() -> tuple[str, ...]:
    """The layers this checkout's `Engine` can switch off (`relations` arrives with frames)."""
    accepted = inspect.signature(Engine).parameters
    return tuple(name for name, arg in LAYERS.items() if arg in accepted)


class Checker(Protocol):
    @property
    def version(self) -> str: ...

    def check(self, claim: str, documents: Sequence[Document]) -> Verdict: ...


@dataclass(frozen=True)
class System:
    """`judge`: an engine judge (`JUDGES`) or a baseline (`baselines.BASELINES`); `without`:
    engine layers switched off; `threads`: onnxruntime threads (None: the settings' value)."""

    judge: str
    without: tuple[str, ...] = ()
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.judge not in JUDGES + baselines.BASELINES:
            raise ValueError(f"unknown judge or baseline {self.judge!r}")
        if self.without and self.judge not in JUDGES:
            raise ValueError("layers can be switched off only in the engine, not in a baseline")
        unknown = set(self.without) - set(available_layers())
        if unknown:
            raise ValueError(f"unknown engine layer(s): {', '.join(sorted(unknown))}")

    @property
    def is_baseline(self) -> bool:
        return self.judge in baselines.BASELINES

    @property
    def name(self) -> str:
        """A row name: `combined`, `combined -dense -head`, `baseline: overlap`."""
        if self.is_baseline:
            return f"baseline: {self.judge}"
        return " ".join([self.judge, *(f"-{layer}" for layer in self.without)])


def build(system: System) -> Checker:
    """The checker a system describes."""
    threads = system.threads if system.threads is not None else _settings_threads()
    if system.is_baseline:
        return baselines.make(system.judge, threads)
    options: dict[str, Any] = {LAYERS[layer]: False for layer in system.without}
    return Engine(judge=system.judge, threads=threads, **options)


def describe(system: System, checker: object) -> dict[str, object]:
    """What the JSON output and the table record about the system that was scored."""
    from workers.engine import ENGINE_VERSION

    info: dict[str, object] = {
        "version": ENGINE_VERSION,
        "system": system.name,
        "judge": system.judge,
        "without": list(system.without),
        "engine": getattr(checker, "version", ""),
    }
    if isinstance(checker, Engine):
        info["thresholds"] = checker.thresholds.as_dict()
        info["decider"] = "head" if checker.head is not None else "rules"
    else:
        info.update(getattr(checker, "info", dict)())
    return info


def _settings_threads() -> int | None:
    """FACTDESK_ENGINE_THREADS, read the one place it is read: `settings.py`."""
    from settings import load_settings

    return load_settings().engine_threads or None
