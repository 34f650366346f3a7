"""Collect the documents a check is judged against, from the sources it names.

A source that fails never fails the check: it is listed under `unavailable` with the reason and
the check is judged on what did answer. External sources run side by side, and together get at
most `source_budget_s`; one still busy then is listed as unavailable and not waited for.
Only when no source answered does the check end without a verdict.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

from keyspace.stores import Stores
from settings import Settings
from workers.engine.types import Document
from workers.sources import (
    URL_SOURCE,
    SourceDocument,
    SourceError,
    SourceRefused,
    SourceUnavailable,
    factchecks,
    iso_utc,
    url,
    web,
    wikipedia,
)
from workers.sources.archive import ARCHIVE_SOURCE, archive_for
from workers.sources.factchecks import FACTCHECKS_SOURCE
from workers.sources.http import OutboundHttp, outbound_http
from workers.sources.own_reviews import as_related, own_reviews_for

log = logging.getLogger(__name__)
# Sources whose answer to the same request may change any time: their verdicts are not cached.
LIVE_CORPORA = (URL_SOURCE, ARCHIVE_SOURCE, FACTCHECKS_SOURCE, web.WEB_SOURCE)


class NoSourceAnswered(Exception):
    """Every source the check names failed for good: there is nothing to judge against."""


class ArticleGone(NoSourceAnswered):
    """The article revision a check was queued against no longer exists (deleted)."""


class _Context(Protocol):
    settings: Settings
    stores: Stores


@dataclass
class Gathered:
    """What the sources answered, and which of them did not (type, reason, url when one)."""

    documents: list[Document] = field(default_factory=list)
    unavailable: list[dict[str, str]] = field(default_factory=list)
    transient: bool = False  # some failure may pass: worth retrying when nothing answered
    related_fact_checks: list[dict] = field(default_factory=list)
    reads_live_corpus: bool = False  # a source in LIVE_CORPORA was asked

    @property
    def cacheable(self) -> bool:
        """Whether the verdict may go to the verdict cache (keyed by the request alone).

        Not when a source was missing (the cache would serve the degraded verdict long after
        the source is back), nor when it asked a live corpus (pages, the archive, published
        fact-checks: the request cannot know whether they changed; the page snapshot cache and
        the HTTP cache spare the refetch instead).
        """
        return not self.unavailable and not self.reads_live_corpus

    def fail(self, source: dict[str, str], error: BaseException) -> None:
        self.unavailable.append({**source, "reason": str(error)})
        self.transient = self.transient or not isinstance(error, SourceRefused | ArticleGone)


def source_specs(record: dict) -> list[dict[str, str]]:
    """Return the record's sources as objects: "wikipedia" -> {"type": "wikipedia"}."""
    raw = record.get("sources") or ["article"]
    return [{"type": item} if isinstance(item, str) else dict(item) for item in raw]


def gather_documents(ctx: _Context, record: dict, http: OutboundHttp | None = None) -> Gathered:
    """Return the documents for a check record (article first) and the sources that failed.

    :raise ArticleGone: the only source is the article, and its revision was deleted.
    :raise NoSourceAnswered: every source failed for good (refused, deleted).
    :raise SourceUnavailable: no source answered and some failure may pass (worth a retry).
    """
    gathered = Gathered()
    specs = source_specs(record)
    external = [spec for spec in specs if spec["type"] != "article"]
    gathered.reads_live_corpus = any(spec["type"] in LIVE_CORPORA for spec in specs)
    if any(spec["type"] == "article" for spec in specs):
        try:
            gathered.documents.append(article_document(ctx.stores, record))
        except ArticleGone as exc:
            if not external:
                raise
            gathered.fail({"type": "article"}, exc)
    if external:
        _gather_external(
            ctx.settings, http or outbound_http(ctx.settings), ctx, record, external, gathered
        )
    # Published fact-checks alone are no evidence: without documents, a failed source fails.
    if gathered.documents or not gathered.unavailable:
        return gathered
    reasons = "; ".join(item["reason"] for item in gathered.unavailable)
    if gathered.transient:
        raise SourceUnavailable(reasons)
    raise NoSourceAnswered(f"No evidence source answered: {reasons}")


