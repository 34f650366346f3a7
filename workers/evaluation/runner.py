"""Run a system (an engine judge or a baseline) over records, in one process or several.

Each worker process builds its checker once; a prediction keeps only what scoring needs, so the
parent does not receive whole verdicts back over the pipe. `evaluate` is the whole of
`factdesk eval` minus the printing: read files, run, score; training and scripts call it too.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workers.evaluation import records as recordio
from workers.evaluation.records import Record
from workers.evaluation.scoring import Prediction, is_correct, score
from workers.evaluation.systems import Checker, System, build, describe

CHUNK = 8  # records per message to a worker: small enough for a smooth progress bar

_checker: Checker | None = None


def _init(system: System) -> None:
    global _checker
    _checker = build(system)


def predict(record: Record, engine: Checker | None = None) -> Prediction:
    """Check one record's claim against its document and time it."""
    checker = engine or _checker
    assert checker is not None, "worker used before _init"
    started = time.perf_counter()
    verdict = checker.check(record.claim, [record.document])
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
    system: System | str,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Prediction]:
    """Yield a prediction per record, in input order. A string names an engine judge."""
    if isinstance(system, str):
        system = System(system)
    if jobs <= 1:
        _init(system)
        for record in records:
            yield predict(record)
            if progress:
                progress(1)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_init, initargs=(system,)) as pool:
        for prediction in pool.imap(predict, records, chunksize=CHUNK):
            yield prediction
            if progress:
                progress(1)


@dataclass
class Evaluation:
    """Metrics per dataset, what was scored, and each dataset's (confidence, correct) pairs."""

    system: dict[str, object]
    datasets: dict[str, dict] = field(default_factory=dict)
    calibration: dict[str, tuple[list[float], list[bool]]] = field(default_factory=dict)


def evaluate(
    paths: Sequence[str | Path],
    system: System,
    limit: int | None = None,
    jobs: int = 1,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> Evaluation:
    """Score `system` on each file (or contrast-set directory) of `paths`.

    `progress(name, total)` returns the callback advanced once per record (None: silent).
    :raise recordio.RecordError: when a file holds an invalid record.
    """
    result = Evaluation(describe(system, build(system)))
    for path in paths:
        name = recordio.dataset_name(path)
        recs = list(recordio.read(path, limit))
        advance = progress(name, len(recs)) if progress else None
        started = time.perf_counter()
        preds = list(run(recs, system, jobs, advance))
        wall = time.perf_counter() - started
        result.datasets[name] = score(recs, preds, wall)
        labelled = [(r, p) for r, p in zip(recs, preds, strict=True) if r.label]
        result.calibration[name] = (
            [p.confidence for _, p in labelled],
            [is_correct(r.label, p.label) for r, p in labelled],
        )
    return result
