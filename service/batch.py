"""POST /v1/checks:batch — many claims against one article in one request."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.drafts import BatchCreateSchema, BatchSchema
from schemas.problem import ProblemSchema
from service.context import factdesk
from service.submission import submit_checks

blp = Blueprint(
    "batch",
    __name__,
    url_prefix="/v1",
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
        The batch is checked whole before anything is stored: one bad claim, and no check exists.
        """
        request_fields = {
            key: data[key] for key in ("article_id", "sources", "callback_url") if key in data
        }
        check_requests = [{**request_fields, "claim": claim} for claim in data["claims"]]
        checks = submit_checks(factdesk(), check_requests).records
        return {"check_ids": [c["id"] for c in checks], "checks": checks}
