"""Fine-tune all-MiniLM-L6-v2 as a 3-way cross-encoder judge, within a fixed wall-clock budget.

    python -m training.train --data .device --out training/out/full --variant full --budget-s 330

Reads the bundle `training.prepare` writes. The learning-rate schedule runs on whichever ends first,
the step count for `--epochs` or the time budget, so a run on a slow machine still decays to zero
and stops on time. After each epoch (and at the end) it scores the held-out validation pairs and the
dev pairs, keeps the best state, and writes it as fp16 safetensors split into parts of at most
`--part-mib` MiB, with a JSON log (loss curve, throughput, metrics). Variants choose the data:
`full` (everything), `permissive` (commercially usable sources only), `nosynth` (no synthetic).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save
from tokenizers import Tokenizer
from transformers import BertConfig, BertForSequenceClassification

from training.bundle import every_nth, read_pairs
from training.corpus import NOT_SUPPORTS
from training.metrics import dev_metrics, val_metrics

LABELS = ("supports", "refutes", "neutral")


def tokenize(tokenizer: Tokenizer, rows: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    encodings = tokenizer.encode_batch([(r["p"], r["h"]) for r in rows])
    return [
        (np.asarray(e.ids, dtype=np.int32), np.asarray(e.type_ids, dtype=np.int8))
        for e in encodings
    ]


def bucketed_batches(lengths: list[int], batch: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, sort by length inside windows of 50 batches, then shuffle the batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch * 50
    batches = []
    for lo in range(0, len(order), window):
        chunk = sorted(order[lo : lo + window], key=lengths.__getitem__)
        batches.extend(chunk[i : i + batch] for i in range(0, len(chunk), batch))
    rng.shuffle(batches)
    return batches


def collate(encoded, labels, idx, device):
    width = max(len(encoded[i][0]) for i in idx)
    ids = np.zeros((len(idx), width), dtype=np.int64)
    types = np.zeros((len(idx), width), dtype=np.int64)
    mask = np.zeros((len(idx), width), dtype=np.int64)
    for row, i in enumerate(idx):
        n = len(encoded[i][0])
        ids[row, :n], types[row, :n], mask[row, :n] = encoded[i][0], encoded[i][1], 1
    y = np.asarray([labels[i] for i in idx])
    tensors = [torch.from_numpy(a) for a in (ids, types, mask, y)]
    return [t.to(device, non_blocking=True) for t in tensors]


def judge_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy on 3-way rows; -log(1 - P(supports)) on 2-way "not entailment" rows."""
    logp = F.log_softmax(logits.float(), dim=-1)
    binary = labels == NOT_SUPPORTS
    three_way = -logp.gather(1, labels.clamp(max=2).unsqueeze(1)).squeeze(1)
    not_supports = -torch.logsumexp(logp[:, 1:], dim=-1)
    return torch.where(binary, not_supports, three_way).mean()


