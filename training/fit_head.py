"""Fit the learned head (`workers/engine/head.py`) of the model judges on TRAINING data only.

Issue #9 §1/§4: the head is small (a handful of inputs, softmax regression with a strong L2
penalty) and fitted only on the rows `training/collect.py` keeps from one engine run over the
training records of `training/fitdata.py` (PolitiHop train, FNC-1 train, AVeriTeC train and other
claim-vs-evidence sources, the contrast-set train half).

1. Targets are sets of allowed outcomes: FNC-1's stances map one-to-one, NOT_ENOUGH_INFO allows
   DISCUSSED or UNRELATED, NOT_SUPPORTED anything but SUPPORTED (the loss is -log of the
   allowed mass). Each source's share of the loss is `fitscore.SOURCE_WEIGHT`; classes are
   balanced within a source, except FNC-1, which keeps its natural stance mix (record weights).
2. Per-outcome logit offsets (the decision thresholds) are tuned on out-of-fold probabilities of
   grouped 5-fold cross-validation over the training rows (`fitscore.objective`).
3. `VARIANTS` (named here in advance, a handful) are each fitted that way. Where dev rows exist
   (`training.collect --dev`), each variant and the plain threshold rule are SCORED on the dev
   files — read only to choose among these variants, never to fit — and a judge keeps the
   variant with the best mean dev headline metric, or no head at all if the rule is better.

Run: .venv/bin/python -m training.fit_head [--rows training/out/fit_combined.jsonl]
     [--unseen-rows training/out/unseen_combined.jsonl] [--dev-rows training/out/dev_combined.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training import fitscore  # noqa: E402
from training.collect import OUT, load  # noqa: E402
from workers.engine.aggregate import Thresholds  # noqa: E402
from workers.engine.head import HEAD_FILE, OUTCOMES, Head, with_rule  # noqa: E402
from workers.engine.relations import RELATION_FEATURES  # noqa: E402

STANCE = {"agree": 0, "disagree": 1, "discuss": 2, "unrelated": 3}
ALLOWED = {
    "SUPPORTED": (0,),
    "REFUTED": (1,),
    "NOT_ENOUGH_INFO": (2, 3),
    "NOT_SUPPORTED": (1, 2, 3),
}
FOLDS = 5
BIAS_GRID = np.arange(-1.5, 2.51, 0.25)
SEED = 13
# The head's inputs per judge: few on purpose. The cross-encoder's best P(supports)/P(refutes)
# over the sentences it read and its lowest P(neutral); topic relevance; the documents' share
# of reporting language; and, for "combined", the symbolic rule's own decision, joint coverage
# and the shares of passages that hedge or conflict.
LEARNED_INPUTS = ("ce_sup_max", "ce_ref_max", "ce_neu_min", "topic", "dense_max", "doc_hedge")
COMBINED_INPUTS = (
    "ce_sup_max",
    "ce_ref_max",
    "ce_neu_min",
    "topic",
    "doc_hedge",
    "rule_sup",
    "rule_ref",
    "rule_topic",
    "coverage",
    "hedging",
    "conflict",
    "number_conflict",
)
# Relation signals (spaCy frames, `relations.RELATION_FEATURES`: shares of the top passages
# with each check), used where the collected rows carry them.
RELATION_INPUTS = RELATION_FEATURES
INPUTS = {"learned": LEARNED_INPUTS, "combined": COMBINED_INPUTS}
# The variants chosen among on the dev files (named before any dev result with relation signals
# was seen; a first round without them tried L2 0.03/0.3 on all training rows: both lost to the
# rule): L2 penalty x training rows (all of `training.fitdata`, or only the records the
# cross-encoder never trained on, `fitdata.model_unseen_records`), with the relation signals
# where the rows carry them. Four per judge, plus "no head".
VARIANTS = (
    ("l2=0.03 all", 0.03, "all"),
    ("l2=0.3 all", 0.3, "all"),
    ("l2=0.03 unseen", 0.03, "unseen"),
    ("l2=0.3 unseen", 0.3, "unseen"),
)
# The dev files' headline metrics (for choosing among VARIANTS and for the report only).
DEV_HEADLINE = {
    "seed_dev": "acc3",
    "wice_dev": "bacc_support",
    "politihop_valid": "bacc_support",
    "fnc1_dev_small": "fnc_score_rel",
}


def inputs(judge: str, rows: Sequence[dict]) -> tuple[str, ...]:
    """The judge's inputs, plus the relation signals the rows carry."""
    present = {k for r in rows for part in r["parts"][:1] for k in part}
    return INPUTS[judge] + tuple(n for n in RELATION_INPUTS if n in present)


