"""The verdict as it goes over the wire, and the one function that builds it from the engine's.

Worker, CLI and API all use `verdict_to_wire`, so a verdict reads the same wherever it appears.
"""

from __future__ import annotations

import marshmallow as ma

from workers.engine.types import LABELS, STANCES, Evidence, PartVerdict, Verdict


class SourceRefSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": "article, wikipedia, ..."})
    id = ma.fields.String()
    revision = ma.fields.String(allow_none=True)
    title = ma.fields.String(allow_none=True)
    url = ma.fields.String(allow_none=True)
    retrieved_at = ma.fields.String(
        allow_none=True, metadata={"description": "When the source text was read or fetched"}
    )


class UnavailableSourceSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": "The source that gave no documents"})
    url = ma.fields.String(metadata={"description": "For a `url` source: the URL asked for"})
    reason = ma.fields.String()


class RelatedFactCheckSchema(ma.Schema):
    publisher = ma.fields.String(allow_none=True)
    url = ma.fields.String()
    title = ma.fields.String(allow_none=True)
    textual_rating = ma.fields.String(allow_none=True, metadata={"description": "Their rating"})
    review_date = ma.fields.String(allow_none=True)
    claim_reviewed = ma.fields.String()
    claimant = ma.fields.String(allow_none=True)
    match_score = ma.fields.Float(metadata={"description": "0-1 overlap with this claim"})


class SpanSchema(ma.Schema):
    start = ma.fields.Integer(metadata={"description": "Code-point offset, inclusive"})
    end = ma.fields.Integer(metadata={"description": "Code-point offset, exclusive"})


class QuoteSchema(ma.Schema):
    """W3C TextQuoteSelector: `exact` is text[start:end] of the source."""

    exact = ma.fields.String()
    prefix = ma.fields.String()
    suffix = ma.fields.String()


class EvidenceSchema(ma.Schema):
    source = ma.fields.Nested(SourceRefSchema)
    sentence = ma.fields.Integer(metadata={"description": "Sentence index in the source"})
    span = ma.fields.Nested(SpanSchema)
    quote = ma.fields.Nested(QuoteSchema)
    stance = ma.fields.String(validate=ma.validate.OneOf(STANCES))
    score = ma.fields.Float()


class PartSchema(ma.Schema):
    text = ma.fields.String()
    label = ma.fields.String(validate=ma.validate.OneOf(LABELS))
    confidence = ma.fields.Float()
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema))


class EngineSchema(ma.Schema):
    version = ma.fields.String()


class VerdictSchema(ma.Schema):
    label = ma.fields.String(validate=ma.validate.OneOf(LABELS))
    confidence = ma.fields.Float()
    claim = ma.fields.String()
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema))
    parts = ma.fields.List(ma.fields.Nested(PartSchema))
    engine = ma.fields.Nested(EngineSchema)
    checked_at = ma.fields.String()
    cached = ma.fields.Boolean()
    sources_unavailable = ma.fields.List(
        ma.fields.Nested(UnavailableSourceSchema),
        dump_default=list,
        metadata={"description": "Sources that failed; the label comes from the others"},
    )
    related_fact_checks = ma.fields.List(
        ma.fields.Nested(RelatedFactCheckSchema),
        dump_default=list,
        metadata={
            "description": "Published fact-checks of similar claims (`factchecks` source); "
            "never part of the label"
        },
    )


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
