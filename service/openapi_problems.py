"""Document every error as `application/problem+json`, the media type the API sends.

flask-smorest documents each response under its default media type (`application/json`),
problems included. This apispec plugin moves every response whose schema is the problem
schema (in operations and in the shared response components) to `application/problem+json`,
and gives every documented 4xx/5xx/default response that form.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

from schemas.problem import PROBLEM_MIMETYPE, ProblemSchema

JSON = "application/json"
_PROBLEM_REF = "#/components/schemas/Problem"


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
