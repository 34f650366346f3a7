"""Security headers on every response (issue #12, finding 8). Filled in below."""

from __future__ import annotations

from flask import Response


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
