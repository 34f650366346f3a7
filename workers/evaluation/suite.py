"""`make eval`: every judge, the baselines and the ablations on every dev file, into the docs.

    python -m workers.evaluation.suite [--quick] [--jobs N] [--out DIR] [--docs FILE] [--rerun]

Each row is one `factdesk eval` command (printed as it runs) writing JSON to `--out`; a row whose
JSON was measured on the same engine code, data and baseline thresholds is reused, so an
interrupted run resumes. Then the generated section of `docs/evaluation.md` (between the markers)
is rewritten with the table, the engine version, the commands and what each row was fitted on.

The dev files are read here only to MEASURE (issue #9 §1): nothing in this module fits anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from workers.evaluation.records import CONTRAST, DATASETS, PROJECT, dataset_name
from workers.evaluation.report import fmt
from workers.evaluation.systems import System, available_layers

EVAL = DATASETS / "eval"
# Dev files: measured, never fitted on. fnc1_dev_small is the stratified 2,000 of fnc1_dev.
DEV = ("seed_dev.jsonl", "wice_dev.jsonl", "politihop_valid.jsonl", "fnc1_dev_small.jsonl")
FNC_FULL = "fnc1_dev.jsonl.gz"  # 12,532 claims, natural mix: the default judge and the floor only
TRAINING_ROW = "politihop_train.jsonl"  # training data, reported to show the fit-vs-dev gap
QUICK_LIMIT = 150  # records per file in `make eval-quick`
# From workers/models/judge/MODEL_CARD.md: what the shipped cross-encoder learnt from.
MODEL_FITTED_ON = (
    "model: nli/all_pairs (incl. fnc1_train) + politihop_train + synthetic pairs from their texts,"
    " epoch chosen on wice_dev + fnc1_dev_small pairs"
)
START, END = "<!-- make-eval:start -->", "<!-- make-eval:end -->"
HEADLINE = {  # the one metric per file the summary table shows (README of the datasets)
    "seed_dev": "acc3",
    "wice_dev": "bacc_support",
    "politihop_valid": "bacc_support",
    "fnc1_dev_small": "fnc_score_rel",
    "fnc1_dev": "fnc_score_rel",
    "politihop_train": "bacc_support",
    "contrast_test": "acc3",
}


@dataclass(frozen=True)
class Row:
    system: System
    files: tuple[str, ...]
    note: str = ""


def rows(default: str, contrast: Path | None) -> list[Row]:
    """The table's rows: the default judge, the floor, the model alone, the other judges, and
    one ablation of the default judge per layer.

    The slow full FNC-1 file and the training file run only where they say most: the default
    judge (what the service ships) and the overlap floor (nearly free) beside it.
    """
    dev = tuple(str(EVAL / f) for f in DEV)
    extra = (str(contrast),) if contrast else ()
    train = (str(EVAL / TRAINING_ROW),)
    full = (str(EVAL / FNC_FULL),)
    layers = sorted(available_layers(), key=lambda layer: layer != "relations")
    out = [Row(System(default), dev + full + train + extra, "default judge")]
    out.append(Row(System("overlap"), dev + full + train + extra, "the floor"))
    judges = [j for j in ("symbolic", "combined", "learned") if j != default]
    others = [Row(System(j), dev + extra) for j in judges]
    ablations = [
        Row(System(default, (layer,)), dev + extra, f"ablation: no {layer}")
        for layer in layers
        if not (default == "symbolic" and layer in ("dense", "head"))  # it has neither
    ]
    if default != "symbolic" and "relations" in layers:
        ablations.insert(
            0, Row(System("symbolic", ("relations",)), dev + extra, "ablation: no relations")
        )
    # Cheap rows and the newest layer's ablation first, so a run cut short still says most.
    out += others[:1] + ablations[:2] + [Row(System("model"), dev + extra, "model alone")]
    out += others[1:] + ablations[2:]
    return out


# What decides a row's numbers, besides its input file (`input_fingerprint`): the engine (code,
# data, models) and the evaluation modules that build, run and score a system. The suite, the
# CLI and the report only present them.
MEASURED = (
    "workers/engine",
    "workers/models",
    "workers/evaluation/baselines.py",
    "workers/evaluation/data",
    "workers/evaluation/metrics.py",
    "workers/evaluation/records.py",
    "workers/evaluation/runner.py",
    "workers/evaluation/scoring.py",
    "workers/evaluation/systems.py",
)


def code_fingerprint() -> str:
    """Hash of everything in `MEASURED`: a row measured under another one is run again."""
    digest = hashlib.sha256()
    for name in MEASURED:
        root = PROJECT / name
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.is_file() and path.suffix in (".py", ".json", ".onnx"):
                digest.update(str(path.relative_to(PROJECT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def command(row: Row, out: Path, jobs: int, limit: int | None) -> list[str]:
    """The `factdesk eval` arguments of a row."""
    system = row.system
    args = [*row.files, "--json", str(out), "--jobs", str(jobs), "--quiet"]
    args += ["--baseline", system.judge] if system.is_baseline else ["--judge", system.judge]
    for layer in system.without:
        args += ["--without", layer]
    if limit:
        args += ["--limit", str(limit)]
    return args


def run_rows(
    table_rows: list[Row],
    out_dir: Path,
    jobs: int,
    limit: int | None,
    rerun: bool,
    render_only: bool = False,
) -> list[dict]:
    """Run (or reuse) every row, one `factdesk eval` per file so that finished files are kept
    when a run stops or one input changes; return each row's merged results.

    `render_only`: run nothing; take whatever was measured, each row labelled with the code
    it was measured on (the table then says which rows predate the current engine).
    """
    from workers.evaluation.cli import main as eval_main

    engine_print = code_fingerprint()
    results = []
    for row in table_rows:
        slug = row.system.name.replace("baseline: ", "baseline-").replace(" ", "")
        merged: dict = {"datasets": {}}
        wall = 0.0
        measured_on: set[str] = set()
        for file in row.files:
            path = out_dir / slug / f"{dataset_name(file)}{f'-{limit}' if limit else ''}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            args = command(Row(row.system, (file,)), path, jobs, limit)
            shown = "factdesk eval " + " ".join(_short(a) for a in args)
            fingerprint = f"{engine_print}.{input_fingerprint(file)}"
            cached = json.loads(path.read_text()) if path.is_file() and not rerun else None
            if cached and (render_only or cached["suite"]["fingerprint"] == fingerprint):
                print(f"[reuse] {shown}", file=sys.stderr)
                result = cached
            elif render_only:
                continue  # never measured: left out of the table
            else:
                print(f"[run] {shown}", file=sys.stderr, flush=True)
                started = time.perf_counter()
                if eval_main(args) != 0:
                    raise SystemExit(f"make eval: row {row.system.name!r} failed on {file}")
                result = json.loads(path.read_text())
                result["suite"] = {
                    "fingerprint": fingerprint,
                    "commit": _git_head(),
                    "wall_s": round(time.perf_counter() - started, 1),
                }
                path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
            merged["engine"] = result["engine"]
            merged["datasets"].update(result["datasets"])
            wall += result["suite"]["wall_s"]
            measured_on.add(
                f"{result['suite'].get('commit', '?')}/{result['suite']['fingerprint'][:10]}"
            )
        if not merged["datasets"]:
            continue
        args = command(row, out_dir / f"{slug}.json", jobs, limit)
        merged["suite"] = {
            "fingerprint": engine_print,
            "command": "factdesk eval " + " ".join(_short(a) for a in args),
            "wall_s": round(wall, 1),
            "note": row.note,
            "limit": limit,
            "jobs": jobs,
            "measured_on": sorted(measured_on),  # commit/code fingerprint of each file's run
        }
        results.append(merged)
    return results


def input_fingerprint(path: str) -> str:
    """An input's identity: a contrast split by its files' contents, a shared file by its size."""
    root = Path(path)
    digest = hashlib.sha256(str(root.name).encode())
    if root.is_dir():
        for f in sorted(root.glob("*.json")):
            digest.update(f.name.encode() + f.read_bytes())
    elif root.is_file():
        digest.update(str(root.stat().st_size).encode())
    return digest.hexdigest()[:8]


def fitted_on(result: dict) -> str:
    """What a row's fitted parts were fitted on, from the files that hold them."""
    engine = result["engine"]
    if "fitted_on" in engine:
        model = f"; {MODEL_FITTED_ON}" if engine["judge"] == "model" else ""
        return "thresholds: " + "; ".join(engine["fitted_on"]) + model
    from workers.engine.head import HEAD_FILE

    head = json.loads(HEAD_FILE.read_text()).get(engine["judge"], {}) if HEAD_FILE.is_file() else {}
    parts = []
    if engine.get("decider") == "head" and head:
        parts.append("head: " + ", ".join(head.get("fitted_on", ["?"])))
    else:
        parts.append("thresholds: workers/engine/data/thresholds.json")
    if engine["judge"] != "symbolic":
        parts.append(MODEL_FITTED_ON)
    return "; ".join(parts)


