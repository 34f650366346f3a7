"""The engine: segment, decompose, retrieve, judge, aggregate.

An `Engine` is built once per process (models load lazily on first use) and is then a pure
function of (claim, documents). The judge is chosen at construction: "symbolic" needs nothing,
"learned" needs the ONNX judge model, "combined" uses both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import cast

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
from workers.engine.head import FEATURES, Head, outcome, with_rule
from workers.engine.head import load as load_head
from workers.engine.judges import (
    SYMBOLIC,
    Judge,
    PairModel,
    make_judge,
)
from workers.engine.lexicon import cues
from workers.engine.relations import RELATION_FEATURES, passage_relations
from workers.engine.retrieve import Passage, fuse, passages, rank
from workers.engine.symbolic import (
    Features,
    Rules,
    features,
    greedy_cover,
    misplaced_subjects,
    topic_relevance,
)
from workers.engine.terms import Term, analyse
from workers.engine.types import Document, Label, PartVerdict, Verdict

ENGINE_VERSION = "0.1.0"
TOP_K = 12  # passages judged per claim part (the cross-encoder reads `MODEL_TOP_K` of them)
JOINT = 3  # passages whose joint coverage can support a part
CUE_WINDOW = 5  # top passages whose reporting/debunking language counts
DENSE_POOL = 32  # BM25's best passages that the dense model re-ranks (all, for short texts)
VECTOR_CACHE = 20_000  # passage embeddings kept per process (an article is ~50)
JUDGE_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "judge"


# The default judge: whichever measured best on the untouched dev files within the speed target
# (docs/evaluation.md, "Refit on training data only"). Refitted on training data alone, the
# model judges score below the symbolic one on the demo claims, WiCE and PolitiHop; they stay
# opt-in (`FACTDESK_ENGINE_JUDGE`, `Engine(judge=...)`).
DEFAULT_JUDGE = SYMBOLIC


def default_judge() -> str:
    """`DEFAULT_JUDGE`; a model judge only where its model ships, else the symbolic judge."""
    if DEFAULT_JUDGE == SYMBOLIC or any(JUDGE_MODEL_DIR.glob("*.onnx")):
        return DEFAULT_JUDGE
    return SYMBOLIC


@dataclass(frozen=True)
class PartResult:
    """One claim part, decided, with what the verdict's `details` log about it."""

    verdict: PartVerdict
    signals: Signals
    components: dict[str, list[float]]  # each judge's best support/refute
    features: dict[str, float]  # the learned head's inputs ({} without a model judge)
    passages: list[Features]  # each ranked passage's symbolic features (refitting the rules)


