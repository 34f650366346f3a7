"""API latency on the demo article: POST /v1/checks to verdict (cache off), cached answers.

Starts its own stack (embedded Redis, one `factdesk worker` with concurrency 1, two
`factdesk serve` processes: one with the verdict cache disabled, one with it on) and sends
requests one at a time, so the figures are latencies, not throughput.

    .venv/bin/python benchmarks/api_latency.py [--checks 100]
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

from keyspace.articles import revision_of  # noqa: E402
from stack.embedded_redis import EmbeddedRedis, free_port  # noqa: E402
from stack.processes import launch_api, launch_worker  # noqa: E402
from workers.engine import Document, check  # noqa: E402

DEMO = ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"
CLAIMS = (
    "France endorsed Rutte",
    "Italy endorsed Rutte",
    "Hungary opposed Rutte's candidacy",
    "The United States endorsed Rutte for NATO Secretary-General",
    "Klaus Iohannis is the President of Romania",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<44} n={len(ms):<4} p50={statistics.median(ms):7.1f} ms  "
        f"p90={percentile(ms, 0.9):7.1f} ms  mean={statistics.fmean(ms):7.1f} ms"
    )


def timed(call: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()  # type: ignore[operator]
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=int, default=100)
    n = parser.parse_args().checks
    text = DEMO.read_text(encoding="utf-8")

    document = Document(id="demo", text=text, revision=revision_of(text))
    check(CLAIMS[0], [document])  # load once, as a worker does
    engine = [timed(lambda c=c: check(c, [document]))[0] for c in (CLAIMS * n)[:n]]

    with tempfile.TemporaryDirectory() as tmp:
        redis = EmbeddedRedis(Path(tmp) / "redis", free_port()).start()
        started = []
        try:
            started.append(launch_worker(redis.url, Path(tmp)))
            uncached = launch_api(redis.url, Path(tmp), cache_ttl_s=0)
            cached = launch_api(redis.url, Path(tmp))
            started += [uncached, cached]
            http = requests.Session()
            article = http.post(f"{uncached.url}/v1/articles", json={"text": text}).json()

            def post(base: str, claim: str) -> dict:
                response = http.post(
                    f"{base}/v1/checks?wait=30",
                    json={"claim": claim, "article_id": article["id"]},
                )
                body = response.json()
                assert body["status"] == "done", body
                return response

            post(uncached.url, CLAIMS[0])  # warm the worker's engine
            to_verdict, ids = [], []
            for i in range(n):
                seconds, response = timed(lambda i=i: post(uncached.url, CLAIMS[i % len(CLAIMS)]))
                assert response.headers["X-Cache"] == "miss"
                to_verdict.append(seconds)
                ids.append(response.json()["id"])
            get_done = [
                timed(lambda i=i: http.get(f"{cached.url}/v1/checks/{i}").raise_for_status())[0]
                for i in ids
            ]
            hits = []
            for i in range(n):
                seconds, response = timed(lambda i=i: post(cached.url, CLAIMS[i % len(CLAIMS)]))
                assert response.headers["X-Cache"] == "hit"
                hits.append(seconds)
        finally:
            for process in started:
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
    print(f"hardware: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}")
    print(f"article: {DEMO.name} ({len(text)} chars); {len(CLAIMS)} claims cycled; sequential")
    print(summary("engine in process (per claim)", engine))
    print(summary("POST /v1/checks?wait -> verdict, no cache", to_verdict))
    print(summary("GET /v1/checks/{id} (done)", get_done))
    print(summary("POST /v1/checks, cache hit (X-Cache: hit)", hits))
    overhead = statistics.median(to_verdict) / statistics.median(engine)
    print(f"service p50 / engine p50 = {overhead:.1f}x")
    print("command: .venv/bin/python benchmarks/api_latency.py --checks", n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
