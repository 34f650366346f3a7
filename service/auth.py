"""Optional API-key check for /v1: `Authorization: Bearer <key>` when FACTDESK_API_KEYS is set.

Off by default so `make run` works out of the box; set keys for any deployment reachable by
others. Health, readiness and the API reference stay public (probes and humans need them).
"""

from __future__ import annotations

import hmac

from flask import Response, request

from service.context import factdesk
from service.problems import problem_response

PROTECTED_PREFIX = "/v1/"


def require_api_key() -> Response | None:
    """Answer 401 unless the request carries one of the configured keys (or none are set)."""
    keys = factdesk().settings.api_key_list
    if not keys or not request.path.startswith(PROTECTED_PREFIX) or request.method == "OPTIONS":
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    # compare_digest against every key: the time taken does not reveal which prefix matched.
    matches = [hmac.compare_digest(token.encode(), key.encode()) for key in keys]
    if scheme.lower() == "bearer" and any(matches):
        return None
    return problem_response(
        401,
        "Send an API key as `Authorization: Bearer <key>`.",
        errors={"Authorization": ["Missing or unknown API key."]},
        headers={"WWW-Authenticate": 'Bearer realm="factdesk"'},
    )
