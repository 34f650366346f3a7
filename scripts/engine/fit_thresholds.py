"""Fit one judge's thresholds and calibration on TRAINING data only; write thresholds.json.

The engine's per-part `Signals` come from `training/collect.py` (one engine run over the records
of `training/fitdata.py`: PolitiHop train, FNC-1 train, AVeriTeC train and other claim-vs-evidence
sources, the contrast-set train half). Thresholds are chosen by coordinate ascent on
`training.fitscore.objective` (each source's headline metric, weighted); the calibration maps are
fitted on the same rows. No dev file is read here (issue #9 §1: the dev files only measure).

Run: OMP_NUM_THREADS=1 FACTDESK_ENGINE_THREADS=1 \
       .venv/bin/python -m training.collect --judge symbolic
     .venv/bin/python scripts/engine/fit_thresholds.py --judge symbolic
     (model judges: collect with --judge combined; its rows carry every judge's support/refute)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from training import fitscore  # noqa: E402
from training.collect import OUT, load  # noqa: E402
from workers.engine.aggregate import THRESHOLDS_FILE, Signals, Thresholds, decide  # noqa: E402
from workers.engine.calibration import isotonic  # noqa: E402
from workers.evaluation.scoring import is_correct  # noqa: E402

GRID = {
    "supports": np.arange(0.30, 1.00, 0.02),
    "coverage": np.arange(0.50, 1.02, 0.02),
    "refutes": np.arange(0.20, 1.00, 0.02),
    "relevant": np.arange(0.02, 0.90, 0.02),
    "hedging": np.arange(0.0, 1.01, 0.1),
    "debunking": np.arange(0.2, 1.02, 0.1),
}


def as_judge(rows: Sequence[dict], judge: str) -> list[dict]:
    """Put `judge`'s own support/refute into each part's signals (rows of a combined run carry
    every judge's in `components`)."""
    out = []
    for row in rows:
        signals = []
        for s, c in zip(row["signals"], row.get("components") or [{}] * 99, strict=False):
            support, refute = c.get(judge, (s["support"], s["refute"]))
            signals.append({**s, "support": support, "refute": refute})
        out.append({**row, "signals": signals})
    return out


def predict(rows: Sequence[Mapping], t: Thresholds) -> tuple[dict[int, tuple[str, str]], list]:
    """Re-decide every record from its cached signals, as `aggregate.combine` does:
    ({row: (label, FNC stance)}, raw confidences)."""
    out, raw = {}, []
    for i, row in enumerate(rows):
        parts = [decide(Signals(**s), t) for s in row["signals"]] or [("NOT_ENOUGH_INFO", 1.0)]
        names = [p for p, _ in parts]
        if "REFUTED" in names:
            label, conf = "REFUTED", max(c for p, c in parts if p == "REFUTED")
        elif all(p == "SUPPORTED" for p in names):
            label, conf = "SUPPORTED", min(c for _, c in parts)
        else:
            label = "NOT_ENOUGH_INFO"
            conf = min(c for p, c in parts if p == label)
        cited = label != "NOT_ENOUGH_INFO" or any(
            s["relevance"] >= t.relevant for s in row["signals"]
        )
        stance = {"SUPPORTED": "agree", "REFUTED": "disagree"}.get(
            label, "discuss" if cited else "unrelated"
        )
        out[i] = (label, stance)
        raw.append(conf)
    return out, raw


def score(rows: Sequence[Mapping], t: Thresholds) -> float:
    return fitscore.objective(fitscore.source_scores(rows, predict(rows, t)[0]))


def fit(rows: Sequence[Mapping], start: Thresholds, rounds: int = 3) -> Thresholds:
    best, best_score = start, score(rows, start)
    for _ in range(rounds):
        for key, grid in GRID.items():
            for value in grid:
                candidate = replace(best, **{key: round(float(value), 3)})
                value_score = score(rows, candidate)
                if value_score > best_score + 1e-9:
                    best, best_score = candidate, value_score
        print(f"round: {best} -> {best_score:.4f}", file=sys.stderr)
    return best


def calibrate(rows: Sequence[Mapping], t: Thresholds) -> dict[str, list]:
    """Per-label isotonic maps from raw confidence to accuracy, each source weighted by its
    `fitscore.SOURCE_WEIGHT` (and each record by its own weight), scaled to average 1 a record
    so the add-one smoothing acts like counts."""
    predicted, raw = predict(rows, t)
    per_source: dict[str, float] = {}
    for row in rows:
        per_source[row["dataset"]] = per_source.get(row["dataset"], 0.0) + row.get("weight", 1.0)
    points: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for i, row in enumerate(rows):
        label = predicted[i][0]
        share = fitscore.SOURCE_WEIGHT.get(row["dataset"], 1.0) / per_source[row["dataset"]]
        xs, ys, ws = points.setdefault(label, ([], [], []))
        xs.append(raw[i])
        ys.append(float(is_correct(row["label"], label)))
        ws.append(share * row.get("weight", 1.0))
    out = {}
    for label, (xs, ys, ws) in sorted(points.items()):
        scale = len(ws) / sum(ws)
        out[label] = isotonic(xs, ys, [w * scale for w in ws], smoothing=1.0)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--judge", default="symbolic", choices=("symbolic", "learned", "combined"))
    p.add_argument(
        "--rows", type=Path, help="collected rows (default training/out/fit_<run>.jsonl)"
    )
    p.add_argument("--out", type=Path, default=THRESHOLDS_FILE, help="file to update")
    p.add_argument(
        "--sources",
        choices=("all", "documents"),
        default="all",
        help="fit on every training source, or on fitscore.DOCUMENT_SOURCES alone",
    )
    # Dev rows (training.collect --dev): scored ONLY TO REPORT and to choose between the two
    # --sources variants; never fitted on.
    p.add_argument("--dev-rows", type=Path, help="print the fitted rule's dev metrics")
    args = p.parse_args()
    run = "symbolic" if args.judge == "symbolic" else "combined"
    rows = as_judge(load(args.rows or OUT / f"fit_{run}.jsonl"), args.judge)
    if args.sources == "documents":
        rows = [r for r in rows if r["dataset"] in fitscore.DOCUMENT_SOURCES]
    # Coordinate ascent finds local optima: two fixed starts (never the shipped values, which
    # may come from an earlier fit on other data).
    starts = [Thresholds(), Thresholds(0.5, 0.8, 0.5, 0.5, 0.5, 0.3)]
    fitted = max((fit(rows, s) for s in starts), key=lambda t: score(rows, t))
    print(json.dumps(fitscore.source_scores(rows, predict(rows, fitted)[0]), indent=1))
    table = json.loads(args.out.read_text()) if args.out.is_file() else {}
    table[args.judge] = {
        "thresholds": fitted.as_dict(),
        "calibration": calibrate(rows, fitted),
        "fitted_on": sorted({r["dataset"] for r in rows}),
    }
    if args.dev_rows:
        dev = as_judge(load(args.dev_rows), args.judge)
        print(
            "dev (report only):", json.dumps(fitscore.source_scores(dev, predict(dev, fitted)[0]))
        )
    text = json.dumps(table, indent=1, sort_keys=True)
    # One knot per line keeps the file readable and its diffs small.
    text = re.sub(r"\[\s+(-?[\d.e-]+),\s+(-?[\d.e-]+)\s+\]", r"[\1, \2]", text)
    args.out.write_text(text + "\n")
    print(f"wrote {args.out} [{args.judge}]: {fitted.as_dict()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
