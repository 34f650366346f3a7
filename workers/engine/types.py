"""The engine's vocabulary: what goes into `check()` and what comes out.

These types are the contract between the verification engine and everything that calls it
(Celery tasks, the CLI, the evaluation command). They are plain frozen dataclasses so the
engine stays pure: no Redis, no HTTP, no Flask anywhere below `workers.engine`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Labels and stances are the service's vocabulary too (the API's schemas validate them).
from vocabulary import LABELS as LABELS
from vocabulary import STANCES as STANCES
from vocabulary import Label as Label
from vocabulary import Stance as Stance

QUOTE_CONTEXT = 32  # characters of prefix/suffix in a quote selector (W3C TextQuoteSelector)


@dataclass(frozen=True)
class Document:
    """A source text the engine may quote from. Offsets are code points into `text`."""

    id: str
    text: str
    type: str = "article"
    revision: str = ""
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Evidence:
    """One evidence span: `document.text[start:end]` is the quoted sentence (or part of it)."""

    document: Document
    sentence: int  # index of the sentence in the document's segmentation
    start: int
    end: int
    stance: Stance
    score: float  # the judge's probability for `stance`, in [0, 1]

    @property
    def exact(self) -> str:
        return self.document.text[self.start : self.end]

    @property
    def prefix(self) -> str:
        return self.document.text[max(0, self.start - QUOTE_CONTEXT) : self.start]

    @property
    def suffix(self) -> str:
        return self.document.text[self.end : self.end + QUOTE_CONTEXT]


@dataclass(frozen=True)
class PartVerdict:
    """The verdict on one checkable part of a claim ("France endorsed Rutte" of a list)."""

    text: str
    label: Label
    confidence: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """The engine's answer for one claim against a set of documents."""

    claim: str
    label: Label
    confidence: float
    evidence: tuple[Evidence, ...] = ()  # best first
    parts: tuple[PartVerdict, ...] = ()
    engine_version: str = ""
    details: dict[str, object] = field(default_factory=dict, compare=False)  # judge diagnostics
