"""The engine: segment, decompose, retrieve, judge, aggregate.

An `Engine` is built once per process (models load lazily on first use) and is then a pure
function of (claim, documents). The judge is chosen at construction: "symbolic" needs nothing,
"learned" needs the ONNX judge model, "combined" uses both.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from workers.engine.aggregate import (
    Signals,
    Thresholds,
    combine,
    fitted_for,
    judge_part,
    merge_evidence,
)
from workers.engine.calibration import Calibration
from workers.engine.decompose import decompose
from workers.engine.dense import Embedder, embedder
from workers.engine.retrieve import Passage, fuse, passages, rank
from workers.engine.symbolic import (
    Features,
    features,
    greedy_cover,
    misplaced_subjects,
    probabilities,
    topic_relevance,
)
from workers.engine.terms import Term, analyse
from workers.engine.types import Document, PartVerdict, Verdict

ENGINE_VERSION = "0.1.0"
TOP_K = 12  # passages judged per claim part by the symbolic judge
MODEL_TOP_K = 6  # ... by a model judge, which costs milliseconds per passage
JOINT = 3  # passages whose joint coverage can support a part
CUE_WINDOW = 5  # top passages whose reporting/debunking language counts
DENSE_POOL = 32  # BM25's best passages that the dense model re-ranks (all, for short texts)
COMBINED_WEIGHT = 0.5  # the learned judge's share in the "combined" judge
VECTOR_CACHE = 20_000  # passage embeddings kept per process (an article is ~50)
JUDGES = ("symbolic", "learned", "combined")
JUDGE_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "judge"


def default_judge() -> str:
    """The learned judge once its model ships and its thresholds are fitted; else symbolic.

    Both conditions: an unfitted judge would run on placeholder thresholds.
    """
    fitted = bool(fitted_for("learned").get("thresholds"))
    return "learned" if fitted and any(JUDGE_MODEL_DIR.glob("*.onnx")) else "symbolic"


class Engine:
    """Check claims against documents with one judge, fixed at construction.

    `judge` defaults to `default_judge()`; `dense` (hybrid retrieval) defaults to on for the
    model judges and off for the symbolic one; `top_k` is the number of passages judged per part.
    """

    def __init__(
        self,
        judge: str | None = None,
        thresholds: Thresholds | None = None,
        dense: bool | None = None,
        top_k: int | None = None,
    ) -> None:
        judge = judge or default_judge()
        if judge not in JUDGES:
            raise ValueError(f"unknown judge {judge!r}; expected one of {', '.join(JUDGES)}")
        if judge != "symbolic" and not any(JUDGE_MODEL_DIR.glob("*.onnx")):
            raise ValueError(f"the {judge} judge needs a model in {JUDGE_MODEL_DIR}")
        self.judge_name = judge
        self.thresholds = thresholds or Thresholds.for_judge(judge)
        self.calibration = Calibration() if thresholds else Calibration.for_judge(judge)
        # The learned judges pay for a model anyway; the symbolic engine stays model-free.
        self.dense = judge != "symbolic" if dense is None else dense
        self.top_k = top_k or (TOP_K if judge == "symbolic" else MODEL_TOP_K)
        self._vectors: dict[tuple[str, str], np.ndarray] = {}

    @property
    def version(self) -> str:
        """Release, judge and a fingerprint of the data files: any refit changes the version,
        so verdicts cached under the old one are not served."""
        return f"{ENGINE_VERSION}+{self.judge_name}.{data_fingerprint()}"

    def check(self, claim: str, documents: Sequence[Document]) -> Verdict:
        """Return the verdict on `claim` given `documents`."""
        candidates = passages(documents)
        decided = [self._check_part(part, candidates) for part in decompose(claim.strip())]
        parts = [
            replace(part, confidence=round(self.calibration(part.label, part.confidence), 4))
            for part, _, _ in decided
        ]
        label, confidence = combine(parts)
        return Verdict(
            claim=claim,
            label=label,
            confidence=round(confidence, 4),
            evidence=merge_evidence(parts),
            parts=tuple(parts) if len(parts) > 1 else (),
            engine_version=self.version,
            details={
                "judge": self.judge_name,
                "signals": [s.as_dict() for _, s, _ in decided],
                # Each judge's own best support/refute, so one run can refit all of them.
                "components": [c for _, _, c in decided],
            },
        )

    def _check_part(
        self, part: str, candidates: Sequence[Passage]
    ) -> tuple[PartVerdict, Signals, dict[str, list[float]]]:
        claim_terms = analyse(part)
        ranked = self._retrieve(part, claim_terms, candidates)
        feats = [features(claim_terms, p.terms, p.context_terms, p.text, part) for p in ranked]
        by_judge = self._probabilities(part, ranked, feats)
        probs = by_judge[self.judge_name]
        components = {
            name: [round(float(p[:, 0].max()), 4), round(float(p[:, 1].max()), 4)]
            for name, p in by_judge.items()
            if len(p)
        }
        relevance = [f.strength for f in feats]
        coverage, cover = _joint_coverage(claim_terms, ranked, feats)
        topic = _topic_relevance(claim_terms, candidates)
        top = feats[:CUE_WINDOW]
        hedging = sum(f.hedged for f in top) / len(top) if top else 0.0
        debunking = sum(f.refute_cue for f in top) / len(top) if top else 0.0
        verdict, signals = judge_part(
            part,
            ranked,
            probs,
            relevance,
            self.thresholds,
            Signals(0.0, 0.0, coverage, topic, hedging, debunking),
            cover,
        )
        return verdict, signals, components

    def _retrieve(
        self, part: str, claim_terms: Sequence[Term], candidates: Sequence[Passage]
    ) -> list[Passage]:
        if not self.dense:
            return rank(claim_terms, candidates, self.top_k)
        pool = (
            list(candidates)
            if len(candidates) <= DENSE_POOL
            else rank(claim_terms, candidates, DENSE_POOL)
        )
        if not pool:
            return []
        model = embedder()
        query = model.embed([part])[0]
        similarity = self._passage_vectors(pool, model) @ query
        return fuse(claim_terms, pool, similarity, self.top_k)

    def _passage_vectors(self, pool: Sequence[Passage], model: Embedder) -> np.ndarray:
        keys = [(p.document.id, p.text) for p in pool]
        missing = [i for i, key in enumerate(keys) if key not in self._vectors]
        if missing:
            if len(self._vectors) > VECTOR_CACHE:
                self._vectors.clear()
            fresh = model.embed([_passage_text(pool[i]) for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                self._vectors[keys[i]] = vector
        return np.stack([self._vectors[key] for key in keys])

    def _probabilities(
        self, part: str, ranked: Sequence[Passage], feats: Sequence[Features]
    ) -> dict[str, np.ndarray]:
        """(n, 3) probabilities per judge that was run; the engine's own judge is among them."""
        symbolic = np.asarray([probabilities(f) for f in feats], dtype=float).reshape(-1, 3)
        if self.judge_name == "symbolic" or not ranked:
            return dict.fromkeys(JUDGES, symbolic)
        pairs = [(_judge_text(p), part) for p in ranked]
        learned = np.asarray(learned_judge().predict(pairs), dtype=float).reshape(-1, 3)
        combined = COMBINED_WEIGHT * learned + (1 - COMBINED_WEIGHT) * symbolic
        return {"symbolic": symbolic, "learned": learned, "combined": combined}


