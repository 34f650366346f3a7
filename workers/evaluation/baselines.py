"""Reference rows for the evaluation table: a token-overlap floor and the cross-encoder alone.

Issue #9 asks that every number stand next to its floor and that we see what the layers on top
of the model add. Both baselines answer `check(claim, documents) -> Verdict` like the engine, so
`factdesk eval --baseline NAME` scores them with the same runner and metrics.

- `overlap`: SUPPORTED iff the best 1- or 2-sentence window contains at least `support` of the
  claim's content words; never REFUTED; a NOT_ENOUGH_INFO verdict cites its best window iff that
  share reaches `related` (FNC-1's discuss vs unrelated).
- `model`: the shipped cross-encoder as MiniCheck uses one: the max P(supports) over every 1- and
  2-sentence window, SUPPORTED above `support`; REFUTED when the max P(refutes) is above
  `refutes` and above that support; else NOT_ENOUGH_INFO, citing the best window iff
  1 - min P(neutral) reaches `related`. Long documents: only the `MODEL_SENTENCES` sentences BM25
  ranks best start a window (each window costs a model call, ~10 ms on one core).

Their thresholds are fitted on training data only (`python -m workers.evaluation.fit_baselines`)
and stored with the files they came from in `data/baselines.json`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workers.engine.judges import PairModel
from workers.engine.retrieve import Passage, passages, rank
from workers.engine.terms import analyse
from workers.engine.types import Document, Evidence, Label, Stance, Verdict

BASELINES = ("overlap", "model")
BASELINES_FILE = Path(__file__).with_name("data") / "baselines.json"
MODEL_SENTENCES = 8  # sentences that start a window for the model (BM25's best, when more)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Function words carry no content: a claim is "covered" by the words that say what it claims.
_FUNCTION_WORDS = """
    a an the and or but if of to in on at by for with from as into onto about over under
    after before between during through than then that this these those there here it
    its is are was were be been being has have had do does did will would shall should
    can could may might must not no nor so such very too also just only own same other
    some any each few more most all both who whom whose which what when where why how he
    him she they them his her their we our you your i me my mine s t"""
STOPWORDS = frozenset(_FUNCTION_WORDS.split())


@dataclass(frozen=True)
class Window:
    """One or two adjacent sentences of a document."""

    sentences: tuple[Passage, ...]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.sentences)


def content_words(text: str) -> set[str]:
    """Lower-cased words of `text`, function words left out."""
    return {w for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


def windows(candidates: Sequence[Passage], starts: Sequence[Passage] | None = None) -> list[Window]:
    """Each sentence of `starts` (default: all) alone, and with the next one of its document."""
    following = {
        (id(a.document), a.index): b
        for a, b in zip(candidates, candidates[1:], strict=False)
        if a.document is b.document
    }
    out = []
    for p in candidates if starts is None else starts:
        out.append(Window((p,)))
        nxt = following.get((id(p.document), p.index))
        if nxt is not None:
            out.append(Window((p, nxt)))
    return out


def load_fitted(name: str, path: Path | None = None) -> dict:
    """The fitted entry of baseline `name` ({} where it was never fitted)."""
    path = path or BASELINES_FILE
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get(name, {})


class Baseline:
    name = ""

    def __init__(self, thresholds: dict[str, float] | None = None) -> None:
        fitted = load_fitted(self.name)
        self.thresholds = thresholds or {
            k: float(v) for k, v in fitted.get("thresholds", {}).items()
        }
        self.fitted_on = fitted.get("fitted_on", [] if thresholds else ["(not fitted)"])
        if not self.thresholds:
            raise ValueError(
                f"baseline {self.name!r} has no thresholds: run "
                "`python -m workers.evaluation.fit_baselines`"
            )

    @property
    def version(self) -> str:
        params = json.dumps(self.thresholds, sort_keys=True).encode()
        return f"baseline-{self.name}.{hashlib.sha256(params).hexdigest()[:8]}"

    def info(self) -> dict[str, object]:
        return {"thresholds": self.thresholds, "fitted_on": self.fitted_on}

    def check(self, claim: str, documents: Sequence[Document]) -> Verdict:
        raise NotImplementedError

    def _verdict(
        self,
        claim: str,
        label: Label,
        confidence: float,
        best: Window | None,
        cite: bool,
        stance: Stance,
        details: dict[str, float],
    ) -> Verdict:
        evidence: tuple[Evidence, ...] = ()
        if best is not None and cite:
            evidence = tuple(
                Evidence(p.document, p.index, p.start, p.end, stance, round(confidence, 4))
                for p in best.sentences
            )
        return Verdict(
            claim=claim,
            label=label,
            confidence=round(confidence, 4),
            evidence=evidence,
            engine_version=self.version,
            details={"baseline": self.name, **{k: round(v, 4) for k, v in details.items()}},
        )


class OverlapBaseline(Baseline):
    """The word-overlap floor (see the module docstring)."""

    name = "overlap"

    def scores(self, claim: str, documents: Sequence[Document]) -> tuple[float, Window | None]:
        """The best share of the claim's content words one window contains, and that window."""
        wanted = content_words(claim)
        best, best_window = 0.0, None
        if not wanted:
            return best, best_window
        for window in windows(passages(documents)):
            share = len(wanted & content_words(window.text)) / len(wanted)
            if share > best:
                best, best_window = share, window
        return best, best_window

    def check(self, claim: str, documents: Sequence[Document]) -> Verdict:
        share, window = self.scores(claim, documents)
        t = self.thresholds
        if share >= t["support"]:
            return self._verdict(
                claim, "SUPPORTED", share, window, True, "supports", {"overlap": share}
            )
        cite = share >= t["related"]
        return self._verdict(
            claim, "NOT_ENOUGH_INFO", 1 - share, window, cite, "neutral", {"overlap": share}
        )


