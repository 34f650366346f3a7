"""The engine: segment, decompose, retrieve, judge, aggregate.

An `Engine` is built once per process (models load lazily on first use) and is then a pure
function of (claim, documents). The judge is chosen at construction: "symbolic" needs nothing,
"learned" needs the ONNX judge model, "combined" uses both.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workers.engine.aggregate import Signals, Thresholds, combine, judge_part, merge_evidence
from workers.engine.decompose import decompose
from workers.engine.retrieve import Passage, passages, rank
from workers.engine.symbolic import (
    Features,
    features,
    joint_coverage,
    probabilities,
    topic_relevance,
)
from workers.engine.terms import analyse
from workers.engine.types import Document, PartVerdict, Verdict

ENGINE_VERSION = "0.1.0"
TOP_K = 12  # passages judged per claim part
JOINT = 3  # passages whose joint coverage can support a part
JUDGES = ("symbolic", "learned", "combined")
JUDGE_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "judge"


def default_judge() -> str:
    """The learned judge once its model ships in the repo, the symbolic judge until then."""
    return "learned" if any(JUDGE_MODEL_DIR.glob("*.onnx")) else "symbolic"


class Engine:
    """Check claims against documents with one judge, fixed at construction."""

    def __init__(self, judge: str = "symbolic", thresholds: Thresholds | None = None) -> None:
        if judge not in JUDGES:
            raise ValueError(f"unknown judge {judge!r}; expected one of {', '.join(JUDGES)}")
        self.judge_name = judge
        self.thresholds = thresholds or Thresholds.for_judge(judge)

    @property
    def version(self) -> str:
        return f"{ENGINE_VERSION}+{self.judge_name}"

    def check(self, claim: str, documents: Sequence[Document]) -> Verdict:
        """Return the verdict on `claim` given `documents`."""
        candidates = passages(documents)
        decided = [self._check_part(part, candidates) for part in decompose(claim.strip())]
        parts = [part for part, _ in decided]
        label, confidence = combine(parts)
        return Verdict(
            claim=claim,
            label=label,
            confidence=round(confidence, 4),
            evidence=merge_evidence(parts),
            parts=tuple(parts) if len(parts) > 1 else (),
            engine_version=self.version,
            details={"judge": self.judge_name, "signals": [s.as_dict() for _, s in decided]},
        )

    def _check_part(self, part: str, candidates: Sequence[Passage]) -> tuple[PartVerdict, Signals]:
        claim_terms = analyse(part)
        ranked = rank(claim_terms, candidates, TOP_K)
        feats = [features(claim_terms, p.terms, p.context_terms, p.text, part) for p in ranked]
        probs = self._probabilities(part, ranked, feats)
        relevance = [f.strength for f in feats]
        # Joint coverage counts only passages that assert (not report, not contradict) the part.
        asserting = sorted(
            (i for i, f in enumerate(feats) if not (f.conflict or f.hedged or f.refute_cue)),
            key=lambda i: -feats[i].strength,
        )[:JOINT]
        coverage = joint_coverage(
            claim_terms, [(ranked[i].terms, ranked[i].context_terms) for i in asserting]
        )
        topic = max(
            (
                topic_relevance(claim_terms, [p.terms for p in candidates if p.document is d])
                for d in {id(p.document): p.document for p in candidates}.values()
            ),
            default=0.0,
        )
        return judge_part(part, ranked, probs, relevance, self.thresholds, coverage, topic)

    def _probabilities(
        self, part: str, ranked: Sequence[Passage], feats: Sequence[Features]
    ) -> np.ndarray:
        return np.asarray([probabilities(f) for f in feats], dtype=float).reshape(len(feats), 3)
