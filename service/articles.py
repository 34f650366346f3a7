"""/v1/articles: the texts claims are checked against, with revisions."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from keyspace.articles import ExternalIdTaken, revision_of, text_bytes
from schemas.articles import (
    ArticleCreateSchema,
    ArticlePageSchema,
    ArticleReplaceSchema,
    ArticleSchema,
    ArticleWithTextSchema,
    PageArgsSchema,
)
from schemas.problem import ProblemSchema
from service.context import factdesk
from service.quotas import charge_storage
from service.sentences import sentence_count

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/v1/articles",
    description="Stored articles that claims are checked against.",
)


def _metadata(data: dict) -> dict[str, object]:
    published = data.get("published_at")
    return {**data, "published_at": published.isoformat() if published else None}


@blp.route("")
class Articles(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ArticlePageSchema)
    def get(self, args: dict) -> dict:
        """List articles, oldest first."""
        items, total = factdesk().articles.page(args["offset"], args["limit"])
        return {"items": items, "total": total, **args}

    @blp.arguments(ArticleCreateSchema)
    @blp.response(201, ArticleSchema)
    @blp.alt_response(200, schema=ArticleSchema, description="Same external_id and same text")
    @blp.alt_response(409, schema=ProblemSchema, description="external_id has other text")
    @blp.alt_response(
        429, schema=ProblemSchema, description="A quota (incl. stored bytes) is spent"
    )
    def post(self, data: dict) -> tuple[dict, int, dict[str, str]]:
        """Store an article.

        A POST that repeats an `external_id` with the same text returns the stored article
        (200) instead of a copy; with different text it is a 409 (use PUT to change text).
        """
        text = data.pop("text")
        store = factdesk().articles
        limit = factdesk().settings.stored_bytes_per_tenant
        charge_storage(store.stored_bytes(), text_bytes(text), limit)  # 429 when full
        try:
            record = store.create(text, sentence_count(text), _metadata(data))
            status = 201
        except ExternalIdTaken as taken:
            record = store.get(taken.article_id)
            if record is None or record["revision"] != revision_of(text):
                abort(
                    409,
                    message="external_id already names an article with other text.",
                    errors={"external_id": [f"Taken by article {taken.article_id}."]},
                )
            status = 200
        location = url_for("articles.Article", article_id=record["id"])
        return record, status, {"Location": location}


@blp.route("/<article_id>")
class Article(MethodView):
    @blp.response(200, ArticleWithTextSchema)
    @blp.alt_response(404, schema=ProblemSchema)
    def get(self, article_id: str) -> dict:
        """Fetch an article with its current text and its revisions."""
        store = factdesk().articles
        record = _existing(article_id)
        return {
            **record,
            "text": store.text(article_id, record["revision"]),
            "revisions": store.revisions(article_id),
        }

    @blp.arguments(ArticleReplaceSchema)
    @blp.response(200, ArticleSchema)
    @blp.alt_response(404, schema=ProblemSchema)
    def put(self, data: dict, article_id: str) -> dict:
        """Replace an article's text and metadata; new text becomes a new revision."""
        text = data.pop("text")
        store = factdesk().articles
        if _existing(article_id)["revision"] != revision_of(text):  # a new revision is stored
            limit = factdesk().settings.stored_bytes_per_tenant
            charge_storage(store.stored_bytes(), text_bytes(text), limit)
        record = store.update(article_id, text, sentence_count(text), _metadata(data))
        if record is None:
            abort(404, message=f"No article {article_id}.")
        return record

    @blp.response(204)
    @blp.alt_response(404, schema=ProblemSchema)
    def delete(self, article_id: str) -> None:
        """Delete an article and every revision of its text."""
        if not factdesk().articles.delete(article_id):
            abort(404, message=f"No article {article_id}.")


def _existing(article_id: str) -> dict:
    """Return the article record.

    :raise 404: when there is no such article.
    """
    record = factdesk().articles.get(article_id)
    if record is None:
        abort(404, message=f"No article {article_id}.")
    return record
