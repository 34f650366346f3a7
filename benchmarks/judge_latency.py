"""Learned-judge latency on one CPU core: ms per pair at batch 1, and batch-16 throughput.

    .venv/bin/python benchmarks/judge_latency.py [--pairs 96] [--repeats 3]

Pairs are real (evidence window, claim) pairs: WiCE dev gold evidence and FNC-1 dev best
windows, read from ../shared/datasets/eval (the same cut the training data gets). Tokenisation is
included, as at run time. onnxruntime runs with intra_op threads = 1. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.devpairs import fnc1_pairs, wice_pairs  # noqa: E402
from workers.engine.learned import LearnedJudge  # noqa: E402


def sample_pairs(n: int) -> list[tuple[str, str]]:
    wice = [(p.premise, p.hypothesis) for p in wice_pairs()]
    fnc = [(p.premise, p.hypothesis) for p, _ in fnc1_pairs()]
    mixed = [pair for two in zip(wice, fnc, strict=False) for pair in two]
    return mixed[:n]


def timed(judge: LearnedJudge, pairs: list[tuple[str, str]], batch: int, repeats: int) -> float:
    """Best-of-`repeats` seconds to score all pairs in calls of `batch` pairs."""
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for lo in range(0, len(pairs), batch):
            judge.predict(pairs[lo : lo + batch])
        runs.append(time.perf_counter() - t0)
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=96)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    pairs = sample_pairs(args.pairs)
    judge = LearnedJudge(threads=1, batch_size=16)
    judge.predict(pairs[:4])  # warm-up: first calls allocate
    tokens = [len(e.ids) for e in judge._tokenizer.encode_batch(pairs)]
    one = timed(judge, pairs, 1, args.repeats)
    sixteen = timed(judge, pairs, 16, args.repeats)
    print(json.dumps({
        "pairs": len(pairs),
        "mean_tokens": round(statistics.mean(tokens), 1),
        "batch1_ms_per_pair": round(1000 * one / len(pairs), 2),
        "batch16_ms_per_pair": round(1000 * sixteen / len(pairs), 2),
        "batch16_pairs_per_s": round(len(pairs) / sixteen, 1),
        "threads": 1,
        "cpu": platform.processor() or platform.machine(),
        "cpus_visible": os.cpu_count(),
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