def render(results: list[dict], quick: int | None, how: str = "make eval") -> str:
    """The generated Markdown section: summary table, details, commands, provenance."""
    from workers.engine import ENGINE_VERSION

    names = []
    for result in results:
        names += [n for n in result["datasets"] if n not in names]
    head = ["row", *(f"{n} {HEADLINE.get(n, 'acc3')}" for n in names), "fitted on"]
    lines = [
        START,
        "<!-- generated by `make eval` (workers/evaluation/suite.py); edit the code, not this -->",
        "",
        f"Engine {ENGINE_VERSION}; table written at commit `{_git_head()}` (code+data "
        f"fingerprint `{results[0]['suite']['fingerprint']}`; each row's own is listed below) "
        f"on {time.strftime('%Y-%m-%d')} by `{how}`"
        + (f" (first {quick} records of each file)" if quick else "")
        + ". Dev files are only measured. `politihop_train` is **training data** (the baselines'"
        ' thresholds are fitted on it, and whatever "fitted on" lists), shown for the gap'
        " between fit and dev. `fnc1_dev` (12,532, natural mix) runs for the default judge and"
        " the overlap floor only; every row has `fnc1_dev_small` (its stratified 2,000).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    current = results[0]["suite"]["fingerprint"][:10]
    stale = [r for r in results if _stale(r, current)]
    for result in results:
        mark = " †" if result in stale else ""
        cells = [f"**{result['engine']['system']}**{mark}" + _note(result)]
        for n in names:
            values = result["datasets"].get(n)
            cells.append(_fmt(values.get(HEADLINE.get(n, "acc3"))) if values else "")
        cells.append(fitted_on(result))
        lines.append("| " + " | ".join(cells) + " |")
    if stale:
        lines += [
            "",
            "† measured (in part) on earlier engine code than the commit this table was written"
            " at (`make eval` was cut short after a merge); the commit and code of each row are"
            " listed at the end.",
        ]
    lines += ["", "Contrast-set test half (pairs: both halves right):", ""]
    lines += _contrast_lines(results)
    lines += ["", "<details><summary>All metrics per row and file</summary>", ""]
    columns = ("n", "bacc_support", "acc3", "macro_f1_3", "fnc_score_rel", "refuted_f1")
    columns += ("evidence_hit@3", "ece", "p50_ms", "claims_per_s")
    lines += ["| row | file | " + " | ".join(columns) + " |", "|" + "---|" * (len(columns) + 2)]
    for result in results:
        for n, values in result["datasets"].items():
            cells = [_fmt(values.get(c)) for c in columns]
            lines.append(f"| {result['engine']['system']} | {n} | " + " | ".join(cells) + " |")
    lines += ["", "</details>", "", "Commands (each row's wall time on the 2-core VM):", "", "```"]
    for result in results:
        lines.append(f"{result['suite']['command']}   # {result['suite']['wall_s']:.0f} s")
    lines += ["```", "", "Engine versions per row:", ""]
    lines += [
        f"- {r['engine']['system']}: `{r['engine']['engine']}`, measured at commit/code "
        + ", ".join(f"`{m}`" for m in r["suite"].get("measured_on", []))
        for r in results
    ]
    lines += ["", END]
    return "\n".join(lines)


def write_docs(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n## Measured by `make eval`\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Run every evaluation row; write the docs table.")
    p.add_argument("--quick", action="store_true", help=f"first {QUICK_LIMIT} records per file")
    p.add_argument("--limit", type=int, help="records per file (overrides --quick's number)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--out", default=str(PROJECT / "build" / "eval"))
    p.add_argument("--docs", default=str(PROJECT / "docs" / "evaluation.md"))
    p.add_argument(
        "--contrast", default=str(CONTRAST / "test"), help="the contrast-set test half to score"
    )
    p.add_argument("--rerun", action="store_true", help="ignore results already measured")
    p.add_argument("--only", action="append", help="run only rows whose name contains this")
    p.add_argument(
        "--render-only",
        action="store_true",
        help="run nothing: write the table from what was measured, each row with its commit",
    )
    args = p.parse_args(argv)
    from workers.engine.pipeline import default_judge

    contrast = Path(args.contrast)
    table_rows = rows(default_judge(), contrast if any(contrast.glob("*.json")) else None)
    if args.only:
        table_rows = [r for r in table_rows if any(o in r.system.name for o in args.only)]
    limit = args.limit or (QUICK_LIMIT if args.quick else None)
    results = run_rows(table_rows, Path(args.out), args.jobs, limit, args.rerun, args.render_only)
    if not args.only:
        how = "make eval-quick" if args.quick and not args.limit else "make eval"
        if args.limit or args.render_only:
            how = "python -m workers.evaluation.suite " + " ".join(argv or sys.argv[1:])
        write_docs(Path(args.docs), render(results, limit, how))
        print(f"wrote {args.docs}", file=sys.stderr)
    return 0


def _contrast_lines(results: list[dict]) -> list[str]:
    kinds: list[str] = []
    for r in results:
        for k in r["datasets"].get("contrast_test", {}).get("acc_by_kind", {}):
            if k not in kinds:
                kinds.append(k)
    if not kinds:
        return ["(no contrast-set test half in this checkout: data/contrast/test is empty)"]
    head = ["row", "acc3", "pair_acc", *kinds]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        values = r["datasets"].get("contrast_test")
        if values:
            cells = [_fmt(values.get("acc3")), _fmt(values.get("pair_acc"))]
            cells += [_fmt(values["acc_by_kind"].get(k)) for k in kinds]
            out.append(f"| {r['engine']['system']} | " + " | ".join(cells) + " |")
    return out


def _stale(result: dict, current: str) -> bool:
    """Whether any file of a row was measured on other engine code than `current`."""
    return any(m.split("/")[-1] != current for m in result["suite"].get("measured_on", []))


def _note(result: dict) -> str:
    note = result["suite"].get("note")
    return f" ({note})" if note else ""


def _short(arg: str) -> str:
    """Paths as a reader would type them from the project root."""
    for root, shown in ((str(DATASETS), "../shared/datasets"), (str(PROJECT) + "/", "")):
        arg = arg.replace(root, shown)
    return arg


def _fmt(value: object) -> str:
    return fmt(value, missing="–")


def _git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT,
            text=True,
            capture_output=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
