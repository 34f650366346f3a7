"""Collect the documents a check is judged against, from the sources it names."""

from __future__ import annotations

from typing import Protocol

from keyspace.stores import Stores
from settings import Settings
from workers.engine.types import Document
from workers.sources import wikipedia


class ArticleGone(Exception):
    """The article revision a check was queued against no longer exists (deleted)."""


class _Context(Protocol):
    settings: Settings
    stores: Stores


def gather_documents(ctx: _Context, record: dict) -> list[Document]:
    """Return the documents for a check record, article first.

    :raise ArticleGone: when the check's article revision was deleted after it was queued.
    :raise SourceUnavailable: when an external source cannot be reached (worth a retry).
    """
    documents: list[Document] = []
    sources = record.get("sources") or ["article"]
    if "article" in sources:
        documents.append(article_document(ctx.stores, record))
    if "wikipedia" in sources:
        documents.extend(
            wikipedia.search_documents(
                record["claim"],
                api_url=ctx.settings.wikipedia_api_url,
                timeout_s=ctx.settings.source_timeout_s,
                limit=ctx.settings.source_max_results,
                user_agent=ctx.settings.source_user_agent,
            )
        )
    return documents


def article_document(stores: Stores, record: dict) -> Document:
    article_id, revision = record["article_id"], record["article_revision"]
    text = stores.articles.text(article_id, revision)
    if text is None:
        raise ArticleGone(f"Article {article_id} revision {revision} was deleted.")
    article = stores.articles.get(article_id) or {}
    return Document(
        id=article_id,
        text=text,
        type="article",
        revision=revision,
        title=article.get("title"),
        url=article.get("url"),
    )
