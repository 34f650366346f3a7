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
import onnxruntime as ort
from tokenizers import Tokenizer

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
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.max_length, strategy="longest_first")
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_file or model_dir / config.get("onnx", "model.int8.onnx")),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        probs = np.zeros((len(pairs), len(COLUMNS)), dtype=np.float32)
        if not pairs:
            return probs
        encodings = self._tokenizer.encode_batch([(e, c) for e, c in pairs])
        # Similar lengths share a batch, so little compute goes to padding.
        order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            probs[idx] = self._run([encodings[i] for i in idx])
        return probs

    def _run(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        shape = (len(encodings), width)
        feed = {
            "input_ids": np.zeros(shape, dtype=np.int64),
            "attention_mask": np.zeros(shape, dtype=np.int64),
            "token_type_ids": np.zeros(shape, dtype=np.int64),
        }
        for row, e in enumerate(encodings):
            n = len(e.ids)
            feed["input_ids"][row, :n] = e.ids
            feed["attention_mask"][row, :n] = 1
            feed["token_type_ids"][row, :n] = e.type_ids
        feed = {k: v for k, v in feed.items() if k in self._inputs}
        (logits,) = self._session.run(["logits"], feed)
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)