class ModelBaseline(Baseline):
    """The cross-encoder alone over sentence windows (see the module docstring)."""

    name = "model"

    def __init__(
        self, thresholds: dict[str, float] | None = None, threads: int | None = None
    ) -> None:
        super().__init__(thresholds)
        self.threads = threads

    def _model(self) -> PairModel:
        from workers.engine.pipeline import learned_judge

        return learned_judge(self.threads)

    def scores(self, claim: str, documents: Sequence[Document]) -> ModelScores:
        """Max P(supports), max P(refutes), 1 - min P(neutral), each with its window."""
        candidates = passages(documents)
        starts = None
        if len(candidates) > MODEL_SENTENCES:
            starts = (
                rank(analyse(claim), candidates, MODEL_SENTENCES) or candidates[:MODEL_SENTENCES]
            )
        found = windows(candidates, starts)
        if not found:
            return ModelScores(0.0, 0.0, 0.0, None, None, None)
        probs = self._model().predict([(w.text, claim) for w in found])
        sup, ref = int(probs[:, 0].argmax()), int(probs[:, 1].argmax())
        neu = int(probs[:, 2].argmin())
        return ModelScores(
            float(probs[sup, 0]),
            float(probs[ref, 1]),
            1.0 - float(probs[neu, 2]),
            found[sup],
            found[ref],
            found[neu],
        )

    def check(self, claim: str, documents: Sequence[Document]) -> Verdict:
        s = self.scores(claim, documents)
        raw = {"support": s.support, "refute": s.refute, "related": s.related}
        t = self.thresholds
        if s.refute >= t["refutes"] and s.refute > s.support:
            return self._verdict(claim, "REFUTED", s.refute, s.refute_at, True, "refutes", raw)
        if s.support >= t["support"]:
            return self._verdict(claim, "SUPPORTED", s.support, s.support_at, True, "supports", raw)
        cite = s.related >= t["related"]
        confidence = 1 - max(s.support, s.refute)
        return self._verdict(
            claim, "NOT_ENOUGH_INFO", confidence, s.related_at, cite, "neutral", raw
        )


@dataclass(frozen=True)
class ModelScores:
    support: float  # max P(supports) over the windows
    refute: float  # max P(refutes)
    related: float  # 1 - min P(neutral): the model saw something on topic
    support_at: Window | None
    refute_at: Window | None
    related_at: Window | None


def make(
    name: str, threads: int | None = None, thresholds: dict[str, float] | None = None
) -> Baseline:
    """The baseline called `name` (one of `BASELINES`)."""
    if name == "overlap":
        return OverlapBaseline(thresholds)
    if name == "model":
        return ModelBaseline(thresholds, threads)
    raise ValueError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINES)}")
