"""Trained fp16 weights -> ONNX fp32 -> per-channel int8 ONNX (then `training.check_quant`).

    python -m training.export --weights training/out/full --data .device --out workers/models/judge

`--weights` holds `model.fp16.safetensors.part*` (as `training.train` writes them) or a whole
`model.fp16.safetensors`. Per-channel dynamic quantisation matters: the default per-tensor scheme
cost 8 points of accuracy in the first try (`../shared/notes/feasibility-minilm.md`).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from safetensors.torch import load

from training.train import LABELS, load_model

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class _Logits(torch.nn.Module):
    """Positional inputs, logits out: the signature the ONNX graph and `LearnedJudge` share."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).logits


def trained_state(weights: Path) -> dict[str, torch.Tensor]:
    """The weights in `weights`: fp16 parts, a whole fp16 file, or a training checkpoint (.pt)."""
    if weights.suffix == ".pt":
        return torch.load(weights, map_location="cpu", weights_only=False)["model"]
    parts = sorted(weights.glob("model.fp16.safetensors.part*"), key=lambda p: int(p.suffix[5:]))
    blob = (
        b"".join(p.read_bytes() for p in parts)
        if parts
        else (weights / "model.fp16.safetensors").read_bytes()
    )
    return {k: v.float() for k, v in load(blob).items()}


def export_onnx(model: torch.nn.Module, path: Path) -> None:
    example = tuple(torch.ones((2, 16), dtype=torch.long) for _ in INPUTS)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    torch.onnx.export(
        _Logits(model).eval(), example, str(path), input_names=list(INPUTS),
        output_names=["logits"], dynamic_axes={**dynamic, "logits": {0: "batch"}},
        opset_version=17, dynamo=False,
    )  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weights", type=Path, default=Path("training/out/full"))
    ap.add_argument("--data", type=Path, default=Path(".device"))
    ap.add_argument("--out", type=Path, default=Path("workers/models/judge"))
    ap.add_argument("--max-len", type=int, default=256)
    args = ap.parse_args()

    model = load_model(args.data / "base")
    model.load_state_dict(trained_state(args.weights))
    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    fp32 = (args.weights.parent if args.weights.is_file() else args.weights) / "model.fp32.onnx"
    export_onnx(model, fp32)
    int8 = args.out / "model.int8.onnx"
    quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
    shutil.copy(args.data / "base" / "tokenizer.json", args.out / "tokenizer.json")
    config = {"labels": list(LABELS), "max_length": args.max_len, "onnx": int8.name,
              "base_model": "sentence-transformers/all-MiniLM-L6-v2",
              "pair_order": "(evidence, claim): evidence is segment A, claim is B"}  # fmt: skip
    (args.out / "config.json").write_text(json.dumps(config, indent=1) + "\n")

    print(f"wrote {int8} ({int8.stat().st_size / 2**20:.1f} MiB) and {fp32}")


if __name__ == "__main__":
    main()
