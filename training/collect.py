"""Run the engine once over the training records and keep what the fitters need, per claim part.

One JSON line per record: its source, group (document), gold label and stance, weight, and the
verdict's `details`: each part's `signals` (what the threshold rule decides from), `components`
(each judge's own best support/refute) and `features` (the learned head's inputs). The thresholds
(`scripts/engine/fit_thresholds.py`) and the head (`training/fit_head.py`) are refitted from these
rows without re-running the engine.

`--dev` runs the same engine over the untouched dev files instead. Those rows are read ONLY TO
REPORT and to choose among a handful of variants named in advance; nothing is fitted on them.

Run: OMP_NUM_THREADS=1 FACTDESK_ENGINE_THREADS=1 \
     .venv/bin/python -m training.collect --judge combined --jobs 2
     (writes training/out/fit_combined.jsonl; --unseen: unseen_combined.jsonl, the records
     the cross-encoder never trained on; --dev: dev_combined.jsonl)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from training.fitdata import SHARED, FitRecord, fit_records, group_of, model_unseen_records
from workers.evaluation.records import CONTRAST, contrast_records, dataset_name, read
from workers.evaluation.runner import run

OUT = Path(__file__).resolve().parent / "out"
# The untouched dev files: read only to report and to choose among a few variants, never to fit.
DEV_FILES = ("seed_dev.jsonl", "wice_dev.jsonl", "politihop_valid.jsonl", "fnc1_dev_small.jsonl")


def rows(items: Sequence[FitRecord], judge: str, jobs: int) -> Iterable[dict]:
    """One row per record: gold, weight and the engine's per-part details."""
    records = [item.record for item in items]
    for item, prediction in zip(items, run(records, judge, jobs), strict=True):
        details = prediction.details
        yield {
            "dataset": item.source,
            "id": item.record.id,
            "group": item.group,
            "label": item.record.label,
            "stance": item.record.stance,
            "weight": item.weight,
            "signals": details["signals"],
            "components": details["components"],
            "parts": details.get("features") or [],
            # each ranked passage's features, as numbers (`Features.as_row`)
            "passages": [[f.as_row() for f in part] for part in details.get("passages") or []],
        }


def dev_items(limit: int | None = None, shared: Path = SHARED) -> list[FitRecord]:
    """The dev files and the contrast-set test half as FitRecords, for reporting and variant
    choice only."""
    out = []
    for name in DEV_FILES:
        for record in read(shared / "eval" / name, limit):
            out.append(FitRecord(record, dataset_name(name), group_of(record.document.text)))
    if (CONTRAST / "test").is_dir():
        for record in contrast_records("test")[:limit]:
            out.append(FitRecord(record, "contrast_test", group_of(record.document.text)))
    return out


def write(out: Path, items: Sequence[FitRecord], judge: str, jobs: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as handle:
        for done, row in enumerate(rows(items, judge, jobs), start=1):
            handle.write(json.dumps(row) + "\n")
            if done % 250 == 0:
                took = time.perf_counter() - started
                print(f"{done}/{len(items)} in {took:.0f} s", file=sys.stderr)
    print(f"wrote {out}: {len(items)} rows, {time.perf_counter() - started:.0f} s", file=sys.stderr)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--judge", default="combined", choices=("symbolic", "learned", "combined"))
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--scale", type=float, default=1.0, help="fraction of fitdata.BUDGET")
    p.add_argument("--dev", action="store_true", help="the dev files (report/choose only)")
    p.add_argument("--unseen", action="store_true", help="the model-unseen training set")
    p.add_argument("--limit", type=int, help="records per dev file")
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    if args.dev:
        items, kind = dev_items(args.limit), "dev"
    elif args.unseen:
        items, kind = model_unseen_records(args.scale), "unseen"
    else:
        items, kind = fit_records(args.scale), "fit"
    # A document's records side by side: each worker parses and embeds a document once and
    # keeps it cached for the next claims about it (FNC-1 has many headlines per body).
    items = sorted(items, key=lambda item: (item.source, item.group))
    write(args.out or OUT / f"{kind}_{args.judge}.jsonl", items, args.judge, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
