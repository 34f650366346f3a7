"""The engine's verdict as it goes over the wire: the one function that builds it.

Worker and CLI both use `verdict_to_wire`, so a verdict reads the same wherever it appears;
`schemas.verdicts.VerdictSchema` documents the result. It lives on the worker side because it
reads the engine's types, and the wire contract (`schemas/`) imports nothing from `workers/`.
"""

from __future__ import annotations

from workers.engine.types import Evidence, PartVerdict, Verdict


def _round(value: float) -> float:
    return round(float(value), 4)


def evidence_to_wire(evidence: Evidence) -> dict:
    doc = evidence.document
    return {
        "source": {
            "type": doc.type,
            "id": doc.id,
            "revision": doc.revision or None,
            "title": doc.title,
            "url": doc.url,
            "retrieved_at": getattr(doc, "retrieved_at", None) or None,
        },
        "sentence": evidence.sentence,
        "span": {"start": evidence.start, "end": evidence.end},
        "quote": {"exact": evidence.exact, "prefix": evidence.prefix, "suffix": evidence.suffix},
        "stance": evidence.stance,
        "score": _round(evidence.score),
    }


def part_to_wire(part: PartVerdict) -> dict:
    return {
        "text": part.text,
        "label": part.label,
        "confidence": _round(part.confidence),
        "evidence": [evidence_to_wire(e) for e in part.evidence],
    }


def verdict_to_wire(
    verdict: Verdict,
    *,
    checked_at: str,
    sources_unavailable: list[dict] | None = None,
    related_fact_checks: list[dict] | None = None,
) -> dict:
    """Return the JSON-ready verdict (`cached` false: the cache sets it when it serves one)."""
    return {
        "label": verdict.label,
        "confidence": _round(verdict.confidence),
        "claim": verdict.claim,
        "evidence": [evidence_to_wire(e) for e in verdict.evidence],
        "parts": [part_to_wire(p) for p in verdict.parts],
        "engine": {"version": verdict.engine_version},
        "checked_at": checked_at,
        "cached": False,
        "sources_unavailable": list(sources_unavailable or []),
        "related_fact_checks": list(related_fact_checks or []),
    }
