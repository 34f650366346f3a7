"""The learned head: a small softmax model that decides a claim part from its features.

A cross-encoder scores one sentence against one claim; a verdict needs more than that. FNC-1's
"discuss" articles state the claim and only report it, WiCE's partial support covers most of a
claim but not all of it, and an off-topic document must cite nothing. So the model judges hand
the head a short vector of per-part features (the cross-encoder's probabilities over the best
passages, coverage, topic relevance, hedging and debunking language, and, for the "combined"
judge, the symbolic judge's agreement checks), and the head returns four outcomes:

SUPPORTED, REFUTED, DISCUSSED (NOT_ENOUGH_INFO, but the documents are about the claim: cite
them) and UNRELATED (NOT_ENOUGH_INFO, cite nothing).

It is softmax regression over a few standardised features (the format also holds a hidden
layer), fitted by `training/fit_head.py` on training data only (never on the dev files, which
only choose among a handful of variants) and shipped in `data/head.json`; a judge ships a head
only where it beat its plain threshold rule on the dev files. Inference is a few numpy products.
`FEATURES` lists what the engine computes for a head; a fitted head reads a subset (`Head.names`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workers.engine.aggregate import Signals, Thresholds, decide

HEAD_FILE = Path(__file__).with_name("data") / "head.json"
OUTCOMES = ("SUPPORTED", "REFUTED", "DISCUSSED", "UNRELATED")

# What the cross-encoder and retrieval say, without the symbolic judge's rules.
MODEL_FEATURES = (
    "ce_sup_max",
    "ce_ref_max",
    "ce_neu_min",
    "ce_sup_top1",
    "ce_ref_top1",
    "ce_sup_mean",
    "ce_ref_mean",
    "topic",
    "strength_max",
    "strength_mean",
    "dense_max",
    "doc_hedge",
    "doc_debunk",
    "log_passages",
    "claim_terms",
)
# ... plus the symbolic judge's agreement checks and its own decision (`with_rule`).
SYMBOLIC_FEATURES = (
    "rule_sup",
    "rule_ref",
    "rule_topic",
    "sym_sup_max",
    "sym_ref_max",
    "coverage",
    "hedging",
    "debunking",
    "conflict",
    "number_conflict",
    "missing_entities",
)
FEATURES = {"learned": MODEL_FEATURES, "combined": MODEL_FEATURES + SYMBOLIC_FEATURES}


@dataclass(frozen=True)
class Head:
    """Standardise, then zero or one hidden ReLU layer, then softmax over `OUTCOMES`."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weights, bias) per layer

    def predict(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """(n, 4) outcome probabilities for feature dicts (missing features count as 0)."""
        x = np.asarray([[float(r.get(n, 0.0)) for n in self.names] for r in rows], dtype=float)
        return self.predict_matrix(x.reshape(len(rows), len(self.names)))

    def predict_matrix(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.scale
        for i, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if i < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        h = np.exp(h - h.max(axis=1, keepdims=True))
        return h / h.sum(axis=1, keepdims=True)

    def as_dict(self) -> dict:
        return {
            "features": list(self.names),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "layers": [
                {"w": w.round(6).tolist(), "b": b.round(6).tolist()} for w, b in self.layers
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Head:
        layers = tuple(
            (np.asarray(layer["w"], dtype=float), np.asarray(layer["b"], dtype=float))
            for layer in data["layers"]
        )
        if layers[-1][0].shape[1] != len(OUTCOMES):
            raise ValueError(f"a head must output {len(OUTCOMES)} outcomes")
        return cls(
            tuple(data["features"]),
            np.asarray(data["mean"], dtype=float),
            np.asarray(data["scale"], dtype=float),
            layers,
        )


def with_rule(row: Mapping[str, float], thresholds: Thresholds) -> dict[str, float]:
    """`row` plus what the symbolic judge's rule decides from its own signals in it.

    The rule is hand-built and reliable on clean news text (the demo article); the head learns
    where the cross-encoder should overrule it, rather than relearning it from scratch.
    """
    signals = Signals(
        row["sym_sup_max"],
        row["sym_ref_max"],
        row["coverage"],
        row["topic"],
        row["hedging"],
        row["debunking"],
    )
    label, _ = decide(signals, thresholds)
    return {
        **row,
        "rule_sup": float(label == "SUPPORTED"),
        "rule_ref": float(label == "REFUTED"),
        "rule_topic": float(row["topic"] >= thresholds.relevant),
    }


def load(judge: str, path: Path = HEAD_FILE) -> Head | None:
    """The fitted head of `judge`, or None where none was fitted."""
    if not path.is_file():
        return None
    entry = json.loads(path.read_text(encoding="utf-8")).get(judge)
    return Head.from_dict(entry["head"]) if entry else None


def outcome(probs: np.ndarray) -> tuple[str, float, bool]:
    """(label, confidence, on topic) from one row of outcome probabilities.

    NOT_ENOUGH_INFO's confidence is the mass of both of its outcomes; "on topic" says whether
    the documents are about the claim, so that a NOT_ENOUGH_INFO verdict cites them.
    """
    best = int(np.argmax(probs))
    on_topic = OUTCOMES[best] != "UNRELATED"
    if OUTCOMES[best] in ("SUPPORTED", "REFUTED"):
        return OUTCOMES[best], float(probs[best]), on_topic
    return "NOT_ENOUGH_INFO", float(probs[2] + probs[3]), on_topic