def targets(row: Mapping) -> list[tuple[int, ...]] | None:
    """Allowed outcomes per part, or None where the parts' own labels are unknown."""
    if row["stance"]:
        allowed = (STANCE[row["stance"]],)
    elif row["label"] in ALLOWED:
        allowed = ALLOWED[row["label"]]
    else:
        return None
    if len(row["parts"]) == 1 or row["label"] == "SUPPORTED":
        return [allowed] * len(row["parts"])
    return None  # a REFUTED or NEI claim of several parts: which part is wrong is unknown


def design(rows: Sequence[Mapping], names: Sequence[str]) -> tuple[np.ndarray, ...]:
    """(x, allowed mask, weight) for every trainable part.

    A source's rows share `SOURCE_WEIGHT`; within it, classes are balanced, except where the
    rows carry stances (FNC-1: natural mix, restored by the record weights)."""
    xs, masks, weights = [], [], []
    by_source: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_source.setdefault(row["dataset"], []).append(i)
    for source, indices in by_source.items():
        labelled = [(i, t) for i in indices if (t := targets(rows[i]))]
        mass: dict[tuple[int, ...], float] = {}
        for i, t in labelled:
            mass[t[0]] = mass.get(t[0], 0.0) + float(rows[i].get("weight", 1.0))
        total = fitscore.SOURCE_WEIGHT.get(source, 1.0)
        natural = any(rows[i]["stance"] for i, _ in labelled)
        for i, parts_allowed in labelled:
            w = total * float(rows[i].get("weight", 1.0))
            w /= sum(mass.values()) if natural else len(mass) * mass[parts_allowed[0]]
            for features, allowed in zip(rows[i]["parts"], parts_allowed, strict=True):
                xs.append([float(features.get(n, 0.0)) for n in names])
                mask = np.zeros(len(OUTCOMES))
                mask[list(allowed)] = 1.0
                masks.append(mask)
                weights.append(w / len(parts_allowed))
    x = np.asarray(xs, dtype=float).reshape(len(xs), len(names))
    w = np.asarray(weights)
    return x, np.asarray(masks), w / w.sum() * len(w)


def fit(
    x: np.ndarray,
    allowed: np.ndarray,
    weight: np.ndarray,
    names: Sequence[str],
    hidden: int = 0,
    l2: float = 1e-3,
    steps: int = 1500,
    lr: float = 0.03,
    seed: int = SEED,
) -> Head:
    """Minimise the weighted -log(allowed mass) + l2 by full-batch Adam."""
    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    sizes = [z.shape[1], *([hidden] if hidden else []), len(OUTCOMES)]
    params = []
    for a, b in zip(sizes, sizes[1:], strict=False):
        params += [rng.normal(0, np.sqrt(2.0 / a), (a, b)), np.zeros(b)]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    n = len(z)
    for step in range(1, steps + 1):
        grads = _gradients(z, allowed, weight, params, l2, n)
        for k, (p, g) in enumerate(zip(params, grads, strict=True)):
            m, v = moments[k]
            m[:] = 0.9 * m + 0.1 * g
            v[:] = 0.999 * v + 0.001 * g * g
            p -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    layers = tuple((params[i], params[i + 1]) for i in range(0, len(params), 2))
    return Head(tuple(names), mean, scale, layers)


