"""Document every error as `application/problem+json`, the media type the API sends.

flask-smorest documents each response under its default media type (`application/json`),
problems included. This apispec plugin moves every response whose schema is the problem
schema (in operations and in the shared response components) to `application/problem+json`,
and gives every documented 4xx/5xx/default response that form.

`document_body_errors` lists, on every operation that takes a JSON body, the answers the edge
gives before a view runs (service/problems.py, service/hardening.py): schemathesis found them
answered but only covered by `default` (issue #12, "Attack it").
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from apispec import BasePlugin

from schemas.limits import MAX_BODY_BYTES
from schemas.problem import PROBLEM_MIMETYPE, ProblemSchema

JSON = "application/json"
_PROBLEM_REF = "#/components/schemas/Problem"
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
BODY_RESPONSES = {
    "400": "The body is not valid JSON",
    "413": f"The body exceeds {MAX_BODY_BYTES} bytes",
    "415": "A body sent with another Content-Type than application/json",
    "422": "A field is invalid, or the body is not I-JSON (RFC 7493); `errors` names it",
}


def problem_doc(description: str) -> dict:
    """An OpenAPI response object: `description`, with a problem+json body."""
    return {
        "description": description,
        "content": {PROBLEM_MIMETYPE: {"schema": {"$ref": _PROBLEM_REF}}},
    }


def document_body_errors(api: flask_smorest.Api) -> None:
    """Add BODY_RESPONSES to every operation that takes a request body."""
    for operations in api.spec._paths.values():
        for method, operation in operations.items():
            if method in HTTP_METHODS and "requestBody" in operation:
                responses = operation.setdefault("responses", {})
                for status, description in BODY_RESPONSES.items():
                    responses.setdefault(status, problem_doc(description))


def _is_problem(schema: object) -> bool:
    if isinstance(schema, dict):
        return schema.get("$ref") in {_PROBLEM_REF, "Problem"}
    if isinstance(schema, str):
        return schema in {"Problem", _PROBLEM_REF}
    return schema is ProblemSchema or isinstance(schema, ProblemSchema)


def as_problem_json(response: dict, status: str | None = None) -> dict:
    """Return `response` with problem bodies under application/problem+json (in place)."""
    content = response.get("content")
    if not isinstance(content, dict):
        return response
    body = content.get(JSON)
    is_error = status is not None and (status == "default" or status[:1] in {"4", "5"})
    if body is not None and (_is_problem(body.get("schema")) or is_error):
        content[PROBLEM_MIMETYPE] = content.pop(JSON)
    return response


class ProblemJsonPlugin(BasePlugin):
    def response_helper(self, response: dict, **kwargs: Any) -> dict | None:
        return as_problem_json(response)

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            for status, response in (operation.get("responses") or {}).items():
                if isinstance(response, dict):
                    as_problem_json(response, str(status))