@lru_cache(maxsize=1)
def data_fingerprint() -> str:
    """Eight hex digits of a hash over the engine's data files (lexicons, thresholds, models)."""
    digest = hashlib.sha256()
    data = Path(__file__).with_name("data")
    for path in sorted([*data.glob("*.json"), *JUDGE_MODEL_DIR.glob("*.onnx")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


@lru_cache(maxsize=1)
def learned_judge() -> object:
    """The process-wide learned judge (an int8 ONNX cross-encoder), loaded on first use."""
    from workers.engine.learned import LearnedJudge

    threads = int(os.environ.get("FACTDESK_ENGINE_THREADS", "0")) or None
    return LearnedJudge(threads=threads)


def _joint_coverage(
    claim_terms: Sequence[Term], ranked: Sequence[Passage], feats: Sequence[Features]
) -> tuple[float, list[int]]:
    """Coverage of the part by up to `JOINT` asserting passages, and which ones (in `ranked`).

    Only passages that assert count (no conflict, hedge, debunking or quantity conflict), and a
    passage never contributes a claim subject it names in another role.
    """
    asserting = [
        i
        for i, f in enumerate(feats)
        if not (f.conflict or f.hedged or f.refute_cue or f.number_conflict)
    ]
    misplaced = misplaced_subjects(feats)
    chosen_from = [
        (
            _without(ranked[i].terms, feats[i].unbound | misplaced),
            _without(ranked[i].context_terms, feats[i].unbound | misplaced),
        )
        for i in asserting
    ]
    coverage, cover = greedy_cover(claim_terms, chosen_from, JOINT)
    return coverage, [asserting[i] for i in cover]


def _topic_relevance(claim_terms: Sequence[Term], candidates: Sequence[Passage]) -> float:
    """The best topic relevance over the documents the candidates come from."""
    documents = {id(p.document): p.document for p in candidates}.values()
    return max(
        (
            topic_relevance(claim_terms, [p.terms for p in candidates if p.document is d])
            for d in documents
        ),
        default=0.0,
    )


def _without(terms: Sequence[Term], keys: frozenset[str]) -> list[Term]:
    return [t for t in terms if t.key not in keys]


def _judge_text(passage: Passage) -> str:
    """What the learned judge reads as evidence: context (title, previous sentence), sentence."""
    return f"{passage.context} {passage.text}" if passage.context else passage.text


def _passage_text(passage: Passage) -> str:
    """What the dense model reads: the sentence after its document title, if any."""
    title = passage.document.title
    return f"{title}. {passage.text}" if title else passage.text
