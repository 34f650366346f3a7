"""CORS for the widget: browsers on the configured CMS origins may call the API (flask-cors).

Origins come from FACTDESK_CORS_ORIGINS (comma-separated; "*" for any; empty: same-origin
only). The allow-list is per deployment, not per API key, and `Authorization` is not an
allowed header: the widget sends no key, so it belongs on a deployment without
FACTDESK_API_KEYS or behind the newsroom's own proxy (docs/cms-plugin.md).
"""

from __future__ import annotations

from flask import Flask, Response
from flask_cors import CORS

from settings import Settings

ALLOW_HEADERS = ["content-type", "idempotency-key", "last-event-id"]
EXPOSE_HEADERS = ["location", "x-cache", "retry-after"]
METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
PREFLIGHT_MAX_AGE_S = 600


def allowed_origins(configured: str) -> list[str]:
    """The configured origins without trailing slashes; "*" allows any."""
    return [o.strip().rstrip("/") for o in configured.split(",") if o.strip()]


def init_app(app: Flask, settings: Settings) -> None:
    """Answer CORS requests from the configured origins (the request's origin is echoed)."""
    app.after_request(_vary_on_origin)
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


def _vary_on_origin(response: Response) -> Response:
    # Every answer depends on the Origin header (CORS headers or none), so caches must key on it.
    response.vary.add("Origin")
    return response
