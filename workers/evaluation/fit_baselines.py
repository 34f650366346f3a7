"""Fit the baselines' thresholds on TRAINING data only; write `data/baselines.json`.

    python -m workers.evaluation.fit_baselines [--per-stance N] [--model-per-stance N] [--jobs N]

Training data (issue #9 §1: never a dev file):
- `eval/politihop_train.jsonl` (SUPPORTED / REFUTED rulings), all of it;
- FNC-1 *train* pairs from `nli/all_pairs.jsonl.gz` (source `fnc1_train`, already cleaned of pairs
  overlapping the FNC-1 competition test), a fixed-seed sample per stance.
Texts the contrast-set TEST half is written about (`data/contrast/test`) are left out of both, so
its claims stay unseen in every sense.

Thresholds: `related` (whether a NOT_ENOUGH_INFO verdict cites its best window: FNC-1's discuss
vs unrelated) maximises balanced accuracy of related-vs-unrelated on the FNC-1 pairs; `support`
maximises balanced accuracy of "is SUPPORTED" over all of it (the overlap floor, where one score
decides both: over the related pairs only, among cuts at or above `related`); the model's
`refutes` then maximises 3-way macro-F1 with `support` fixed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from workers.evaluation import metrics
from workers.evaluation.baselines import BASELINES_FILE, ModelBaseline, OverlapBaseline
from workers.evaluation.records import CONTRAST, DATASETS, Record, parse, read

POLITIHOP_TRAIN = "eval/politihop_train.jsonl"
ALL_PAIRS = "nli/all_pairs.jsonl.gz"
STANCE_LABELS = {
    "agree": "SUPPORTED",
    "disagree": "REFUTED",
    "discuss": "NOT_ENOUGH_INFO",
    "unrelated": "NOT_ENOUGH_INFO",
}
SEED = 9


def contrast_test_texts(directory: Path = CONTRAST / "test") -> set[tuple[str, str]]:
    """(source file, id) of every text the contrast-set test half is written about."""
    out = set()
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        out.add((str(source["file"]), str(source["id"])))
    return out


def training_records(per_stance: int, held_out: set[tuple[str, str]]) -> list[Record]:
    """PolitiHop train plus a per-stance sample of FNC-1 train pairs, contrast-test texts out."""
    out = [r for r in read(DATASETS / POLITIHOP_TRAIN) if (POLITIHOP_TRAIN, r.id) not in held_out]
    fnc_bodies = {i for f, i in held_out if f.endswith("train_bodies.csv")}
    by_stance: dict[str, list[dict]] = defaultdict(list)
    with gzip.open(DATASETS / ALL_PAIRS, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["source"] != "fnc1_train" or row.get("dup_of_earlier"):
                continue
            if str(row["id"]).split("/")[0] in fnc_bodies:  # id is "<Body ID>/<row>"
                continue
            by_stance[row["orig_label"]].append(row)
    rng = random.Random(SEED)
    for stance in sorted(by_stance):
        rows = by_stance[stance]
        for row in rng.sample(rows, min(per_stance, len(rows))):
            out.append(
                parse(
                    {
                        "id": f"fnc1_train-{row['id']}",
                        "dataset": "fnc1_train",
                        "claim": row["hypothesis"],
                        "document": row["premise"],
                        "label": STANCE_LABELS[stance],
                        "stance": stance,
                    }
                )
            )
    return out


def best_threshold(
    scores: Sequence[float], objective: Callable[[float], float | None]
) -> tuple[float, float]:
    """The cut (a midpoint between observed scores) with the best objective, and that value."""
    values = sorted(set(scores))
    if len(values) > 400:  # quantiles are plenty, and keep the search quick
        values = [values[int(i * (len(values) - 1) / 399)] for i in range(400)]
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] or values
    scored = [(objective(c) or 0.0, c) for c in cuts]
    value, cut = max(scored)
    return round(cut, 4), round(value, 4)


def fit_overlap(records: Sequence[Record]) -> dict:
    baseline = OverlapBaseline({"support": 1.0, "related": 1.0})
    shares = [baseline.scores(r.claim, [r.document])[0] for r in records]
    return _fit(records, shares, None, shares)


_model: ModelBaseline | None = None


def _init_model() -> None:
    global _model
    _model = ModelBaseline({"support": 1.0, "refutes": 1.0, "related": 1.0}, threads=1)


def _model_scores(record: Record) -> tuple[float, float, float]:
    assert _model is not None
    s = _model.scores(record.claim, [record.document])
    return s.support, s.refute, s.related


def fit_model(records: Sequence[Record], jobs: int) -> dict:
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_model) as pool:
        got = pool.map(_model_scores, records, chunksize=8)
    return _fit(records, [g[0] for g in got], [g[1] for g in got], [g[2] for g in got])


def _fit(
    records: Sequence[Record],
    support: Sequence[float],
    refute: Sequence[float] | None,
    related: Sequence[float],
) -> dict:
    gold = [r.label or "" for r in records]
    is_sup = [g == "SUPPORTED" for g in gold]
    fnc = [i for i, r in enumerate(records) if r.stance]
    on_topic = [records[i].stance != "unrelated" for i in fnc]
    t_rel, rel_bacc = best_threshold(
        [related[i] for i in fnc],
        lambda t: metrics.balanced_accuracy(on_topic, [related[i] >= t for i in fnc]),
    )
    # When one score decides both (overlap), `related` has already sorted out the unrelated
    # pairs, so `support` is fitted on the related ones (PolitiHop, FNC-1 agree/disagree/discuss)
    # and above `related`: fitted on everything, it would only re-learn relatedness.
    one_score = support is related
    keep = [i for i, r in enumerate(records) if not (one_score and r.stance == "unrelated")]
    t_sup, bacc = best_threshold(
        [support[i] for i in keep if support[i] >= (t_rel if one_score else 0.0)] or support,
        lambda t: metrics.balanced_accuracy(
            [is_sup[i] for i in keep], [support[i] >= t for i in keep]
        ),
    )
    thresholds = {"support": t_sup, "related": t_rel}
    training = {"bacc_support": bacc, "bacc_related": rel_bacc}
    if refute is not None:

        def labels(t: float) -> list[str]:
            return [
                "REFUTED" if r >= t and r > s else "SUPPORTED" if s >= t_sup else "NOT_ENOUGH_INFO"
                for s, r in zip(support, refute, strict=True)
            ]

        t_ref, f1 = best_threshold(
            refute, lambda t: metrics.macro_f1(gold, labels(t), metrics.LABELS3)
        )
        thresholds["refutes"] = t_ref
        training["macro_f1_3"] = f1
    return {"thresholds": thresholds, "training_scores": training}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--per-stance", type=int, default=1000, help="FNC-1 train pairs per stance")
    p.add_argument("--model-per-stance", type=int, default=150, help="... for the model (slower)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--only", choices=("overlap", "model"))
    args = p.parse_args(argv)
    held_out = contrast_test_texts()
    fitted = json.loads(BASELINES_FILE.read_text()) if BASELINES_FILE.is_file() else {}
    runs = {"overlap": args.per_stance, "model": args.model_per_stance}
    for name, per_stance in runs.items():
        if args.only and name != args.only:
            continue
        records = training_records(per_stance, held_out)
        entry = fit_overlap(records) if name == "overlap" else fit_model(records, args.jobs)
        counts: dict[str, int] = defaultdict(int)
        for r in records:
            counts[r.dataset] += 1
        entry["fitted_on"] = [
            f"{POLITIHOP_TRAIN} ({counts['politihop']} records)",
            f"{ALL_PAIRS} source fnc1_train ({counts['fnc1_train']} pairs, "
            f"<= {per_stance} per stance, seed {SEED})",
        ]
        entry["held_out_contrast_test_texts"] = len(held_out)
        fitted[name] = entry
        print(name, json.dumps(entry))
    BASELINES_FILE.parent.mkdir(parents=True, exist_ok=True)
    BASELINES_FILE.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
