"""Request and response bodies of /v1/articles."""

import marshmallow as ma
from marshmallow import validate

from schemas.limits import (
    MAX_ARTICLE_BYTES,
    MAX_PAGE_OFFSET,
    MAX_PAGE_SIZE,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
)


def _article_size(text: str) -> None:
    if not text.strip():
        raise ma.ValidationError("Must contain text, not only whitespace.")
    size = len(text.encode("utf-8"))
    if size > MAX_ARTICLE_BYTES:
        raise ma.ValidationError(
            f"Article text is {size} bytes (UTF-8); the limit is {MAX_ARTICLE_BYTES}."
        )


class ArticleInSchema(ma.Schema):
    text = ma.fields.String(
        required=True,
        validate=[validate.Length(min=1), _article_size],  # Length documents minLength
        metadata={"description": f"Plain text, at most {MAX_ARTICLE_BYTES} bytes of UTF-8"},
    )
    title = ma.fields.String(validate=validate.Length(max=MAX_TITLE_CHARS), allow_none=True)
    url = ma.fields.Url(validate=validate.Length(max=MAX_URL_CHARS), allow_none=True)
    published_at = ma.fields.AwareDateTime(allow_none=True)
    source = ma.fields.String(validate=validate.Length(max=MAX_TITLE_CHARS), allow_none=True)


class ArticleCreateSchema(ArticleInSchema):
    external_id = ma.fields.String(
        validate=validate.Length(min=1, max=MAX_TITLE_CHARS),
        allow_none=True,
        metadata={"description": "Your id for the article; a second POST with it is idempotent"},
    )


class ArticleReplaceSchema(ArticleInSchema):
    """A PUT replaces text and metadata; `external_id` is fixed at creation."""


class ArticleSchema(ma.Schema):
    id = ma.fields.String()
    revision = ma.fields.String(metadata={"description": "Content hash of the current text"})
    title = ma.fields.String(allow_none=True)
    url = ma.fields.String(allow_none=True)
    published_at = ma.fields.String(allow_none=True)
    source = ma.fields.String(allow_none=True)
    external_id = ma.fields.String(allow_none=True)
    sentence_count = ma.fields.Integer()
    char_count = ma.fields.Integer(metadata={"description": "Length in code points"})
    revision_count = ma.fields.Integer()
    created_at = ma.fields.String()
    updated_at = ma.fields.String()


class ArticleWithTextSchema(ArticleSchema):
    text = ma.fields.String()
    revisions = ma.fields.List(ma.fields.String(), metadata={"description": "Oldest first"})


class PageArgsSchema(ma.Schema):
    limit = ma.fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    offset = ma.fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_PAGE_OFFSET))


class ArticlePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ArticleSchema))
    total = ma.fields.Integer()
    limit = ma.fields.Integer()
    offset = ma.fields.Integer()