@torch.no_grad()
def predict(model, encoded, device, batch: int = 256) -> np.ndarray:
    model.eval()
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    probs = np.zeros((len(encoded), 3), dtype=np.float32)
    dummy = [0] * len(encoded)
    for lo in range(0, len(order), batch):
        idx = order[lo : lo + batch]
        ids, types, mask, _ = collate(encoded, dummy, idx, device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
        probs[idx] = torch.softmax(logits.float(), -1).cpu().numpy()
    model.train()
    return probs


def load_model(base: Path) -> BertForSequenceClassification:
    config = BertConfig.from_json_file(str(base / "config.json"))
    config.num_labels = 3
    config.id2label = dict(enumerate(LABELS))
    config.label2id = {v: k for k, v in config.id2label.items()}
    model = BertForSequenceClassification(config)
    weights = {k: v.float() for k, v in load_file(str(base / "model.fp16.safetensors")).items()}
    weights.pop("embeddings.position_ids", None)  # a buffer in old checkpoints, rebuilt on init
    missing, unexpected = model.bert.load_state_dict(weights, strict=False)
    if unexpected or any(not k.startswith("pooler.") for k in missing):
        raise ValueError(f"base weights do not fit: missing={missing} unexpected={unexpected}")
    return model


def snapshot(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}


def write_parts(state: dict[str, torch.Tensor], out: Path, part_mib: int) -> list[str]:
    """fp16 safetensors bytes split into parts; `cat model.fp16.safetensors.part*` rebuilds it."""
    blob = save({k: v.detach().to("cpu", torch.float16).contiguous() for k, v in state.items()})
    size = part_mib * 2**20
    names = []
    for n, lo in enumerate(range(0, len(blob), size)):
        name = f"model.fp16.safetensors.part{n}"
        (out / name).write_bytes(blob[lo : lo + size])
        names.append(name)
    return names


def main() -> None:  # noqa: PLR0915 - one linear training script reads best top to bottom
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(".device"))
    ap.add_argument("--out", type=Path, default=Path("training/out/full"))
    ap.add_argument("--variant", choices=("full", "permissive", "nosynth", "news"), default="full")
    ap.add_argument("--budget-s", type=float, default=330.0, help="wall-clock training budget")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=None, help="first N training pairs (smoke tests)")
    ap.add_argument("--eval-limit", type=int, default=None)
    ap.add_argument("--save-weights", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--part-mib", type=int, default=15)
    ap.add_argument(
        "--freeze-embeddings",
        action="store_true",
        help="keep the word embeddings fixed (halves optimizer work on CPU)",
    )
    ap.add_argument(
        "--freeze-layers",
        type=int,
        default=0,
        help="keep the lowest N transformer layers fixed (less backward work on CPU)",
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch CPU threads; 1 on a shared machine, where busy-waiting "
        "OpenMP threads were 3x slower than one",
    )
    ap.add_argument("--checkpoint-every-s", type=float, default=600.0)
    ap.add_argument("--resume", action="store_true", help="go on from the out dir's checkpoint")
    args = ap.parse_args()

    t_start = time.time()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cuda.matmul.allow_tf32 = True
    args.out.mkdir(parents=True, exist_ok=True)
    log: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "device": str(device),
                 "torch": torch.__version__, "curve": [], "evals": []}  # fmt: skip
    log_path = args.out / f"log_{args.variant}.json"

    tokenizer = Tokenizer.from_file(str(args.data / "base" / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=args.max_len, strategy="longest_first")
    train_rows = read_pairs(args.data / "train.jsonl.xz", args.variant, args.limit)
    val_rows = every_nth(read_pairs(args.data / "val.jsonl.xz"), args.eval_limit)
    dev_rows = every_nth(read_pairs(args.data / "dev.jsonl.xz"), args.eval_limit)
    train_enc = tokenize(tokenizer, train_rows)
    val_enc, dev_enc = tokenize(tokenizer, val_rows), tokenize(tokenizer, dev_rows)
    labels = [r["y"] for r in train_rows]
    lengths = [len(e[0]) for e in train_enc]
    log["data"] = {"train": len(train_rows), "val": len(val_rows), "dev": len(dev_rows),
                   "mean_tokens": float(np.mean(lengths)),
                   "prep_s": time.time() - t_start}  # fmt: skip
    print(json.dumps(log["data"]), flush=True)

    if args.threads:
        torch.set_num_threads(args.threads)
    model = load_model(args.data / "base").to(device)
    model.train()
    if args.freeze_embeddings:
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in model.bert.encoder.layer[: args.freeze_layers]:
        layer.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in trainable if p.ndim > 1]
    no_decay = [p for p in trainable if p.ndim <= 1]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr, fused=device.type == "cuda",
    )  # fmt: skip
    rng = random.Random(args.seed)
    steps_per_epoch = math.ceil(len(train_rows) / args.batch)
    total_steps = max(1, int(steps_per_epoch * args.epochs))

    def evaluate(tag: str, progress: float) -> float:
        val = val_metrics(predict(model, val_enc, device), val_rows)
        dev = dev_metrics(predict(model, dev_enc, device), dev_rows)
        # Selection weighs the clean hold-out and both dev sets alike: the dev pairs are read
        # only to choose the checkpoint and to report, never trained on.
        wice, fnc = dev["wice_dev"]["bacc_support"], dev["fnc1_dev_small"]["macro_f1_3"]
        select = (val["acc3"] + wice + fnc) / 3
        entry = {"tag": tag, "progress": progress, "pairs": seen,
                 "elapsed_s": time.time() - t_train,
                 "val": val, "dev": dev, "select": select}  # fmt: skip
        log["evals"].append(entry)
        print(json.dumps({k: entry[k] for k in ("tag", "select", "elapsed_s")}), flush=True)
        return select

    step, seen, epoch, best, evaluated_at = 0, 0, 0, -1.0, -1
    checkpoint = args.out / f"checkpoint_{args.variant}.pt"
    skip, elapsed_before = 0, 0.0
    if args.resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step, seen, epoch, skip = state["step"], state["seen"], state["epoch"], state["batch"]
        elapsed_before = state["elapsed"]
        log["curve"], log["evals"] = state["curve"], state["evals"]
        rng.setstate(state["rng"])
        print(json.dumps({"resumed_at_step": step, "elapsed_s": elapsed_before}), flush=True)
    t_train = time.time() - elapsed_before
    t_checkpoint = time.time()
    progress = 0.0
    while progress < 1.0:
        epoch_rng_state = rng.getstate()  # a checkpoint replays this epoch's batch order
        for batch_no, idx in enumerate(bucketed_batches(lengths, args.batch, rng)):
            if batch_no < skip:
                continue
            skip = 0
            if time.time() - t_checkpoint > args.checkpoint_every_s:
                torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                            "step": step, "seen": seen, "epoch": epoch, "batch": batch_no,
                            "elapsed": time.time() - t_train, "rng": epoch_rng_state,
                            "curve": log["curve"], "evals": log["evals"]}, checkpoint)  # fmt: skip
                log_path.write_text(json.dumps(log, indent=1))
                t_checkpoint = time.time()
            progress = max(step / total_steps, (time.time() - t_train) / args.budget_s)
            if progress >= 1.0:
                break
            if progress < args.warmup:
                lr_scale = progress / args.warmup
            else:
                lr_scale = (1 - progress) / (1 - args.warmup)
            for group in optimizer.param_groups:
                group["lr"] = args.lr * lr_scale
            ids, types, mask, y = collate(train_enc, labels, idx, device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                logits = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
            loss = judge_loss(logits, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            seen += len(idx)
            if step % 25 == 0:  # .item() syncs the GPU: only now and then
                log["curve"].append({"step": step, "pairs": seen,
                                     "elapsed_s": time.time() - t_train,
                                     "loss": loss.item(), "lr": args.lr * lr_scale})  # fmt: skip
            if step % (500 if device.type == "cuda" else 50) == 0:
                print(json.dumps(log["curve"][-1]), flush=True)
        else:
            epoch += 1
            score, evaluated_at = evaluate(f"epoch{epoch}", progress), step
            if score > best:
                best = score
                best_state = snapshot(model)
            log_path.write_text(json.dumps(log, indent=1))
            continue
        break
    if evaluated_at != step:
        score = evaluate(f"end@{seen / max(1, len(train_rows)):.2f}ep", progress)
        if score > best:
            best = score
            best_state = snapshot(model)
    train_s = time.time() - t_train
    log["summary"] = {"steps": step, "pairs_seen": seen, "epochs": seen / len(train_rows),
                      "train_s": train_s, "pairs_per_s": seen / train_s, "best_select": best,
                      "best_tag": max(log["evals"], key=lambda e: e["select"])["tag"]}  # fmt: skip
    if args.save_weights:
        log["summary"]["parts"] = write_parts(best_state, args.out, args.part_mib)
    log["summary"]["total_s"] = time.time() - t_start
    log_path.write_text(json.dumps(log, indent=1))
    print(json.dumps(log["summary"]), flush=True)


if __name__ == "__main__":
    main()
