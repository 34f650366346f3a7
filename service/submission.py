"""Submitting checks: the one path single checks, batches and drafts all take.

A submission is validated whole before anything is written (every article exists, every
callback URL is one webhooks may call), then written in one MULTI/EXEC (the records and their
place in the tenant's pending list), then sent as far as the tenant's in-flight bound allows.
When the broker refuses a task, every check of the submission is forgotten again, so the
client's 503 means "nothing happened" and a retry starts afresh. When the API process dies
between the write and the send, the checks wait in the pending list and a worker's dispatch
sweeper sends them (workers/dispatch.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import redis
from flask_smorest import abort

from keyspace.cache import fingerprint
from keyspace.checks import NewCheck
from service.context import Factdesk
from service.quotas import bound_unfinished, charge_claims
from service.url_guard import refuse_unsafe_source_url, refuse_unsafe_url
from settings import Settings
from vocabulary import DONE
from workers import engine_version
from workers.dispatch import dispatch_pending
from workers.sources.web import WEB_SOURCE, web_search_configured
from workers.webhooks.events import check_finished


@dataclass(frozen=True)
class Submitted:
    """The submission's check records, in request order. `created` is False when an
    Idempotency-Key replayed an earlier check: nothing was written or queued then."""

    records: list[dict]
    created: bool


def submit_checks(
    fd: Factdesk,
    check_requests: Sequence[dict[str, object]],
    *,
    idempotency: tuple[str, str] | None = None,
    with_checks: Callable[[redis.client.Pipeline, list[dict]], None] | None = None,
) -> Submitted:
    """Create one check per request (cache hits are done at once) and queue the rest.

    Each request holds a `claim` plus the fields of `POST /v1/checks` (`article_id`,
    `article_revision`, `sources`, `callback_url`, `metadata`). `idempotency` is the single
    check's (Idempotency-Key, body hash). `with_checks(pipe, records)` queues writes on the
    MULTI/EXEC that creates the checks, so a caller can record what waits on them (drafts
    do) before any worker can finish one.

    :raise 422: when an article or a pinned revision does not exist, or a `callback_url` is
        one webhooks may not call; nothing is written then.
    :raise 429: when the claims would exceed the key's daily quota or the tenant's bound on
        unfinished checks; nothing is written then.
    :raise IdempotencyConflict: when the key was used with another body.
    """
    new_checks = _prepare(fd, check_requests)
    if idempotency is None or not fd.checks.idempotency_seen(idempotency[0]):
        bound_unfinished(fd, sum(1 for check in new_checks if check.verdict is None))
        charge_claims(len(new_checks))  # 429 when the key's daily claim quota is spent
    records, created = fd.checks.create_many(new_checks, idempotency=idempotency, also=with_checks)
    if not created:
        return Submitted(records, created=False)
    queued = [r["id"] for r in records if r["status"] != DONE]
    try:
        # Fair dispatch: what exceeds the tenant's in-flight bound waits in its pending list.
        if queued:
            dispatch_pending(fd.celery, fd.stores.dispatch)
    except Exception:
        # The broker refused: forget the whole submission. A message that did go out finds
        # no record and does nothing.
        fd.checks.discard([r["id"] for r in records], idempotency[0] if idempotency else None)
        fd.stores.dispatch.forget(queued)
        raise
    for record in records:
        if record["status"] == DONE:
            check_finished(fd.celery, record["id"], fd.tenant)
    return Submitted(records, created=True)


def _prepare(fd: Factdesk, check_requests: Sequence[dict[str, object]]) -> list[NewCheck]:
    """Resolve revisions, fingerprints and cache hits for every request; write nothing."""
    for url in {r["callback_url"] for r in check_requests if r.get("callback_url")}:
        refuse_unsafe_url(str(url), "callback_url")  # SSRF guard, 422
    pages = {
        s["url"] for r in check_requests for s in r.get("sources") or () if isinstance(s, dict)
    }
    for url in pages:
        refuse_unsafe_source_url(url)  # the same guard the worker applies, at once
    if any(WEB_SOURCE in (r.get("sources") or ()) for r in check_requests):
        refuse_unconfigured_web(fd.settings)
    revisions: dict[tuple[object, object], str | None] = {}
    new_checks = []
    for request in check_requests:
        article_id, pinned = request.get("article_id"), request.get("article_revision")
        if (article_id, pinned) not in revisions:
            revisions[article_id, pinned] = article_revision(fd, article_id, pinned)
        fields = {**request, "article_revision": revisions[article_id, pinned]}
        claim = str(request["claim"])
        sources = fields.get("sources") or ["article"]
        fp = fingerprint(claim, fields["article_revision"], sources, engine_version())
        hit = fd.stores.cache.get(fp)
        verdict = {**hit, "cached": True, "claim": claim} if hit else None
        new_checks.append(NewCheck(fields, fp, verdict))
    return new_checks


def refuse_unconfigured_web(settings: Settings) -> None:
    """:raise 422: a check names `web` but this deployment has no search provider configured.

    Refused at once rather than listed unavailable on every verdict: it is a setup mistake the
    developer should see on the first request, not a passing outage.
    """
    if not web_search_configured(settings):
        abort(
            422,
            errors={
                "sources": [
                    '"web" is not available: this deployment has no web search provider '
                    "(FACTDESK_WEB_SEARCH_PROVIDER with its URL or API key)."
                ]
            },
        )


def article_revision(fd: Factdesk, article_id: object, pinned: object = None) -> str | None:
    """Return the revision a check runs against: the pinned one, else the article's current
    one (None without an article).

    :raise 422: when the article or the pinned revision does not exist.
    """
    if not article_id:
        return None
    article_id = str(article_id)
    article = fd.articles.get(article_id)
    if article is None:
        abort(422, errors={"article_id": [f"No article {article_id}."]})
    if pinned is None:
        return article["revision"]
    if fd.articles.text(article_id, str(pinned)) is None:
        abort(422, errors={"article_revision": [f"Article {article_id} has no revision {pinned}."]})
    return str(pinned)
