"""Request and response bodies of /v1/checks."""

import json

import marshmallow as ma
from marshmallow import validate

from schemas.ids import id_field_validator, revision_validator
from schemas.limits import MAX_CLAIM_CHARS, MAX_METADATA_BYTES, MAX_URL_CHARS
from schemas.sources import SourceItem, default_sources, normalise_sources, sources_field
from schemas.text import encodable
from schemas.verdicts import VerdictSchema
from vocabulary import CHECK_STATUSES

MAX_IDEMPOTENCY_KEY_CHARS = 255


def _claim_text(claim: str) -> None:
    if not claim.strip():
        raise ma.ValidationError("Must contain a claim, not only whitespace.")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _metadata_size(metadata: dict) -> None:
    size = len(json.dumps(metadata, ensure_ascii=False).encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise ma.ValidationError(
            f"Metadata is {size} bytes as JSON; the limit is {MAX_METADATA_BYTES}."
        )


class CheckCreateSchema(ma.Schema):
    claim = ma.fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_CLAIM_CHARS), _claim_text, encodable],
        metadata={"description": f"The claim to check, at most {MAX_CLAIM_CHARS} characters"},
    )
    article_id = ma.fields.String(
        validate=[validate.Length(min=1, max=100), id_field_validator("article_id")],
        metadata={"description": 'Required when `sources` includes "article"'},
    )
    article_revision = ma.fields.String(
        validate=[validate.Length(min=1, max=100), revision_validator()],
        metadata={"description": "Check against this revision instead of the current one"},
    )
    sources = sources_field()
    callback_url = ma.fields.Url(
        require_tld=False,
        schemes={"http", "https"},
        validate=validate.Length(max=MAX_URL_CHARS),
        metadata={"description": "Webhook called when the check finishes"},
    )
    metadata = ma.fields.Dict(
        keys=ma.fields.String(),
        validate=_metadata_size,
        metadata={"description": f"Yours, echoed back; at most {MAX_METADATA_BYTES} bytes"},
    )

    @ma.validates_schema
    def _article_for_article_source(self, data: dict, **kwargs: object) -> None:
        if "article" in data.get("sources", ()) and not data.get("article_id"):
            raise ma.ValidationError(
                'Required when sources include "article".', field_name="article_id"
            )
        if data.get("article_revision") and not data.get("article_id"):
            raise ma.ValidationError(
                "article_revision needs article_id.", field_name="article_revision"
            )

    @ma.post_load
    def _dedupe_sources(self, data: dict, **kwargs: object) -> dict:
        sources = data.get("sources") or default_sources(data.get("article_id"))
        data["sources"] = normalise_sources(sources)
        return data


class IdempotencyHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # every other header is none of our business

    idempotency_key = ma.fields.String(
        data_key="Idempotency-Key",
        validate=[validate.Length(min=1, max=MAX_IDEMPOTENCY_KEY_CHARS), _not_blank],
        metadata={"description": "Same key + same body = same check; other body = 422"},
    )


class CheckWaitArgsSchema(ma.Schema):
    wait = ma.fields.Float(
        load_default=0.0,
        validate=validate.Range(min=0, max=30),
        metadata={"description": "Seconds to wait for a final status (long-poll), at most 30"},
    )


class CheckSchema(ma.Schema):
    id = ma.fields.String()
    status = ma.fields.String(validate=validate.OneOf(CHECK_STATUSES))
    claim = ma.fields.String()
    article_id = ma.fields.String(allow_none=True)
    article_revision = ma.fields.String(allow_none=True)
    sources = ma.fields.List(SourceItem())
    callback_url = ma.fields.String(allow_none=True)
    metadata = ma.fields.Dict(allow_none=True)
    created_at = ma.fields.String()
    started_at = ma.fields.String(allow_none=True)
    finished_at = ma.fields.String(allow_none=True)
    attempts = ma.fields.Integer()
    error = ma.fields.String(allow_none=True)
    verdict = ma.fields.Nested(VerdictSchema, allow_none=True)