class Engine:
    """Check claims against documents with one judge, fixed at construction.

    `judge` defaults to `default_judge()`; `dense` (hybrid retrieval) defaults to on for the
    model judges and off for the symbolic one; `top_k` is the number of passages judged per part.
    A model judge decides with its fitted head (`data/head.json`) where there is one; `head`
    swaps in another or, when False, keeps the thresholds (how the head's data is collected).
    `threads`: onnxruntime threads of the models (None: all cores; `settings.py` reads
    `FACTDESK_ENGINE_THREADS` and the service passes it). `decompose=False` judges the claim
    whole instead of part by part (an ablation of that layer for `make eval`).
    `relations` turns the relation layer (who did what to whom, `relations.py`) on or off, so
    an evaluation can measure what it adds.
    """

    def __init__(
        self,
        judge: str | None = None,
        thresholds: Thresholds | None = None,
        dense: bool | None = None,
        top_k: int | None = None,
        head: Head | None | bool = True,
        threads: int | None = None,
        decompose: bool = True,
        relations: bool = True,
    ) -> None:
        self.threads = threads
        # The symbolic rules' constants, fitted with its thresholds; every judge mixes them in.
        self.rules = Rules(**fitted_for(SYMBOLIC).get("rules", {}))
        self.judge: Judge = make_judge(judge or default_judge(), self._model, self.rules)
        judge = self.judge.name
        if self.judge.uses_model and not any(JUDGE_MODEL_DIR.glob("*.onnx")):
            raise ValueError(f"the {judge} judge needs a model in {JUDGE_MODEL_DIR}")
        self.decompose = decompose
        self.thresholds = thresholds or Thresholds.for_judge(judge)
        self._rule = Thresholds.for_judge(SYMBOLIC)  # the symbolic decision the head reads
        if not self.judge.uses_model or head is False:
            self.head = None
        else:
            self.head = head if isinstance(head, Head) else load_head(judge)
        # A head's probabilities are its calibration; thresholds need a fitted one.
        fitted = not thresholds and self.head is None
        self.calibration = Calibration.for_judge(judge) if fitted else Calibration()
        # The learned judges pay for a model anyway; the symbolic engine stays model-free.
        self.dense = self.judge.uses_model if dense is None else dense
        self.top_k = top_k or TOP_K
        self.relations = relations
        self._vectors: dict[str, np.ndarray] = {}

    @property
    def judge_name(self) -> str:
        return self.judge.name

    @property
    def version(self) -> str:
        """Release, judge and a fingerprint of the data files: any refit changes the version,
        so verdicts cached under the old one are not served."""
        decider = "head" if self.head is not None else "rules"
        decider += "" if self.relations else "-norel"
        return f"{ENGINE_VERSION}+{self.judge_name}.{decider}.{data_fingerprint()}"

    def check(self, claim: str, documents: Sequence[Document]) -> Verdict:
        """Return the verdict on `claim` given `documents`."""
        candidates = passages(documents)
        text = claim.strip()
        claim_parts = decompose(text, structural=self.relations) if self.decompose else [text]
        decided = [self._check_part(part, candidates) for part in claim_parts]
        parts = [
            replace(
                d.verdict,
                confidence=round(self.calibration(d.verdict.label, d.verdict.confidence), 4),
            )
            for d in decided
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
                "signals": [d.signals.as_dict() for d in decided],
                # Each judge's own best support/refute, so one run can refit all of them.
                "components": [d.components for d in decided],
                # The learned head's inputs, so one run can refit the head.
                "features": [d.features for d in decided],
                # Each ranked passage's symbolic features, so one run can refit the rules.
                "passages": [d.passages for d in decided],
            },
        )

    def _model(self) -> PairModel:
        """The cross-encoder the model judges read (looked up per call: tests replace it)."""
        return learned_judge(self.threads)

    def _check_part(self, part: str, candidates: Sequence[Passage]) -> PartResult:
        claim_terms = analyse(part)
        ranked, dense_max = self._retrieve(part, claim_terms, candidates)
        # Relation checks parse the part (~5 ms) and each retrieved sentence once per process.
        relations = passage_relations(part, ranked) if self.relations else [None] * len(ranked)
        feats = [
            features(claim_terms, p.terms, p.context_terms, p.text, part, r)
            for p, r in zip(ranked, relations, strict=True)
        ]
        scores = self.judge.score(part, ranked, feats)
        probs, model_probs = scores.own, scores.model
        components = {
            name: [round(float(p[:, 0].max()), 4), round(float(p[:, 1].max()), 4)]
            for name, p in scores.by_judge.items()
            if len(p)
        }
        relevance = [f.strength for f in feats]
        coverage, cover = _joint_coverage(claim_terms, ranked, feats)
        topic = _topic_relevance(claim_terms, candidates)
        top = feats[:CUE_WINDOW]
        hedging = sum(f.hedged for f in top) / len(top) if top else 0.0
        debunking = sum(f.refute_cue for f in top) / len(top) if top else 0.0
        context = Signals(0.0, 0.0, coverage, topic, hedging, debunking)
        head_input: dict[str, float] = {}
        decision = None
        if model_probs is not None:
            head_input = self._head_input(
                claim_terms,
                candidates,
                ranked,
                feats,
                scores.by_judge[SYMBOLIC],
                model_probs,
                context,
                dense_max,
            )
            if self.head is not None and ranked:
                label, confidence, on_topic = outcome(self.head.predict([head_input])[0])
                decision = (cast(Label, label), confidence, on_topic)
        verdict, signals = judge_part(
            part, ranked, probs, relevance, self.thresholds, context, cover, decision
        )
        return PartResult(verdict, signals, components, head_input, list(feats))

    def _head_input(
        self,
        claim_terms: Sequence[Term],
        candidates: Sequence[Passage],
        ranked: Sequence[Passage],
        feats: Sequence[Features],
        symbolic: np.ndarray,
        model: np.ndarray,
        context: Signals,
        dense_max: float,
    ) -> dict[str, float]:
        """The features the learned head decides from (`head.FEATURES`), rounded for the log."""
        top = feats[:CUE_WINDOW]
        strengths = [f.strength for f in top] or [0.0]
        doc_hedge, doc_debunk = self._cue_rates(candidates)
        scored = model if len(model) else np.asarray([[0.0, 0.0, 1.0]])
        row = {
            "ce_sup_max": scored[:, 0].max(),
            "ce_ref_max": scored[:, 1].max(),
            "ce_neu_min": scored[:, 2].min(),
            "ce_sup_top1": scored[0, 0],
            "ce_ref_top1": scored[0, 1],
            "ce_sup_mean": scored[:, 0].mean(),
            "ce_ref_mean": scored[:, 1].mean(),
            "topic": context.relevance,
            "strength_max": max(strengths),
            "strength_mean": sum(strengths) / len(strengths),
            "dense_max": dense_max,
            "doc_hedge": doc_hedge,
            "doc_debunk": doc_debunk,
            "log_passages": float(np.log1p(len(candidates))),
            "claim_terms": float(np.log1p(len(claim_terms))),
            "sym_sup_max": symbolic[:, 0].max() if len(symbolic) else 0.0,
            "sym_ref_max": symbolic[:, 1].max() if len(symbolic) else 0.0,
            "coverage": context.coverage,
            "hedging": context.hedging,
            "debunking": context.debunking,
            "conflict": sum(f.conflict for f in top) / len(top) if top else 0.0,
            "number_conflict": sum(f.number_conflict for f in top) / len(top) if top else 0.0,
            "missing_entities": float(min(f.missing_entities for f in top)) if top else 0.0,
            # relation checks: share of the top passages with each (`RELATION_FEATURES`)
            **{
                name: sum(f.relation_features()[name] for f in top) / len(top) if top else 0.0
                for name in RELATION_FEATURES
            },
        }
        row = with_rule({k: round(float(v), 5) for k, v in row.items()}, self._rule)
        assert set(FEATURES["combined"]) <= set(row)
        return row

    def _cue_rates(self, candidates: Sequence[Passage]) -> tuple[float, float]:
        """Shares of all sentences with reporting and with debunking language (FNC-1's discuss
        articles report throughout, not only in the best-matching sentence). `cues` is
        cached per sentence, so further claims on a stored article cost little."""
        if not candidates:
            return 0.0, 0.0
        found = [cues(p.text) for p in candidates]
        return (
            sum(bool(h) for h, _ in found) / len(found),
            sum(bool(r) for _, r in found) / len(found),
        )

    def _retrieve(
        self, part: str, claim_terms: Sequence[Term], candidates: Sequence[Passage]
    ) -> tuple[list[Passage], float]:
        """The best `top_k` passages, best first, and the best dense similarity (0 without)."""
        if not self.dense:
            return rank(claim_terms, candidates, self.top_k), 0.0
        pool = (
            list(candidates)
            if len(candidates) <= DENSE_POOL
            else rank(claim_terms, candidates, DENSE_POOL)
        )
        if not pool:
            return [], 0.0
        model = embedder(self.threads)
        query = model.embed([part])[0]
        similarity = self._passage_vectors(pool, model) @ query
        return fuse(claim_terms, pool, similarity, self.top_k), float(similarity.max())

    def _passage_vectors(self, pool: Sequence[Passage], model: Embedder) -> np.ndarray:
        # Keyed by what the model reads, so the same text under another document id is free.
        keys = [_passage_text(p) for p in pool]
        missing = [i for i, key in enumerate(keys) if key not in self._vectors]
        if missing:
            if len(self._vectors) > VECTOR_CACHE:
                self._vectors.clear()
            fresh = model.embed([keys[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                self._vectors[keys[i]] = vector
        return np.stack([self._vectors[key] for key in keys])


@lru_cache(maxsize=1)
def data_fingerprint() -> str:
    """Eight hex digits of a hash over the engine's data files (lexicons, thresholds, models)."""
    digest = hashlib.sha256()
    data = Path(__file__).with_name("data")
    for path in sorted([*data.glob("*.json"), *JUDGE_MODEL_DIR.glob("*.onnx")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


@lru_cache(maxsize=2)
def learned_judge(threads: int | None = None) -> PairModel:
    """The process-wide learned judge (an int8 ONNX cross-encoder), loaded on first use."""
    from workers.engine.learned import LearnedJudge

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


def _passage_text(passage: Passage) -> str:
    """What the dense model reads: the sentence after its document title, if any."""
    title = passage.document.title
    return f"{title}. {passage.text}" if title else passage.text
