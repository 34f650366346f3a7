"""CORS for the widget: which browser origins may call the API.

Two allow-lists: the deployment's (FACTDESK_CORS_ORIGINS, comma-separated; "*" for any;
empty: same-origin only), answered by flask-cors; and each tenant's (`factdesk keys origins`),
checked against the request's key. A preflight carries no key, so it is answered for an origin
that some tenant allows; the real request then needs a key whose tenant allows its origin.

A /v1 request from a browser origin that neither list allows (and that is not the API's own
origin) is refused with 403 before it runs, so another site cannot make a visitor's browser
spend a key, or the anonymous local tenant, on its behalf.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_cors import CORS

from service.context import app_factdesk
from service.problems import problem_response
from settings import Settings

ALLOW_HEADERS = ["authorization", "content-type", "idempotency-key", "last-event-id"]
EXPOSE_HEADERS = ["location", "x-cache", "retry-after", "ratelimit", "ratelimit-policy"]
METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
PREFLIGHT_MAX_AGE_S = 600


def allowed_origins(configured: str) -> list[str]:
    """The configured origins without trailing slashes; "*" allows any."""
    return [o.strip().rstrip("/") for o in configured.split(",") if o.strip()]


def init_app(app: Flask, settings: Settings) -> None:
    """Answer CORS requests from the deployment's and the tenants' origins."""
    app.after_request(_vary_on_origin)
    # Registered before flask-cors, so it runs after it (Flask runs after_request in reverse)
    # and only adds headers where the deployment's list did not.
    app.after_request(_tenant_cors_headers)
    origins = allowed_origins(settings.cors_origins)
    if not origins:
        return
    CORS(
        app,
        origins=origins,
        allow_headers=ALLOW_HEADERS,
        expose_headers=EXPOSE_HEADERS,
        methods=METHODS,
        max_age=PREFLIGHT_MAX_AGE_S,
    )


def refuse_foreign_origin(tenant: str) -> Response | None:
    """403 unless the request's browser origin (if any) is allowed for `tenant`."""
    origin = request.headers.get("Origin")
    if origin is None or origin.rstrip("/") == request.host_url.rstrip("/"):
        return None
    deployment = allowed_origins(app_factdesk().settings.cors_origins)
    if "*" in deployment or origin.rstrip("/") in deployment:
        return None
    record = app_factdesk().stores.api_keys.tenant(tenant)
    if record is not None and origin.lower() in record["cors_origins"]:
        g.tenant_origin = origin
        return None
    return problem_response(
        403,
        f"Browser origin {origin} is not allowed for this API key's tenant "
        "(`factdesk keys origins`).",
        errors={"Origin": [f"{origin} is not allowed."]},
    )


def _tenant_cors_headers(response: Response) -> Response:
    origin = request.headers.get("Origin")
    if not origin or "Access-Control-Allow-Origin" in response.headers:
        return response
    preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
    if preflight:
        keys = app_factdesk().stores.api_keys
        if request.path.startswith("/v1/") and keys.origin_allowed_somewhere(origin.lower()):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = ", ".join(METHODS)
            response.headers["Access-Control-Allow-Headers"] = ", ".join(ALLOW_HEADERS)
            response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE_S)
    elif g.get("tenant_origin") == origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSE_HEADERS)
    return response


def _vary_on_origin(response: Response) -> Response:
    # Every answer depends on the Origin header (CORS headers or none), so caches must key on it.
    response.vary.add("Origin")
    return response
