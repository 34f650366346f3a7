"""/v1/checks: submit a claim, poll (or long-poll) for its verdict."""

from __future__ import annotations

import hashlib

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from keyspace.checks import IdempotencyConflict
from keyspace.records import dumps
from schemas.checks import (
    CheckCreateSchema,
    CheckSchema,
    CheckWaitArgsSchema,
    IdempotencyHeaderSchema,
)
from schemas.problem import ProblemSchema
from service import longpoll, request_logs
from service.context import factdesk
from service.submission import submit_checks
from vocabulary import DONE, FINAL_STATES

blp = Blueprint(
    "checks",
    __name__,
    url_prefix="/v1/checks",
    description="Claims checked against articles and external sources.",
)


@blp.route("")
class Checks(MethodView):
    @blp.arguments(CheckCreateSchema)
    @blp.arguments(CheckWaitArgsSchema, location="query")
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(202, CheckSchema)
    @blp.alt_response(200, schema=CheckSchema, description="Answered from the verdict cache")
    @blp.alt_response(503, schema=ProblemSchema, description="Redis or the broker is down")
    def post(self, data: dict, query: dict, headers: dict) -> tuple[dict, int, dict[str, str]]:
        """Submit a claim for checking.

        Answers 202 with `Location` while a worker checks it, or 200 at once (`X-Cache: hit`)
        when the same claim was checked against the same article revision, sources and engine.
        With an `Idempotency-Key` header, repeating the same body returns the same check;
        reusing the key with another body is a 422. With `?wait=N` (≤ 30 s) the answer waits
        for the verdict and is a 200 when it arrives in time.
        """
        fd = factdesk()
        idempotency_key = headers.get("idempotency_key")
        idempotency = (idempotency_key, _body_hash(data)) if idempotency_key else None
        try:
            submitted = submit_checks(fd, [data], idempotency=idempotency)
        except IdempotencyConflict as conflict:
            abort(
                422,
                message="This Idempotency-Key was used with a different request body.",
                errors={"Idempotency-Key": [f"Already used for check {conflict.check_id}."]},
            )
        record = submitted.records[0]
        request_logs.bind_check(record["id"])
        answer_headers = {"Location": url_for("checks.Check", check_id=record["id"])}
        if not submitted.created:
            answer_headers["Idempotent-Replayed"] = "true"
        if query["wait"] > 0:
            record = longpoll.wait_final(fd.checks, record["id"], query["wait"]) or record
        cache_hit = record["status"] == DONE and record["verdict"].get("cached", False)
        answer_headers["X-Cache"] = "hit" if cache_hit else "miss"
        if record["status"] in FINAL_STATES:
            return record, 200, answer_headers
        return record, 202, answer_headers


@blp.route("/<check_id>")
class Check(MethodView):
    @blp.arguments(CheckWaitArgsSchema, location="query")
    @blp.response(200, CheckSchema)
    @blp.alt_response(404, schema=ProblemSchema)
    def get(self, args: dict, check_id: str) -> dict:
        """Fetch a check; with `?wait=N` wait up to N seconds (≤ 30) for it to finish."""
        record = longpoll.wait_final(factdesk().checks, check_id, args["wait"])
        if record is None:
            abort(404, message=f"No check {check_id}.")
        return record


def _body_hash(data: dict) -> str:
    return hashlib.sha256(dumps(data).encode("utf-8")).hexdigest()
