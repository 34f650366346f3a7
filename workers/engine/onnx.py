"""One ONNX model runner for the engine's models: tokenise, pad, run on CPU.

The embedder (`dense.py`) and the cross-encoder (`learned.py`) share it, as sentence-transformers'
`CrossEncoder` and `SentenceTransformer` share one backend: the session, its thread count and the
tokenizer's truncation are fixed when the model loads, so a call only feeds and reads tensors.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Encoding

Text = str | tuple[str, str]  # one text, or a (first, second) pair for a cross-encoder


class OnnxModel:
    """A tokenizer and an onnxruntime CPU session, loaded once.

    onnxruntime is imported here, not at module level, so the symbolic engine, which never
    builds a model, does not pay for importing it.

    `threads` sets onnxruntime's intra-op threads (None or 0: onnxruntime's default, all cores);
    a worker process among several wants 1. Inputs the graph does not declare (a model exported
    without `token_type_ids`) are left out of the feed.
    """

    def __init__(
        self,
        model: Path | str,
        tokenizer: Path | str,
        max_length: int,
        *,
        threads: int | None = None,
        truncation: str = "longest_first",
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.max_length = max_length
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()  # padded per batch below, to the batch's longest input
        self._tokenizer.enable_truncation(max_length=max_length, strategy=truncation)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: Sequence[Text]) -> list[Encoding]:
        """Tokenise texts or (first, second) pairs, truncated to `max_length` tokens."""
        return self._tokenizer.encode_batch(list(texts))

    def run(self, encodings: Sequence[Encoding], output: str) -> tuple[np.ndarray, np.ndarray]:
        """Run one batch, zero-padded to its longest input: (the named output, attention mask)."""
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
        mask = feed["attention_mask"]
        (result,) = self._session.run(
            [output], {k: v for k, v in feed.items() if k in self._inputs}
        )
        return result, mask


def length_batches(lengths: Sequence[int], size: int) -> Iterator[list[int]]:
    """Indices in batches of `size`, shortest inputs first, so little compute goes to padding."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    for lo in range(0, len(order), size):
        yield order[lo : lo + size]
