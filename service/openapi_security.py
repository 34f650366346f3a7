"""The API key in the OpenAPI document: the bearer scheme, and each operation's scope.

Scopes come from `service.auth.required_scope`, the table authentication enforces, so the
document cannot promise a scope the code does not ask for.
"""

from __future__ import annotations

import re

import flask_smorest

from service.auth import required_scope
from service.openapi_problems import HTTP_METHODS, problem_doc

SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "fd_<43 URL-safe characters>",
    "description": (
        "An API key from `factdesk keys create --tenant NAME [--scopes ...]`, bound to one "
        "tenant and a set of scopes; each operation lists the scope it needs. Anonymous "
        "requests are accepted only from loopback while no key exists (docs/keys.md)."
    ),
}

AUTH_RESPONSES = {
    "401": "Missing, unknown or revoked API key",
    "403": "The API key lacks the scope this operation needs",
    "429": "A quota is spent; Retry-After says when to try again",
}


def document_scopes(api: flask_smorest.Api) -> None:
    """Give every /v1 operation `security: [{apiKey: [its scope]}]` (OpenAPI 3.1 lets a
    non-OAuth scheme list the roles it needs), from the same table authentication uses."""
    app = api._app  # type: ignore[attr-defined]  # the app the Api was built on
    # Rule strings without converter names (`<id:webhook_id>` -> `<webhook_id>`).
    rules = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule): rule.endpoint
        for rule in app.url_map.iter_rules()
    }
    for path, operations in api.spec._paths.items():
        if not path.startswith("/v1/"):
            continue
        flask_path = re.sub(r"\{(\w+)\}", r"<\1>", path)
        blueprint = rules.get(flask_path, "").partition(".")[0]
        for method, operation in operations.items():
            if method not in HTTP_METHODS:  # "parameters" and other path-level fields
                continue
            scope = required_scope(blueprint, method.upper())
            operation["security"] = [{"apiKey": [scope] if scope else []}]
            responses = operation.setdefault("responses", {})
            for status, description in AUTH_RESPONSES.items():
                responses.setdefault(status, problem_doc(description))
