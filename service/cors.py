"""CORS for the widget: browsers on the configured CMS origins may call the API.

Origins come from FACTDESK_CORS_ORIGINS (comma-separated; "*" for any). The service has no
API keys yet, so the allow-list is per deployment rather than per key; see docs/cms-plugin.md.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from service.context import factdesk

bp = Blueprint("cors", __name__)

ALLOW_HEADERS = "content-type, idempotency-key, last-event-id"
EXPOSE_HEADERS = "location, x-cache, retry-after"
PREFLIGHT_MAX_AGE_S = "600"


def allowed_origin(origin: str, configured: str) -> bool:
    origins = {o.strip().rstrip("/") for o in configured.split(",") if o.strip()}
    return "*" in origins or origin.rstrip("/") in origins


@bp.after_app_request
def add_cors_headers(response: Response) -> Response:
    origin = request.headers.get("Origin")
    response.vary.add("Origin")
    if not origin or not allowed_origin(origin, factdesk().settings.cors_origins):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE_S
    return response