def _gradients(z, allowed, weight, params, l2, n) -> list[np.ndarray]:
    activations = [z]
    h = z
    layers = [(params[i], params[i + 1]) for i in range(0, len(params), 2)]
    for i, (w, b) in enumerate(layers):
        h = h @ w + b
        if i < len(layers) - 1:
            h = np.maximum(h, 0.0)
            activations.append(h)
    p = np.exp(h - h.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    q = p * allowed
    q /= np.maximum(q.sum(axis=1, keepdims=True), 1e-12)
    delta = (p - q) * weight[:, None] / n
    grads: list[np.ndarray] = []
    for i in range(len(layers) - 1, -1, -1):
        w, _ = layers[i]
        grads = [activations[i].T @ delta + l2 * w, delta.sum(axis=0), *grads]
        if i:
            delta = (delta @ w.T) * (activations[i] > 0)
    return grads


def part_probabilities(
    rows: Sequence[dict], head: Head, indices: Sequence[int]
) -> dict[int, np.ndarray]:
    """The head's (parts, 4) outcome probabilities per record."""
    empty = np.zeros((0, len(OUTCOMES)))
    return {i: head.predict(rows[i]["parts"]) if rows[i]["parts"] else empty for i in indices}


def decide_records(
    probabilities: dict[int, np.ndarray], bias: np.ndarray | None = None
) -> dict[int, tuple[str, str]]:
    """(label, FNC stance) per record, combining part outcomes as the engine does
    (`head.outcome`, `aggregate.combine`); `bias` is added to the outcome logits (what
    `tune_bias` chooses and the shipped head folds in). Vectorised: tuning calls it often."""
    records = list(probabilities)
    counts = np.asarray([len(probabilities[i]) for i in records])
    if not counts.sum():
        return {i: ("NOT_ENOUGH_INFO", "unrelated") for i in records}
    stacked = np.concatenate([probabilities[i] for i in records if len(probabilities[i])])
    best = np.argmax(stacked * np.exp(bias if bias is not None else 0.0), axis=1)
    owner = np.repeat(np.arange(len(records)), counts)
    n = len(records)
    refuted = np.bincount(owner, weights=best == 1, minlength=n) > 0
    supported = np.bincount(owner, weights=best == 0, minlength=n) == counts
    cited = np.bincount(owner, weights=best != 3, minlength=n) > 0
    out = {}
    for k, i in enumerate(records):
        if refuted[k]:
            out[i] = ("REFUTED", "disagree")
        elif counts[k] and supported[k]:
            out[i] = ("SUPPORTED", "agree")
        else:
            out[i] = ("NOT_ENOUGH_INFO", "discuss" if cited[k] else "unrelated")
    return out


def record_predictions(
    rows: Sequence[dict], head: Head, indices: Sequence[int]
) -> dict[int, tuple[str, str]]:
    """(label, FNC stance) per record, combining part outcomes as the engine does."""
    return decide_records(part_probabilities(rows, head, indices))


def tune_bias(
    rows: Sequence[Mapping], probabilities: dict[int, np.ndarray], rounds: int = 3
) -> tuple[np.ndarray, float]:
    """Per-outcome logit offsets that maximise `fitscore.objective` on out-of-fold training
    probabilities (coordinate ascent; UNRELATED stays 0, only differences matter)."""

    def value(bias: np.ndarray) -> float:
        return fitscore.objective(fitscore.source_scores(rows, decide_records(probabilities, bias)))

    bias = np.zeros(len(OUTCOMES))
    best = value(bias)
    for _ in range(rounds):
        for k in range(len(OUTCOMES) - 1):
            for step in BIAS_GRID:
                trial = bias.copy()
                trial[k] = step
                score = value(trial)
                if score > best + 1e-9:
                    best, bias = score, trial
    return bias, best


def cross_validate(
    rows: Sequence[Mapping], names: Sequence[str], **options: float
) -> dict[int, np.ndarray]:
    """Out-of-fold part probabilities for every training record, folds grouped by document."""
    fold_of = [_fold(r) for r in rows]
    probabilities: dict[int, np.ndarray] = {}
    for fold in range(FOLDS):
        train = [r if fold_of[i] != fold else {**r, "parts": []} for i, r in enumerate(rows)]
        x, allowed, weight = design(train, names)
        head = fit(x, allowed, weight, names, **options)
        held_out = [i for i in range(len(rows)) if fold_of[i] == fold]
        probabilities.update(part_probabilities(rows, head, held_out))
    return probabilities


def _fold(row: Mapping) -> int:
    return int(hashlib.sha1(row["group"].encode()).hexdigest(), 16) % FOLDS


def fit_variant(rows: Sequence[Mapping], names: Sequence[str], l2: float) -> tuple[Head, dict]:
    """Fit on all training rows with offsets tuned out of fold; (head, its training report)."""
    probabilities = cross_validate(rows, names, l2=l2)
    bias, cv_objective = tune_bias(rows, probabilities)
    x, allowed, weight = design(rows, names)
    head = fit(x, allowed, weight, names, l2=l2)
    ((w, b),) = head.layers
    head = Head(head.names, head.mean, head.scale, ((w, b + bias),))
    cv = fitscore.source_scores(rows, decide_records(probabilities, bias))
    return head, {
        "fitted_on": sorted({r["dataset"] for r in rows}),
        "l2": l2,
        "bias": bias.round(4).tolist(),
        "cv_objective": round(cv_objective, 4),
        "cross_validated": cv,
    }


def dev_report(table: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Each dev file's headline metric and their mean (the choice among variants)."""
    out = {d: table[d].get(m, 0.0) for d, m in DEV_HEADLINE.items() if d in table}
    out["mean"] = round(float(np.mean(list(out.values()))), 4) if out else 0.0
    return out


def rule_on_dev(dev: Sequence[dict], judge: str) -> dict[str, float]:
    """The judge's own threshold rule (no head) on the dev rows: the baseline a head must beat."""
    from scripts.engine.fit_thresholds import as_judge, predict

    rows = as_judge(dev, judge)
    return dev_report(_dev_scores(rows, predict(rows, Thresholds.for_judge(judge))[0]))


def _dev_scores(rows: Sequence[Mapping], predicted: Mapping[int, tuple[str, str]]) -> dict:
    # Dev rows all weigh 1, so these are the metrics `factdesk eval` reports.
    return fitscore.source_scores(rows, predicted)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=Path, default=OUT / "fit_combined.jsonl")
    p.add_argument("--unseen-rows", type=Path, default=OUT / "unseen_combined.jsonl")
    # Dev rows: scored to choose among VARIANTS and to report, never fitted on.
    p.add_argument("--dev-rows", type=Path, default=OUT / "dev_combined.jsonl")
    p.add_argument("--judge", action="append", choices=sorted(INPUTS))
    p.add_argument("--out", type=Path, default=HEAD_FILE)
    args = p.parse_args()
    # The rule features follow the symbolic thresholds shipped now (fit those first).
    rule = Thresholds.for_judge("symbolic")
    rows = load(args.rows)
    unseen = load(args.unseen_rows) if args.unseen_rows.is_file() else []
    dev = load(args.dev_rows) if args.dev_rows.is_file() else []
    for row in [*rows, *unseen, *dev]:
        row["parts"] = [with_rule(part, rule) for part in row["parts"]]
    fitted = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    for judge in args.judge or sorted(INPUTS):
        baseline = rule_on_dev(dev, judge) if dev else None
        trials = []
        for name, l2, sources in VARIANTS:
            chosen = unseen if sources == "unseen" else rows
            if not chosen:
                continue
            head, report = fit_variant(chosen, inputs(judge, chosen), l2)
            report["variant"] = name
            if dev:
                predicted = record_predictions(dev, head, range(len(dev)))
                report["dev"] = dev_report(_dev_scores(dev, predicted))
            trials.append((head, report))
            print(f"{judge} {name}: train CV {report['cv_objective']:.4f} dev {report.get('dev')}")
        print(f"{judge} rule (no head): dev {baseline}")
        key = (lambda t: t[1]["dev"]["mean"]) if dev else (lambda t: t[1]["cv_objective"])
        head, report = max(trials, key=key)
        if baseline is not None and baseline["mean"] >= report["dev"]["mean"]:
            print(f"{judge}: the rule is as good on dev; no head shipped")
            fitted.pop(judge, None)
            continue
        fitted[judge] = {
            "head": head.as_dict(),
            "options": report,
            "variants": [r for _, r in trials],
            "rule_on_dev": baseline,
        }
        print(f"{judge}: chose {report['variant']}")
    args.out.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
