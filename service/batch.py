"""POST /v1/checks:batch — many claims against one article in one request."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from keyspace.cache import fingerprint
from schemas.drafts import BatchCreateSchema, BatchSchema
from schemas.problem import ProblemSchema
from service.context import factdesk
from service.webhooks import refuse_unsafe_url
from workers import engine_version
from workers.celery_app import TaskNames
from workers.webhooks.events import check_finished

blp = Blueprint(
    "batch", __name__, url_prefix="/v1",
    description="Many claims in one request.",
)


@blp.route("/checks:batch")
class Batch(MethodView):
    @blp.arguments(BatchCreateSchema)
    @blp.response(202, BatchSchema)
    @blp.alt_response(422, schema=ProblemSchema)
    @blp.alt_response(503, schema=ProblemSchema)
    def post(self, data: dict) -> dict:
        """Submit up to 100 claims against one article; one 202 with the check ids.

        Each claim becomes an ordinary check (poll `GET /v1/checks/{id}`, or get a webhook).
        Claims already checked against the same article revision come back done from the cache.
        """
        if "callback_url" in data:
            refuse_unsafe_url(data["callback_url"], "callback_url")
        request_fields = {key: data[key] for key in ("article_id", "sources", "callback_url")
                          if key in data}
        checks = submit_checks([{**request_fields, "claim": claim} for claim in data["claims"]])
        return {"check_ids": [c["id"] for c in checks], "checks": checks}


def submit_checks(
    check_requests: Sequence[dict[str, object]],
    before_queueing: Callable[[list[dict]], None] | None = None,
) -> list[dict]:
    """Create one check per request (cache hits are done at once) and queue the rest.

    Each request holds a `claim` plus the fields of `POST /v1/checks` (`article_id`, `sources`,
    `callback_url`). `before_queueing(records)` runs after the checks exist and before any
    worker can finish one, so a caller can record what waits on them (drafts do) without a race.

    :raise 422: when a request's `article_id` names no article.
    """
    fd = factdesk()
    revisions: dict[str | None, str | None] = {}
    records, queued, cached = [], [], []
    for request in check_requests:
        article_id = request.get("article_id")
        if article_id not in revisions:
            revisions[article_id] = current_revision(article_id)  # type: ignore[arg-type]
        fields = {**request, "article_revision": revisions[article_id]}
        claim = str(request["claim"])
        fp = fingerprint(claim, fields["article_revision"], fields.get("sources", ["article"]),
                         engine_version())
        hit = fd.stores.cache.get(fp)
        verdict = {**hit, "cached": True, "claim": claim} if hit else None
        record, _ = fd.checks.create(fields, fingerprint=fp, verdict=verdict)
        records.append(record)
        (cached if verdict is not None else queued).append(record["id"])
    if before_queueing is not None:
        before_queueing(records)
    for check_id in queued:
        fd.celery.send_task(TaskNames.CHECK, args=[check_id])
    for check_id in cached:
        check_finished(fd.celery, check_id)
    return records


def current_revision(article_id: str | None) -> str | None:
    """Return the article's current revision (None without an article).

    :raise 422: when `article_id` names no article.
    """
    if not article_id:
        return None
    article = factdesk().articles.get(article_id)
    if article is None:
        abort(422, errors={"article_id": [f"No article {article_id}."]})
    return article["revision"]
