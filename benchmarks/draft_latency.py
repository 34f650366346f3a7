"""Whole-draft checking: time to the SSE `done`, first post vs. re-post of an edited draft.

Starts its own stack (embedded Redis, one `factdesk worker` with concurrency 1, one
`factdesk serve`) and, per round, posts a fresh 10-sentence draft about the demo article
(8 check-worthy claims), reads `GET /v1/drafts/{id}/events` until `done`, then re-posts it
with one sentence edited: only that claim should be checked again (verdict cache).
Also times `find_checkworthy` alone on the draft.

    .venv/bin/python benchmarks/draft_latency.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from stack.embedded_redis import EmbeddedRedis, free_port  # noqa: E402
from stack.processes import launch_api, launch_worker  # noqa: E402
from workers.engine.checkworthy import find_checkworthy  # noqa: E402

DEMO = ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"
SENTENCES = (
    "The United States endorsed Mark Rutte for NATO Secretary-General.",
    "Hungary opposed Rutte's nomination.",
    "Klaus Iohannis announced his candidacy in a video statement on Tuesday.",
    "I think this race will be fascinating.",
    "France and Germany endorsed Rutte.",
    "John Kirby said Rutte would be an excellent Secretary-General.",
    "Will anyone else enter the race?",
    "Peter Szijjarto is Hungary's foreign minister.",
    "Rutte is the caretaker prime minister of the Netherlands.",
    "Iohannis has a dog named Rex.",
)


def draft(round_: int, edited: bool = False) -> str:
    sentences = list(SENTENCES)
    # A round number makes every round's claims new to the verdict cache.
    sentences = [
        s.replace(".", f" (round {round_}).", 1) if i != 3 and i != 6 else s
        for i, s in enumerate(sentences)
    ]
    if edited:
        sentences[1] = sentences[1].replace("opposed", "rejected")
    return " ".join(sentences)


def until_done(http: requests.Session, base: str, text: str, article_id: str) -> tuple[float, int]:
    started = time.perf_counter()
    posted = http.post(f"{base}/v1/drafts", json={"text": text, "article_id": article_id}).json()
    pending = sum(1 for a in posted["annotations"] if a["verdict"] is None)
    with http.get(f"{base}/v1/drafts/{posted['id']}/events", stream=True) as stream:
        for line in stream.iter_lines(decode_unicode=True):
            if line == "event: done":
                break
    return time.perf_counter() - started, pending


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    claims = len(find_checkworthy(draft(0)))

    started = time.perf_counter()
    for _ in range(200):
        find_checkworthy(draft(0))
    scoring_ms = (time.perf_counter() - started) / 200 * 1000

    with tempfile.TemporaryDirectory() as tmp:
        redis = EmbeddedRedis(Path(tmp) / "redis", free_port()).start()
        started_processes = []
        try:
            started_processes.append(launch_worker(redis.url, Path(tmp)))
            api = launch_api(redis.url, Path(tmp))
            started_processes.append(api)
            http = requests.Session()
            text = DEMO.read_text(encoding="utf-8")
            article = http.post(f"{api.url}/v1/articles", json={"text": text}).json()
            until_done(http, api.url, draft(-1), article["id"])  # warm the worker's engine
            first, repost, rechecked = [], [], []
            for r in range(rounds):
                seconds, _ = until_done(http, api.url, draft(r), article["id"])
                first.append(seconds)
                seconds, pending = until_done(http, api.url, draft(r, edited=True), article["id"])
                repost.append(seconds)
                rechecked.append(pending)
        finally:
            for process in started_processes:
                process.stop()
            redis.stop()

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    p50_first, p50_repost = statistics.median(first) * 1000, statistics.median(repost) * 1000
    print(f"hardware: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}")
    print(f"draft: {len(SENTENCES)} sentences, {claims} check-worthy; {rounds} rounds; worker ×1")
    print(f"find_checkworthy on the draft: {scoring_ms:.2f} ms")
    print(f"first post -> SSE done:  p50 {p50_first:7.1f} ms  ({p50_first / claims:.1f} ms/claim)")
    print(
        f"edited re-post -> done:  p50 {p50_repost:7.1f} ms  "
        f"(claims re-checked: {sorted(set(rechecked))})"
    )
    print(f"first / re-post = {p50_first / p50_repost:.1f}x")
    print(f"command: .venv/bin/python benchmarks/draft_latency.py --rounds {rounds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
