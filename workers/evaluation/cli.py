"""`factdesk eval FILE.jsonl[.gz]|SPLIT_DIR... [--judge J | --baseline B] [--without LAYER]...`.

Also `--json OUT`, `--limit N`, `--jobs N`, `--report DIR` and `--quiet` (no progress bar). The
work is done by the library (`runner.evaluate`); this module parses arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from workers.engine.judges import JUDGES
from workers.engine.pipeline import default_judge
from workers.evaluation import records as recordio
from workers.evaluation.baselines import BASELINES
from workers.evaluation.report import confusion_text, kinds_text, table, write_report
from workers.evaluation.runner import evaluate
from workers.evaluation.systems import System, available_layers


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
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--judge",
        choices=JUDGES,
        default=None,
        help="judge to use (default: combined when the model and its head ship, else symbolic)",
    )
    which.add_argument(
        "--baseline",
        choices=BASELINES,
        help="score a reference instead of the engine: word overlap, or the model alone",
    )
    p.add_argument(
        "--without",
        action="append",
        default=[],
        choices=available_layers(),
        metavar="LAYER",
        help=f"switch an engine layer off (ablation; repeatable): {', '.join(available_layers())}",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv: list[str]) -> int:
    """Run the evaluation; return the process exit status."""
    args = parser().parse_args(argv)
    if args.baseline and args.without:
        parser().error("--without applies to the engine, not to a baseline")
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(f"factdesk eval: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    system = System(args.baseline or args.judge or default_judge(), tuple(args.without))
    try:
        result = evaluate(
            args.files, system, args.limit, args.jobs, None if args.quiet else _progress_bar
        )
    except (recordio.RecordError, ValueError) as err:
        print(f"factdesk eval: {err}", file=sys.stderr)
        return 2
    print(table(result.datasets))
    for name, values in result.datasets.items():
        for key in ("confusion", "fnc_confusion"):
            if key in values:
                print(f"\n{name} {key.replace('_', ' ')} (rows gold, columns predicted):")
                print(confusion_text(values[key]))
        if "acc_by_kind" in values:
            print(f"\n{name} accuracy per kind (both halves of each pair):")
            print(kinds_text(values))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"engine": result.system, "datasets": result.datasets}, indent=2) + "\n",
            encoding="utf-8",
        )
    if args.report:
        path = write_report(args.report, result.system, result.datasets, result.calibration)
        print(f"\nreport: {path}", file=sys.stderr)
    return 0


def _progress_bar(name: str, total: int) -> Callable[[int], None]:
    # Redraw a few times a second on a terminal; in a log file every few seconds is plenty.
    bar = tqdm(total=total, desc=name, unit="claim", mininterval=0.1 if sys.stderr.isatty() else 5)

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return advance


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value