def _gather_external(
    settings: Settings,
    http: OutboundHttp,
    ctx: _Context,
    record: dict,
    specs: list[dict[str, str]],
    gathered: Gathered,
) -> None:
    deadline = time.monotonic() + settings.source_budget_s
    calls = [(spec, call) for spec in specs for call in _calls(http, ctx, record, spec, deadline)]
    # One thread per call: a slow Wikipedia does not delay the pages, nor they it.
    pool = ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="source")
    futures: list[tuple[dict[str, str], Future[object]]] = [
        (spec, pool.submit(call)) for spec, call in calls
    ]
    wait([f for _, f in futures], timeout=max(0.0, deadline - time.monotonic()))
    # Threads still running end on their own soon: every request's timeout is within the budget.
    pool.shutdown(wait=False, cancel_futures=True)
    for spec, future in futures:
        if not future.done():
            gathered.fail(
                spec,
                SourceUnavailable(
                    f"{_label(spec)}: no answer within the source budget "
                    f"({settings.source_budget_s:g} s)"
                ),
            )
            continue
        try:
            result = future.result()
            if spec["type"] == FACTCHECKS_SOURCE:
                assert isinstance(result, list)
                gathered.related_fact_checks.extend(result)
            elif isinstance(result, web.WebAnswer):
                # The search answered: its pages that did not are listed one by one.
                gathered.documents.extend(result.documents)
                for page, error in result.skipped:
                    gathered.fail({"type": web.WEB_SOURCE, "url": page}, error)
            else:
                assert isinstance(result, list)
                gathered.documents.extend(result)
        except SourceError as exc:
            gathered.fail(spec, exc)
        except Exception as exc:  # noqa: BLE001 - a bug in one adapter must not cost the verdict
            log.exception("source %s failed unexpectedly", _label(spec))
            gathered.fail(spec, SourceUnavailable(f"{_label(spec)}: internal error ({exc!r})"))
    gathered.related_fact_checks.sort(key=lambda item: -item["match_score"])


def _calls(
    http: OutboundHttp, ctx: _Context, record: dict, spec: dict[str, str], deadline: float
) -> list[Callable[[], object]]:
    """What to run for one source (a list: `factchecks` asks two places)."""
    settings, claim = ctx.settings, record["claim"]
    kind = spec["type"]
    if kind == "wikipedia":
        return [
            lambda: wikipedia.search_documents(
                claim,
                http=http,
                api_url=settings.wikipedia_api_url,
                limit=settings.source_max_results,
                deadline=deadline,
            )
        ]
    if kind == FACTCHECKS_SOURCE:
        calls: list[Callable[[], object]] = [lambda: _own_reviews(ctx, claim)]
        if settings.factcheck_api_key:  # without a key, only this deployment's own reviews
            calls.append(
                lambda: factchecks.search_fact_checks(
                    claim, http=http, settings=settings, deadline=deadline
                )
            )
        return calls
    if kind == ARCHIVE_SOURCE:
        # The check's own article is not evidence from "elsewhere in the archive".
        own = frozenset({record["article_id"]}) if record.get("article_id") else frozenset()
        archive = archive_for(ctx.stores.articles)
        return [lambda: list(archive.search(claim, settings.source_max_results, own))]
    if kind == URL_SOURCE:
        snapshots = url.SnapshotStore.from_settings(ctx.stores.redis, settings)
        return [lambda: [url.fetch_document(http, snapshots, spec["url"], deadline=deadline)]]

    if kind == web.WEB_SOURCE:
        snapshots = url.SnapshotStore.from_settings(ctx.stores.redis, settings)

        def search() -> web.WebAnswer:
            return web.search_documents(
                claim,
                provider=web.provider_for(settings, http),
                http=http,
                snapshots=snapshots,
                pages=settings.web_search_pages,
                # Result URLs come from the web: public, or on the operator's own allow-list.
                allow_hosts=settings.source_allow_hosts,
                deadline=deadline,
            )

        return [search]

    def unknown() -> list:
        raise SourceRefused(f"unknown source type {kind!r}")

    return [unknown]


def _own_reviews(ctx: _Context, claim: str) -> list[dict]:
    settings = ctx.settings
    found = own_reviews_for(ctx.stores.redis, ctx.stores.keys).search(claim, factchecks.MAX_RESULTS)
    return [
        as_related(
            review,
            base_url=settings.public_base_url,
            publisher=settings.claimreview_author_name,
            score=score,
        )
        for score, review in found
    ]


def _label(spec: dict[str, str]) -> str:
    return spec.get("url") or spec["type"]


def article_document(stores: Stores, record: dict) -> Document:
    article_id, revision = record["article_id"], record["article_revision"]
    text = stores.articles.text(article_id, revision)
    if text is None:
        raise ArticleGone(f"Article {article_id} revision {revision} was deleted.")
    article = stores.articles.get(article_id) or {}
    return SourceDocument(
        id=article_id,
        text=text,
        type="article",
        revision=revision,
        title=article.get("title"),
        url=article.get("url"),
        retrieved_at=iso_utc(),
    )
