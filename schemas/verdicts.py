"""The verdict as it goes over the wire (`workers.verdicts.verdict_to_wire` builds it)."""

from __future__ import annotations

import marshmallow as ma

from vocabulary import LABELS, STANCES


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
    origin = ma.fields.String(
        metadata={"description": '"factchecktools" (Google Fact Check Tools) or "own" (ours)'}
    )


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
