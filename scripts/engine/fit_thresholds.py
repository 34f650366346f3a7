"""Fit one judge's thresholds and calibration on the dev/train splits; write thresholds.json.

The engine runs once over the dev files, keeping each claim part's `Signals`; thresholds are then
chosen by coordinate ascent on the mean of each file's headline metric (seed: acc3, WiCE and
PolitiHop: bacc_support, FNC-1: fnc_score_rel on the natural class mix). Only dev and train
splits are used: held-out splits are never read here.

Run: .venv/bin/python scripts/engine/fit_thresholds.py --judge symbolic [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from workers.engine.aggregate import THRESHOLDS_FILE, Signals, Thresholds, decide  # noqa: E402
from workers.engine.calibration import isotonic  # noqa: E402
from workers.evaluation import metrics  # noqa: E402
from workers.evaluation.records import dataset_name, read  # noqa: E402
from workers.evaluation.runner import run  # noqa: E402
from workers.evaluation.scoring import is_correct  # noqa: E402

EVAL = ROOT.parent / "shared" / "datasets" / "eval"
DEV_FILES = ("seed_dev.jsonl", "wice_dev.jsonl", "politihop_train.jsonl", "fnc1_dev.jsonl.gz")
GRID = {
    "supports": np.arange(0.30, 1.00, 0.02),
    "coverage": np.arange(0.50, 1.02, 0.02),
    "refutes": np.arange(0.20, 1.00, 0.02),
    "relevant": np.arange(0.02, 0.90, 0.02),
    "hedging": np.arange(0.0, 1.01, 0.1),
    "debunking": np.arange(0.2, 1.02, 0.1),
}


def collect(judge: str, jobs: int, limit: int | None) -> dict[str, list[dict]]:
    """Run the engine over each dev file; keep gold labels and per-part signals."""
    out: dict[str, list[dict]] = {}
    for name in DEV_FILES:
        records = list(read(EVAL / name, limit if name.startswith("fnc1") else None))
        rows = []
        for record, prediction in zip(records, run(records, judge, jobs), strict=True):
            rows.append(
                {
                    "label": record.label,
                    "stance": record.stance,
                    "signals": prediction.details["signals"],
                    "components": prediction.details["components"],
                }
            )
        out[dataset_name(name)] = rows
        print(f"collected {name}: {len(rows)}", file=sys.stderr)
    return out


def as_judge(data: dict[str, list[dict]], judge: str) -> dict[str, list[dict]]:
    """Put `judge`'s own support/refute into each part's signals (from a combined run)."""
    out = {}
    for name, rows in data.items():
        fixed = []
        for row in rows:
            signals = []
            for s, c in zip(row["signals"], row.get("components") or [{}] * 99, strict=False):
                support, refute = c.get(judge, (s["support"], s["refute"]))
                signals.append({**s, "support": support, "refute": refute})
            fixed.append({**row, "signals": signals})
        out[name] = fixed
    return out


def predict(
    rows: list[dict], t: Thresholds, raw: list[float] | None = None
) -> tuple[list[str], list[bool]]:
    """Re-decide every record from its cached signals: (labels, cites evidence).

    Mirrors `aggregate.combine`; the raw confidences are appended to `raw` when given.
    """
    labels, cited = [], []
    for row in rows:
        parts = [decide(Signals(**s), t) for s in row["signals"]] or [("NOT_ENOUGH_INFO", 1.0)]
        names = [p for p, _ in parts]
        if "REFUTED" in names:
            label = "REFUTED"
            conf = max(c for p, c in parts if p == label)
        elif all(p == "SUPPORTED" for p in names):
            label = "SUPPORTED"
            conf = min(c for _, c in parts)
        else:
            label = "NOT_ENOUGH_INFO"
            conf = min(c for p, c in parts if p == label)
        if raw is not None:
            raw.append(conf)
        labels.append(label)
        cited.append(
            label != "NOT_ENOUGH_INFO" or any(s["relevance"] >= t.relevant for s in row["signals"])
        )
    return labels, cited


def objective(data: dict[str, list[dict]], t: Thresholds) -> dict[str, float]:
    scores = {}
    for name, rows in data.items():
        labels, cited = predict(rows, t)
        gold = [r["label"] for r in rows]
        if name.startswith("fnc1"):
            stance = [
                {"SUPPORTED": "agree", "REFUTED": "disagree"}.get(
                    lab, "discuss" if c else "unrelated"
                )
                for lab, c in zip(labels, cited, strict=True)
            ]
            scores[name] = metrics.fnc_score_rel([r["stance"] for r in rows], stance)
        elif name.startswith("seed"):
            scores[name] = metrics.accuracy(*metrics.three_way(gold, labels))
        else:
            scores[name] = metrics.bacc_support(gold, labels)
    return scores


def fit(data: dict[str, list[dict]], start: Thresholds, rounds: int = 3) -> Thresholds:
    best = start
    best_score = np.mean(list(objective(data, best).values()))
    for _ in range(rounds):
        for key, grid in GRID.items():
            for value in grid:
                candidate = replace(best, **{key: round(float(value), 3)})
                score = np.mean(list(objective(data, candidate).values()))
                if score > best_score + 1e-9:
                    best, best_score = candidate, score
        print(f"round: {best} -> {best_score:.4f}", file=sys.stderr)
    return best


def calibrate(data: dict[str, list[dict]], t: Thresholds) -> dict[str, list]:
    """Per-label isotonic maps from raw confidence to accuracy, each dataset weighted equally.

    Weights are scaled to average 1 per record so the add-one smoothing acts like counts.
    """
    points: dict[str, tuple[list[float], list[float], list[float]]] = {}
    scale = sum(len(rows) for rows in data.values()) / len(data)
    for rows in data.values():
        raw: list[float] = []
        labels, _ = predict(rows, t, raw)
        for row, label, conf in zip(rows, labels, raw, strict=True):
            xs, ys, ws = points.setdefault(label, ([], [], []))
            xs.append(conf)
            ys.append(float(is_correct(row["label"], label)))
            ws.append(scale / len(rows))
    return {label: isotonic(*v, smoothing=1.0) for label, v in sorted(points.items())}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--judge", default="symbolic")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--limit", type=int, help="use the first N records of fnc1_dev only")
    p.add_argument("--cache", help="JSON file to keep/reuse the collected signals")
    p.add_argument("--out", type=Path, default=THRESHOLDS_FILE, help="file to update")
    p.add_argument(
        "--collect-with",
        choices=("symbolic", "learned", "combined"),
        help="run this engine (a combined run serves all three judges)",
    )
    args = p.parse_args()
    cache = Path(args.cache) if args.cache else None
    if cache and cache.is_file():
        data = json.loads(cache.read_text())
    else:
        data = collect(args.collect_with or args.judge, args.jobs, args.limit)
        if cache:
            cache.write_text(json.dumps(data))
    data = as_judge(data, args.judge)
    # Coordinate ascent finds local optima: start from the defaults and from the last fit.
    starts = [Thresholds(), Thresholds.for_judge(args.judge)]
    fitted = max(
        (fit(data, s) for s in starts), key=lambda t: np.mean(list(objective(data, t).values()))
    )
    print(json.dumps(objective(data, fitted), indent=1))
    table = json.loads(args.out.read_text()) if args.out.is_file() else {}
    table[args.judge] = {"thresholds": fitted.as_dict(), "calibration": calibrate(data, fitted)}
    text = json.dumps(table, indent=1, sort_keys=True)
    # One knot per line keeps the file readable and its diffs small.
    text = re.sub(r"\[\s+(-?[\d.e-]+),\s+(-?[\d.e-]+)\s+\]", r"[\1, \2]", text)
    args.out.write_text(text + "\n")
    print(f"wrote {args.out} [{args.judge}]: {fitted.as_dict()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
