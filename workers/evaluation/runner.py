"""Run the engine over records, in one process or several (`--jobs`).

Each worker process builds its engine once; a prediction keeps only what scoring needs, so the
parent does not receive whole verdicts back over the pipe.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from workers.engine import Engine
from workers.evaluation.records import Record

CHUNK = 8  # records per message to a worker: small enough for a smooth progress bar


@dataclass(frozen=True)
class Prediction:
    id: str
    label: str
    confidence: float
    cited: bool  # the verdict quotes any evidence (FNC: discuss vs unrelated)
    sentences: tuple[int, ...]  # dataset sentence indices of the evidence, best first
    latency_ms: float
    details: dict


_engine: Engine | None = None


def _init(judge: str) -> None:
    global _engine
    _engine = Engine(judge=judge)


def predict(record: Record, engine: Engine | None = None) -> Prediction:
    """Check one record's claim against its document and time it."""
    engine = engine or _engine
    assert engine is not None, "worker used before _init"
    started = time.perf_counter()
    verdict = engine.check(record.claim, [record.document])
    elapsed = (time.perf_counter() - started) * 1000
    sentences: list[int] = []
    for ev in verdict.evidence:
        index = record.sentence_of(ev.start)
        if index is not None and index not in sentences:
            sentences.append(index)
    return Prediction(
        record.id,
        verdict.label,
        verdict.confidence,
        bool(verdict.evidence),
        tuple(sentences),
        elapsed,
        dict(verdict.details),
    )


def run(
    records: Iterable[Record],
    judge: str,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Prediction]:
    """Yield a prediction per record, in input order."""
    if jobs <= 1:
        _init(judge)
        for record in records:
            yield predict(record)
            if progress:
                progress(1)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_init, initargs=(judge,)) as pool:
        for prediction in pool.imap(predict, records, chunksize=CHUNK):
            yield prediction
            if progress:
                progress(1)
