"""Engine latency on one CPU core: start-up, per-claim p50/p95, share of time in model inference.

Article: the first FNC-1 dev body of 5,500-6,500 characters (read in place from
../shared/datasets/eval), checked against that body's own headlines plus the demo-article
claims written for the tests; without the shared data, the demo article repeated to ~6,000
characters. "cold" is the first claim on the article (segmentation, analysis and passage
embeddings are computed then and cached per document); "warm" are the claims after it, the
service's case of many claims against one stored article.

Run: .venv/bin/python benchmarks/engine_latency.py [--judge symbolic|learned|combined ...]
"""

from __future__ import annotations

import os

# One core: set before numpy/onnxruntime are imported.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
THREADS = 1  # onnxruntime threads of the engine's models: the one-core figure
sys.path.insert(0, str(ROOT))
FNC = ROOT.parent / "shared" / "datasets" / "eval" / "fnc1_dev.jsonl.gz"
DEMO = ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"
DEMO_CLAIMS = [
    "France endorsed Rutte",
    "Italy endorsed Rutte",
    "Washington backs the Dutch prime minister",
    "Budapest objects to Rutte",
    "Szijjarto praised Rutte",
    "The US, UK, France and Germany all support Rutte",
]


def article() -> tuple[str, list[str]]:
    """Return (article text, claims to check against it)."""
    if FNC.is_file():
        with gzip.open(FNC, "rt", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        for row in rows:
            if 5500 <= len(row["document"]) <= 6500:
                heads = [r["claim"] for r in rows if r["body_id"] == row["body_id"]]
                return row["document"], heads + DEMO_CLAIMS
    text = DEMO.read_text(encoding="utf-8")
    return (text + "\n\n") * 3, DEMO_CLAIMS


def startup(judge: str) -> float:
    """Seconds for a fresh process to import the engine, build it and check one claim."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from workers.engine import Document, Engine\n"
        f"Engine(judge={judge!r}, threads=1).check('France endorsed Rutte', [Document('d', 'France endorsed Rutte.')])\n"  # noqa: E501
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


class Timed:
    """Wrap a model object and add the time spent in one of its methods to `seconds`."""

    def __init__(self, inner: object, method: str) -> None:
        self._inner, self._method, self.seconds = inner, method, 0.0

    def __getattr__(self, name: str) -> object:
        attr = getattr(self._inner, name)
        if name != self._method:
            return attr

        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def measure(
    judge: str,
    text: str,
    claims: list[str],
    repeats: int,
    dense: bool | None = None,
    relations: bool = True,
) -> dict[str, object]:
    from workers.engine import Document, Engine, pipeline
    from workers.engine.dense import embedder

    engine = Engine(judge=judge, dense=dense, threads=THREADS, relations=relations)
    models: list[Timed] = []
    if engine.dense:
        timed_embedder = Timed(embedder(THREADS), "embed")
        pipeline.embedder = lambda threads=None: timed_embedder  # looked up on each call
        models.append(timed_embedder)
    if judge != "symbolic":
        timed_judge = Timed(pipeline.learned_judge(THREADS), "predict")
        pipeline.learned_judge = lambda threads=None: timed_judge
        models.append(timed_judge)
    engine.check("warm-up", [Document("warm", "Models load here, not in the timings.")])
    for model in models:
        model.seconds = 0.0
    # A text of its own per judge: segmentation and embeddings are cached per process by text,
    # so without it the second judge's "cold" claim would find the first judge's work done.
    document = Document("bench", f"{text}\n\n(benchmark run for the {judge} judge)")
    started = time.perf_counter()
    engine.check(claims[0], [document])
    cold = (time.perf_counter() - started) * 1000
    warm = []
    total_started = time.perf_counter()
    for model in models:
        model.seconds = 0.0
    for _ in range(repeats):
        for claim in claims:
            started = time.perf_counter()
            engine.check(claim, [document])
            warm.append((time.perf_counter() - started) * 1000)
    total = time.perf_counter() - total_started
    inference = sum(m.seconds for m in models)
    warm.sort()
    return {
        "judge": judge,
        "dense": engine.dense,
        "relations": engine.relations,
        "claims": len(warm),
        "cold_first_claim_ms": round(cold, 1),
        "p50_ms": round(statistics.median(warm), 1),
        "p95_ms": round(warm[int(0.95 * (len(warm) - 1))], 1),
        "share_outside_inference": round(1 - inference / total, 3) if total else None,
    }


def main() -> int:
    from workers.engine.judges import JUDGES
    from workers.engine.pipeline import JUDGE_MODEL_DIR

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--judge", action="append", choices=JUDGES)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--dense", action="store_true", help="hybrid retrieval for every judge")
    p.add_argument(
        "--no-relations", action="store_true", help="without the relation layer (parser)"
    )
    args = p.parse_args()
    have_model = any(JUDGE_MODEL_DIR.glob("*.onnx"))
    judges = args.judge or [j for j in JUDGES if j == "symbolic" or have_model]
    text, claims = article()
    print(
        f"# {platform.processor() or platform.machine()}, 1 thread, article {len(text)} chars, "
        f"{len(claims)} claims x {args.repeats}"
    )
    for judge in judges:
        result = measure(
            judge,
            text,
            claims,
            args.repeats,
            True if args.dense else None,
            relations=not args.no_relations,
        )
        result["startup_s"] = round(startup(judge), 2)
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
