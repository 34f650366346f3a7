"""int8 vs fp32 ONNX on the dev pairs, through the shipped `LearnedJudge` (runtime venv, no torch).

    python -m training.check_quant --fp32 training/out/full/model.fp32.onnx --data .device

Writes the pair-level dev metrics of both graphs and how often their argmax agrees; the int8 graph
must lose at most one point.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from training.bundle import every_nth, read_pairs
from training.metrics import dev_metrics, val_metrics
from workers.engine.learned import MODEL_DIR, LearnedJudge


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fp32", type=Path, default=Path("training/out/full/model.fp32.onnx"))
    ap.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    ap.add_argument("--data", type=Path, default=Path(".device"))
    ap.add_argument("--eval-limit", type=int, default=None)
    ap.add_argument("--report", type=Path, default=Path("training/out/full/quant_report.json"))
    args = ap.parse_args()

    sets = {
        "dev": every_nth(read_pairs(args.data / "dev.jsonl.xz"), args.eval_limit),
        "val": every_nth(read_pairs(args.data / "val.jsonl.xz"), args.eval_limit),
    }
    report: dict = {}
    argmax = {}
    for name, model_file in (("fp32", args.fp32), ("int8", None)):
        judge = LearnedJudge(args.model_dir, threads=2, model_file=model_file)
        report[name] = {}
        for set_name, rows in sets.items():
            t0 = time.time()
            probs = judge.predict([(r["p"], r["h"]) for r in rows])
            score = dev_metrics if set_name == "dev" else val_metrics
            report[name][set_name] = score(probs, rows)
            report[name][f"{set_name}_seconds"] = round(time.time() - t0, 1)
            argmax[(name, set_name)] = probs.argmax(1)
    report["argmax_agreement"] = {
        s: float(np.mean(argmax[("fp32", s)] == argmax[("int8", s)])) for s in sets
    }
    report["int8_bytes"] = (args.model_dir / "model.int8.onnx").stat().st_size
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
