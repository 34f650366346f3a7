"""/healthz (the process is up) and /readyz (Redis answers and at least one worker does)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from keyspace.connection import REDIS_UNAVAILABLE
from service.context import factdesk
from service.problems import problem_response

bp = Blueprint("health", __name__)

WORKER_PING_TIMEOUT_S = 1.0


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    fd = factdesk()
    retry = {"Retry-After": str(fd.settings.retry_after_s)}
    try:
        fd.stores.redis.ping()
    except REDIS_UNAVAILABLE:
        return problem_response(503, "Redis is not reachable.", headers=retry)
    workers = fd.celery.control.ping(timeout=WORKER_PING_TIMEOUT_S) or []
    if not workers:
        return problem_response(503, "No worker answered a ping.", headers=retry)
    return jsonify(status="ready", redis="ok", workers=len(workers))
