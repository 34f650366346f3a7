"""The learned judge: our fine-tuned MiniLM cross-encoder, served as int8 ONNX.

One `LearnedJudge` per worker process: it loads `workers/models/judge/` (model.int8.onnx,
tokenizer.json, config.json) once, and `predict` scores (evidence, claim) pairs in batches. The
model and its recipe are described in `workers/models/judge/MODEL_CARD.md`; how it was trained is
in `training/` and `docs/model.md`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workers.engine.onnx import OnnxModel, length_batches

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "judge"
COLUMNS = ("supports", "refutes", "neutral")


class LearnedJudge:
    """`predict(pairs)` -> (n, 3) probabilities in the order (supports, refutes, neutral).

    Each pair is (evidence_text, claim_text). `threads` sets onnxruntime's intra-op threads
    (None: onnxruntime's default, all cores); a Celery worker with several processes wants 1.
    `model_file` swaps in another ONNX graph of the same model (the fp32 export, when checking
    quantisation); by default the one `config.json` names.
    """

    def __init__(
        self,
        model_dir: Path | str = MODEL_DIR,
        *,
        threads: int | None = None,
        batch_size: int = 16,
        max_length: int | None = None,
        model_file: Path | str | None = None,
    ) -> None:
        model_dir = Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if tuple(config["labels"]) != COLUMNS:
            raise ValueError(f"{model_dir} has labels {config['labels']}, expected {COLUMNS}")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self.max_length = max_length or int(config["max_length"])
        self._model = OnnxModel(
            model_file or model_dir / config.get("onnx", "model.int8.onnx"),
            model_dir / "tokenizer.json",
            self.max_length,
            threads=threads,
        )

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        probs = np.zeros((len(pairs), len(COLUMNS)), dtype=np.float32)
        if not pairs:
            return probs
        encodings = self._model.encode(pairs)
        for idx in length_batches([len(e.ids) for e in encodings], self.batch_size):
            logits, _ = self._model.run([encodings[i] for i in idx], "logits")
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs[idx] = shifted / shifted.sum(axis=1, keepdims=True)
        return probs
