"""The records every fitted artifact is fitted on: TRAINING data only, in the eval record format.

Issue #9 §1: nothing is fitted on the files we report (`seed_dev`, `wice_dev`, `politihop_valid`,
`fnc1_dev*`, the contrast-set test half). The thresholds, their calibration and the learned head
are fitted on these records instead:

- `politihop_train`: PolitiHop claims against their ruling article (train split).
- `fnc1_train`: FNC-1 *train* headlines against their bodies (document = body, claim = headline,
  stance kept), minus the pairs that overlap the competition test set
  (`exclude_overlap_with_competition_test.json`) and minus every body a contrast-set TEST text
  uses; a stratified sample per stance, each record weighted back to FNC-1 train's natural mix
  (`weight`), grouped by body.
- claim-vs-evidence pairs of `nli/all_pairs.jsonl.gz` (premise = document, hypothesis = claim):
  AVeriTeC train, Climate-FEVER, HealthVer, COVID-Fact train, Check-COVID train, QAGS,
  SummEdits news, FEVER (DocNLI's binary pairs, FEVER-Symmetric's twins: Wikipedia claims), and
  sentence-level NLI (MNLI mismatched, ANLI R3) for variety.
- the contrast-set TRAIN half (`data/contrast/train`), when the loader and the files exist.

Samples are chosen by a hash of each item's id (no random state), so the same files give the
same records. Nothing here is written into the repository: records live in memory or under
`training/out/` (git-ignored).

The cross-encoder (`docs/model.md`) was trained on nearly all of these pairs (everything but a
content-hashed 2 % hold-out, and all but 6,000 of FNC-1's random "unrelated" pairings), so its
probabilities on them are those of data it has seen: confident and mostly right. Fitted on them,
a decision layer over-trusts the model. `model_unseen_records` therefore builds a second set from
what the model never trained on: its own hold-out pairs (`training.corpus.is_validation`), FNC-1
train pairs in that hold-out or among the unrelated pairings it left out, and the contrast-set
train half (written after the model). The model judges' thresholds and heads are fitted on it.

Run: .venv/bin/python -m training.fitdata [--scale 0.1] [--unseen]   (prints counts per source)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from training.corpus import FNC1_UNRELATED_KEEP, LABEL_IDS, Pair, is_validation
from training.textwin import shorten
from workers.evaluation.records import Record, parse, read

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"
CONTRAST = ROOT / "data" / "contrast"
FNC_DIR = "nli/fnc1_train"
SALT = "factdesk-fit-1"

# Records per source (before `scale`). ~3,000 in all keeps one engine run over them (the
# combined judge) within ~15 minutes on 2 cores.
BUDGET: dict[str, int] = {
    "politihop_train": 465,
    "fnc1_train": 1000,
    "averitec": 400,
    "climate_fever": 200,
    "healthver": 200,
    "covidfact": 150,
    "check_covid": 150,
    "qags": 120,
    "summedits_news": 80,
    "mnli": 150,
    "anli": 150,
    "fever_nli_binary": 250,
    "fever_symmetric": 150,
    "contrast_train": 10_000,  # all of it
}
# all_pairs sources and the splits read from each (none is a project dev file).
NLI_SPLITS: dict[str, tuple[str, ...]] = {
    "averitec": ("train",),
    "climate_fever": ("test",),
    "healthver": ("dev", "test"),
    "covidfact": ("train",),
    "check_covid": ("train",),
    "qags": ("cnndm", "xsum"),
    "summedits_news": ("evaluation", "test"),
    "mnli": ("dev_mismatched",),
    "anli": ("dev_r3",),
    # Wikipedia claims against Wikipedia evidence (FEVER via DocNLI; FEVER-Symmetric's
    # contrastive twins): the claim style of WiCE and of Wikipedia-based checkers, which no
    # other training source has.
    "fever_nli_binary": ("dev",),
    "fever_symmetric": ("dev",),
}
NLI_LABEL = {
    "entailment": "SUPPORTED",
    "contradiction": "REFUTED",
    "neutral": "NOT_ENOUGH_INFO",
    "not_entailment": "NOT_SUPPORTED",
}
STANCE_LABEL = {
    "agree": "SUPPORTED",
    "disagree": "REFUTED",
    "discuss": "NOT_ENOUGH_INFO",
    "unrelated": "NOT_ENOUGH_INFO",
}
# FNC-1 sample per stance, as shares of the source's budget: the rare stances are over-sampled
# (disagree is 1.7 % of FNC-1 train) and `weight` restores the natural mix for scoring.
FNC_SHARE = {"agree": 0.25, "disagree": 0.2, "discuss": 0.25, "unrelated": 0.3}


@dataclass(frozen=True)
class FitRecord:
    record: Record
    source: str  # what the record is scored as: politihop_train, fnc1_train, averitec, ...
    group: str  # the document it belongs to: folds and samples never split one
    weight: float = 1.0  # restores a source's natural class mix where it was re-sampled


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join((SALT, *parts)).encode()).hexdigest()


def group_of(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _take(items: Iterable[tuple[str, object]], n: int) -> list:
    """The `n` items with the smallest hash of their key: a fixed pseudo-random sample."""
    ranked = sorted(items, key=lambda kv: _hash(kv[0]))
    return [item for _, item in ranked[:n]]


def politihop_train(n: int, shared: Path = SHARED) -> list[FitRecord]:
    records = list(read(shared / "eval" / "politihop_train.jsonl"))
    chosen = _take(((r.id, r) for r in records), n)
    return [FitRecord(r, "politihop_train", group_of(r.document.text)) for r in chosen]


def contrast_test_fnc_bodies(contrast: Path = CONTRAST) -> set[str]:
    """FNC-1 Body IDs the contrast-set TEST half is written on: never trained on."""
    out = set()
    for path in sorted((contrast / "test").glob("*.json")):
        source = json.loads(path.read_text(encoding="utf-8")).get("source", {})
        if "fnc1" in str(source.get("file", "")):
            out.add(str(source["id"]))
    return out


def fnc1_pairs(shared: Path = SHARED, exclude_bodies: Iterable[str] = ()) -> Iterator[dict]:
    """FNC-1 train pairs as raw eval records, without the excluded bodies and headlines."""
    folder = shared / FNC_DIR
    guard = json.loads((folder / "exclude_overlap_with_competition_test.json").read_text())
    bad_bodies = set(guard["body_ids"]) | set(exclude_bodies)
    bad_headlines = set(guard["headlines"])
    csv.field_size_limit(1 << 24)
    with (folder / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (folder / "train_stances.csv").open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            body_id, headline = row["Body ID"], row["Headline"]
            if body_id in bad_bodies or headline in bad_headlines:
                continue
            yield {
                "id": f"fnc1-train-{number}",
                "dataset": "fnc1",
                "claim": headline,
                "document": bodies[body_id],
                "label": STANCE_LABEL[row["Stance"]],
                "stance": row["Stance"],
                "body": body_id,
            }


def fnc1_train(
    n: int, shared: Path = SHARED, exclude_bodies: Iterable[str] = (), max_bodies: int = 700
) -> list[FitRecord]:
    """A stratified sample of FNC-1 train pairs from at most `max_bodies` bodies (many
    headlines per body, as in FNC-1 itself), weighted back to the natural stance mix."""
    pairs = list(fnc1_pairs(shared, exclude_bodies))
    natural = Counter(p["stance"] for p in pairs)
    bodies = set(_take(((b, b) for b in {p["body"] for p in pairs}), max_bodies))
    chosen: list[dict] = []
    for stance, share in FNC_SHARE.items():
        pool = [p for p in pairs if p["stance"] == stance and p["body"] in bodies]
        chosen += _take(((p["id"], p) for p in pool), round(n * share))
    sampled = Counter(p["stance"] for p in chosen)
    total_natural, total_sampled = sum(natural.values()), len(chosen)
    out = []
    for p in chosen:
        weight = (natural[p["stance"]] / total_natural) / (sampled[p["stance"]] / total_sampled)
        body = p.pop("body")
        out.append(FitRecord(parse(p), "fnc1_train", f"fnc1-{body}", round(weight, 4)))
    return out


def nli_records(budget: Mapping[str, int], shared: Path = SHARED) -> list[FitRecord]:
    """Claim-vs-evidence pairs of `all_pairs.jsonl.gz`: per source, an equal share per label."""
    pools: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for raw in _all_pairs(shared):
        source = raw["source"]
        if source not in budget or raw["split"] not in NLI_SPLITS.get(source, ()):
            continue
        if raw["dup_of_earlier"]:
            continue
        pools[source][raw["label"]].append(raw)
    out = []
    for source, by_label in pools.items():
        per_label = budget[source] // len(by_label)
        for label, rows in sorted(by_label.items()):
            keyed = ((f"{source}/{r['split']}/{r['id']}", r) for r in rows)
            for raw in _take(keyed, per_label):
                out.append(_pair_record(source, raw, label))
    return out


def contrast_train(n: int) -> list[FitRecord]:
    """The contrast-set TRAIN half (empty until the loader and the files exist)."""
    try:
        from workers.evaluation.records import contrast_records  # type: ignore[attr-defined]
    except ImportError:
        return []
    if not (CONTRAST / "train").is_dir():
        return []
    records = contrast_records("train")[:n]
    return [FitRecord(r, "contrast_train", group_of(r.document.text)) for r in records]


def fit_records(scale: float = 1.0, shared: Path = SHARED) -> list[FitRecord]:
    """Every training record the fitted artifacts are fitted on, `scale` × `BUDGET`."""
    size = {k: max(1, round(v * scale)) for k, v in BUDGET.items()}
    exclude = contrast_test_fnc_bodies()
    out = politihop_train(size["politihop_train"], shared)
    out += fnc1_train(size["fnc1_train"], shared, exclude)
    out += nli_records({k: size[k] for k in NLI_SPLITS}, shared)
    out += contrast_train(size["contrast_train"])
    return out


# Budget of the model-unseen set, per source: as many as the hold-out has, up to these.
UNSEEN_BUDGET: dict[str, int] = {
    "fnc1_train": 600,
    "averitec": 200,
    "climate_fever": 150,
    "healthver": 150,
    "covidfact": 100,
    "check_covid": 100,
    "mnli": 150,
    "anli": 100,
    "contrast_train": 10_000,
}
UNSEEN_SPLITS = {**NLI_SPLITS, "averitec": ("train", "dev")}


def model_saw(source: str, premise: str, hypothesis: str, label: str) -> bool:
    """Whether the cross-encoder trained on this pair (`training/corpus.py`'s hold-out rule)."""
    pair = Pair(shorten(premise, hypothesis), hypothesis, LABEL_IDS[label], source)
    return not is_validation(pair)


def fnc1_unrelated_left_out(shared: Path = SHARED) -> set[tuple[str, str]]:
    """(premise, hypothesis) of the FNC-1 unrelated pairings the model did NOT train on:
    `corpus.real_pairs` shuffles them with random.Random(13) and keeps the first 6,000."""
    import random

    unrelated = []
    with gzip.open(shared / "nli" / "all_pairs.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            if raw["source"] != "fnc1_train" or raw["dup_of_earlier"]:
                continue
            if raw["orig_label"] == "unrelated":
                unrelated.append((raw["premise"], raw["hypothesis"]))
    random.Random(13).shuffle(unrelated)
    return set(unrelated[FNC1_UNRELATED_KEEP:])


def model_unseen_records(scale: float = 1.0, shared: Path = SHARED) -> list[FitRecord]:
    """Training records whose (evidence, claim) pair the cross-encoder never trained on."""
    size = {k: max(1, round(v * scale)) for k, v in UNSEEN_BUDGET.items()}
    exclude = contrast_test_fnc_bodies()
    left_out = fnc1_unrelated_left_out(shared)
    pairs = list(fnc1_pairs(shared, exclude))
    unseen = [p for p in pairs if _fnc1_unseen(p, left_out)]
    natural = Counter(p["stance"] for p in pairs)
    chosen: list[dict] = []
    for stance, share in FNC_SHARE.items():
        pool = [p for p in unseen if p["stance"] == stance]
        chosen += _take(((p["id"], p) for p in pool), round(size["fnc1_train"] * share))
    sampled = Counter(p["stance"] for p in chosen)
    out = []
    for p in chosen:
        weight = (natural[p["stance"]] / len(pairs)) / (sampled[p["stance"]] / len(chosen))
        body = p.pop("body")
        out.append(FitRecord(parse(p), "fnc1_train", f"fnc1-{body}", round(weight, 4)))
    held_out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for raw in _all_pairs(shared):
        source = raw["source"]
        if source not in size or raw["split"] not in UNSEEN_SPLITS.get(source, ()):
            continue
        if raw["dup_of_earlier"] or raw["binary"]:
            continue
        if not model_saw(source, raw["premise"], raw["hypothesis"], raw["label"]):
            held_out[source][raw["label"]].append(raw)
    for source, by_label in held_out.items():
        for label, rows in sorted(by_label.items()):
            keyed = ((f"{source}/{r['split']}/{r['id']}", r) for r in rows)
            for raw in _take(keyed, size[source] // len(by_label)):
                out.append(_pair_record(source, raw, label))
    return out + contrast_train(size["contrast_train"])


def _fnc1_unseen(pair: dict, left_out: set[tuple[str, str]]) -> bool:
    if pair["stance"] == "unrelated":
        return (pair["document"], pair["claim"]) in left_out
    label = {"agree": "entailment", "disagree": "contradiction"}.get(pair["stance"], "neutral")
    return not model_saw("fnc1_train", pair["document"], pair["claim"], label)


def counts(records: Iterable[FitRecord]) -> dict[str, dict[str, int]]:
    """Records per source and gold label (for the report)."""
    table: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        table[r.source][r.record.stance or r.record.label or "?"] += 1
    return {source: dict(sorted(c.items())) for source, c in sorted(table.items())}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=1.0, help="fraction of BUDGET per source")
    p.add_argument("--unseen", action="store_true", help="the model-unseen set")
    args = p.parse_args()
    records = model_unseen_records(args.scale) if args.unseen else fit_records(args.scale)
    for source, by_label in counts(records).items():
        print(f"{source:16s} {sum(by_label.values()):5d}  {by_label}")
    print(f"{'total':16s} {len(records):5d}")
    return 0


def _pair_record(source: str, raw: dict, label: str) -> FitRecord:
    """One all_pairs row as a fit record: the premise is the document, the hypothesis the claim."""
    record = parse(
        {
            "id": f"{source}-{raw['split']}-{raw['id']}",
            "dataset": source,
            "claim": raw["hypothesis"],
            "document": raw["premise"],
            "label": NLI_LABEL[label],
        }
    )
    return FitRecord(record, source, group_of(raw["premise"]))


def _all_pairs(shared: Path) -> Iterator[dict]:
    """Every row of `nli/all_pairs.jsonl.gz`, read in place from ../shared."""
    with gzip.open(shared / "nli" / "all_pairs.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


if __name__ == "__main__":
    raise SystemExit(main())
