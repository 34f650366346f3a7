"""`factdesk eval FILE.jsonl[.gz]... [--json OUT] [--limit N] [--jobs N] [--report DIR]`.

Also `--judge symbolic|learned|combined` and `--quiet` (no progress bar).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from workers.engine import ENGINE_VERSION, Engine
from workers.engine.judges import JUDGES
from workers.engine.pipeline import default_judge
from workers.evaluation import records as recordio
from workers.evaluation.progress import Progress
from workers.evaluation.report import confusion_text, kinds_text, table, write_report
from workers.evaluation.runner import run
from workers.evaluation.scoring import is_correct, score


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="factdesk eval",
        description="Score the verification engine on labelled claim files "
        "(format: ../shared/datasets/eval/README.md).",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=".jsonl or .jsonl.gz record file, or a contrast-set split directory "
        "(data/contrast/test)",
    )
    p.add_argument("--json", metavar="OUT", help="also write the metrics as JSON to OUT")
    p.add_argument(
        "--limit", type=_positive, metavar="N", help="score the first N records of each file"
    )
    p.add_argument(
        "--jobs", type=_positive, default=1, metavar="N", help="worker processes (default 1)"
    )
    p.add_argument("--report", metavar="DIR", help="write a Markdown report with PNG charts to DIR")
    p.add_argument(
        "--judge",
        choices=JUDGES,
        default=None,
        help="judge to use (default: combined when the model and its head ship, else symbolic)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv: list[str]) -> int:
    """Run the evaluation; return the process exit status."""
    args = parser().parse_args(argv)
    judge = args.judge or default_judge()
    engine = Engine(judge=judge)
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(f"factdesk eval: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    datasets: dict[str, dict] = {}
    calibration: dict[str, tuple[list[float], list[bool]]] = {}
    for path in args.files:
        name = recordio.dataset_name(path)
        try:
            recs = list(recordio.read(path, args.limit))
        except recordio.RecordError as err:
            print(f"factdesk eval: {err}", file=sys.stderr)
            return 2
        bar = Progress(name, len(recs), enabled=not args.quiet)
        started = time.perf_counter()
        preds = list(run(recs, judge, args.jobs, bar.advance))
        wall = time.perf_counter() - started
        bar.close()
        datasets[name] = score(recs, preds, wall)
        labelled = [(r, p) for r, p in zip(recs, preds, strict=True) if r.label]
        calibration[name] = (
            [p.confidence for _, p in labelled],
            [is_correct(r.label, p.label) for r, p in labelled],
        )
    engine_info = {
        "version": ENGINE_VERSION,
        "judge": judge,
        "engine": engine.version,
        "thresholds": engine.thresholds.as_dict(),
    }
    print(table(datasets))
    for name, values in datasets.items():
        for key in ("confusion", "fnc_confusion"):
            if key in values:
                print(f"\n{name} {key.replace('_', ' ')} (rows gold, columns predicted):")
                print(confusion_text(values[key]))
        if "acc_by_kind" in values:
            print(f"\n{name} accuracy per kind (both halves of each pair):")
            print(kinds_text(values))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"engine": engine_info, "datasets": datasets}, indent=2) + "\n",
            encoding="utf-8",
        )
    if args.report:
        path = write_report(args.report, engine_info, datasets, calibration)
        print(f"\nreport: {path}", file=sys.stderr)
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value
