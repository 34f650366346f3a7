"""The archive index (workers/sources/archive_index.py): build, incremental update, query, memory.

Synthetic but realistic articles: each is 4-8 paragraphs drawn (seeded) from the FNC-1
*training* news bodies in ../shared (real news prose, 1,683 bodies), under a headline taken from
one of them. Queries are 6-10 consecutive words of a sentence of a random indexed article, the
way a claim restates a sentence. One process, one thread, numpy single-threaded.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/archive_index.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from workers.sources.archive_index import ArchiveIndex  # noqa: E402

BODIES = ROOT.parent / "shared" / "datasets" / "nli" / "fnc1_train" / "train_bodies.csv"
QUERIES = 300
UPDATES = 200


def paragraphs() -> list[str]:
    csv.field_size_limit(10_000_000)
    with BODIES.open(encoding="utf-8") as handle:
        bodies = [row["articleBody"] for row in csv.DictReader(handle)]
    found = [p.strip() for body in bodies for p in re.split(r"\n\s*\n", body)]
    return [p for p in found if len(p) > 80]


Recipe = tuple[int, ...]  # pool paragraph numbers: the headline's source, then the body's


def compose(pool: list[str], recipe: Recipe) -> str:
    headline, *body = recipe
    return "\n\n".join([pool[headline].split(". ")[0][:90], *(pool[p] for p in body)])


def articles(pool: list[str], count: int, seed: int) -> Iterator[tuple[str, str, Recipe]]:
    """Yield (id, text, recipe); deterministic for a seed."""
    rng = random.Random(seed)
    for n in range(count):
        recipe = (rng.randrange(len(pool)), *rng.sample(range(len(pool)), rng.randint(4, 8)))
        yield f"art_{n:07d}", compose(pool, recipe), recipe


def query_from(paragraph: str, rng: random.Random) -> str:
    """6-10 consecutive words of one sentence of `paragraph`, the way a claim restates it."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if len(s.split()) >= 10]
    words = rng.choice(sentences).split() if sentences else paragraph.split()
    size = rng.randint(6, 10)
    start = rng.randint(0, max(0, len(words) - size))
    return " ".join(words[start : start + size])


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run(pool: list[str], size: int) -> dict[str, float]:
    gc.collect()
    before = rss_mib()
    index = ArchiveIndex()
    recipes: list[Recipe] = []  # a few ints per article (the texts are not kept)
    started = time.perf_counter()
    for article_id, text, chosen in articles(pool, size, seed=size):
        index.upsert(article_id, "r1", text)
        recipes.append(chosen)
    build_s = time.perf_counter() - started
    gc.collect()
    memory = rss_mib() - before

    # A hit is right when its passage contains the words the query was taken from (paragraphs
    # recur across synthetic articles and FNC-1 bodies, so several articles can be right).
    rng = random.Random(7)
    timings, found = [], 0
    for _ in range(QUERIES):
        query = query_from(pool[rng.choice(recipes[rng.randrange(size)][1:])], rng)
        started = time.perf_counter()
        hits = index.search(query, limit=3)
        timings.append((time.perf_counter() - started) * 1000)
        passages = (compose(pool, recipes[int(h.article_id[4:])])[h.start : h.end] for h in hits)
        found += any(query in passage for passage in passages)
    timings.sort()

    updates = list(articles(pool, UPDATES, seed=size + 1))
    started = time.perf_counter()
    for n, (_, text, _) in enumerate(updates):
        index.upsert(f"art_{rng.randrange(size):07d}", f"r2-{n}", text)
    update_ms = (time.perf_counter() - started) * 1000 / UPDATES
    started = time.perf_counter()
    for n in rng.sample(range(size), UPDATES):
        index.remove(f"art_{n:07d}")
    delete_ms = (time.perf_counter() - started) * 1000 / UPDATES
    return {
        "articles": size,
        "build_s": build_s,
        "memory_mib": memory,
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "hit_at_3": found / QUERIES,
        "update_ms": update_ms,
        "delete_ms": delete_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    pool = paragraphs()
    print(
        f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
        f"{len(pool)} source paragraphs, {QUERIES} queries, {UPDATES} updates/deletes"
    )
    columns = "build | index memory (RSS) | query p50 | query p95 | hit@3 | update | delete"
    print(f"| articles | {columns} |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        r = run(pool, size)
        print(
            f"| {r['articles']:,} | {r['build_s']:.1f} s | {r['memory_mib']:.0f} MiB | "
            f"{r['p50_ms']:.2f} ms | {r['p95_ms']:.2f} ms | {r['hit_at_3']:.2f} | "
            f"{r['update_ms']:.2f} ms | {r['delete_ms']:.2f} ms |",
            flush=True,
        )


if __name__ == "__main__":
    main()
