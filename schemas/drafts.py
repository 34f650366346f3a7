"""Request and response bodies of /v1/drafts and /v1/checks:batch."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from schemas.checks import CheckSchema
from schemas.ids import id_field_validator
from schemas.limits import MAX_CLAIM_CHARS, MAX_URL_CHARS
from schemas.sources import normalise_sources, sources_field
from schemas.text import encodable, not_blank
from schemas.verdicts import QuoteSchema, VerdictSchema

MAX_DRAFT_CHARS = 20_000
MAX_BATCH_CLAIMS = 100
MAX_DRAFT_CLAIMS = 100


class _SourcesMixin(ma.Schema):
    article_id = ma.fields.String(
        validate=[validate.Length(min=1, max=100), id_field_validator("article_id")],
        metadata={"description": "Article every claim is checked against"},
    )
    # The same items as a single check's `sources` (names and url objects), but the default
    # stays ["article"]: a batch or draft without article_id picks or needs an article.
    sources = sources_field('["article"]', load_default=lambda: ["article"])

    @ma.post_load
    def _dedupe_sources(self, data: dict, **kwargs: object) -> dict:
        data["sources"] = normalise_sources(data["sources"])
        return data


class BatchCreateSchema(_SourcesMixin):
    @ma.validates_schema
    def _article_for_article_source(self, data: dict, **kwargs: object) -> None:
        if "article" in data.get("sources", ()) and not data.get("article_id"):
            raise ma.ValidationError(
                'Required when sources include "article".', field_name="article_id"
            )

    claims = ma.fields.List(
        ma.fields.String(
            validate=[validate.Length(min=1, max=MAX_CLAIM_CHARS), not_blank, encodable]
        ),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH_CLAIMS),
        metadata={"description": f"1 to {MAX_BATCH_CLAIMS} claims"},
    )
    callback_url = ma.fields.Url(
        require_tld=False,
        schemes={"http", "https"},
        validate=validate.Length(max=MAX_URL_CHARS),
        metadata={"description": "Webhook called as each check finishes"},
    )


class BatchSchema(ma.Schema):
    check_ids = ma.fields.List(ma.fields.String(), metadata={"description": "In claim order"})
    checks = ma.fields.List(ma.fields.Nested(CheckSchema))


class DraftCreateSchema(_SourcesMixin):
    article_id = ma.fields.String(
        validate=[validate.Length(min=1, max=100), id_field_validator("article_id")],
        metadata={
            "description": "Article every claim is checked against; without it, each "
            "claim is checked against the stored article that matches "
            "it best"
        },
    )
    text = ma.fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_DRAFT_CHARS), not_blank, encodable],
        metadata={"description": f"The draft, at most {MAX_DRAFT_CHARS} characters"},
    )


class AnnotationSchema(ma.Schema):
    index = ma.fields.Integer(metadata={"description": "Position of the claim in the draft"})
    claim = ma.fields.String()
    start = ma.fields.Integer(metadata={"description": "Code-point offset into the draft"})
    end = ma.fields.Integer()
    start_utf16 = ma.fields.Integer(metadata={"description": "UTF-16 offset (JavaScript)"})
    end_utf16 = ma.fields.Integer()
    quote = ma.fields.Nested(QuoteSchema, metadata={"description": "Re-anchor after edits"})
    checkworthiness = ma.fields.Float(metadata={"description": "0–1; claims score ≥ 0.5"})
    check_id = ma.fields.String()
    article_id = ma.fields.String(
        allow_none=True, metadata={"description": "The article this claim was checked against"}
    )
    status = ma.fields.String()
    verdict = ma.fields.Nested(VerdictSchema, allow_none=True)


class DraftSchema(ma.Schema):
    id = ma.fields.String()
    status = ma.fields.String(metadata={"description": "checking, or done"})
    article_id = ma.fields.String(allow_none=True)
    created_at = ma.fields.String()
    annotations = ma.fields.List(ma.fields.Nested(AnnotationSchema))
