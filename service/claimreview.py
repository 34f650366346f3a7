"""GET /v1/checks/{id}/claimreview: a finished check as schema.org ClaimReview JSON-LD."""

from __future__ import annotations

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from schemas.claimreview import ClaimReviewSchema, claim_review
from schemas.problem import ProblemSchema
from service.context import factdesk
from service.security_headers import script_safe_json
from vocabulary import DONE

blp = Blueprint(
    "claimreview",
    __name__,
    url_prefix="/v1/checks",
    description="Verdicts as schema.org ClaimReview, for publishing fact-checks.",
)

JSONLD_MIMETYPE = "application/ld+json"


@blp.route("/<check_id>/claimreview")
class ClaimReview(MethodView):
    @blp.doc(
        responses={
            "200": {
                "description": "ClaimReview JSON-LD",
                "content": {JSONLD_MIMETYPE: {"schema": ClaimReviewSchema}},
            }
        }
    )
    @blp.alt_response(404, schema=ProblemSchema)
    @blp.alt_response(409, schema=ProblemSchema, description="The check has no verdict yet")
    def get(self, check_id: str) -> Response:
        """The check's verdict as ClaimReview (rating 1 = False … 5 = True, see docs)."""
        fd = factdesk()
        record = fd.checks.get(check_id)
        if record is None:
            abort(404, message=f"No check {check_id}.")
        if record["status"] != DONE:
            abort(409, message=f"Check {check_id} is {record['status']}; no verdict to review.")
        base = fd.settings.public_base_url.rstrip("/") or request.host_url.rstrip("/")
        review = claim_review(
            record,
            review_url=base + url_for("checks.Check", check_id=check_id),
            author_name=fd.settings.claimreview_author_name,
            author_url=fd.settings.claimreview_author_url or None,
        )
        # Escaped so a CMS can paste it inside <script type="application/ld+json"> as is.
        return Response(script_safe_json(review), mimetype=JSONLD_MIMETYPE)
