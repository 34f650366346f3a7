"""Every error leaves the API as RFC 9457 `application/problem+json`, naming the bad field.

flask-smorest routes every HTTPException through `Api.handle_http_exception`; `ProblemApi`
overrides it. Redis being down becomes 503 with Retry-After; anything else unexpected is logged
and becomes a generic 500 that reveals nothing.
"""

from __future__ import annotations

import http
import logging

import flask_smorest
from flask import Flask, Response, current_app, json, request
from kombu.exceptions import OperationalError as BrokerUnavailable
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from keyspace.connection import REDIS_UNAVAILABLE
from schemas.problem import PROBLEM_MIMETYPE, ProblemSchema

log = logging.getLogger(__name__)


def problem_response(
    status: int,
    detail: str,
    *,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build one problem+json response."""
    phrase = http.HTTPStatus(status).phrase
    body: dict[str, object] = {
        # RFC 9457 §4.2.1: "about:blank" = the status code says it all; `title` is its phrase
        # and `detail`/`errors` carry the specifics.
        "type": "about:blank",
        "title": phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_errors(messages: object, path: str = "") -> dict[str, list[str]]:
    """Turn webargs' {location: {field: [msg] | {nested...}}} into {"dotted.field": [msg]}.

    The location level (json, query, headers) is dropped: field names are unique per endpoint.
    """
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for name, inner in messages.items():
            name = str(name)
            child = name if not path else f"{path}.{name}"
            flat.update(flatten_errors(inner, child))
        return flat
    if isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            return {path or "_body": list(messages)}
        flat = {}
        for item in messages:
            flat.update(flatten_errors(item, path))
        return flat
    return {path or "_body": [str(messages)]}


_WHOLE = {"json": "body"}
_LOCATIONS = {"json", "query", "headers", "form", "files", "view_args", "path", "cookies"}


def _errors_of(data: dict) -> dict[str, list[str]] | None:
    raw = data.get("errors", data.get("messages"))
    if raw is None:
        return None
    if isinstance(raw, dict) and set(raw) <= _LOCATIONS:
        flat: dict[str, list[str]] = {}
        for location, inner in raw.items():
            for field, msgs in flatten_errors(inner).items():
                # A message about a location as a whole ("Invalid JSON body.") names it.
                whole = field in {"_body", "_schema"}
                flat[_WHOLE.get(location, location) if whole else field] = msgs
        return flat
    return flatten_errors(raw)


def _detail(error: HTTPException, errors: dict[str, list[str]] | None, message: str | None) -> str:
    if message:
        return message
    if errors:
        return "Invalid field(s): " + ", ".join(sorted(errors)) + "."
    return error.description or http.HTTPStatus(error.code or 500).phrase


class ProblemApi(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException) -> Response:
        data = getattr(error, "data", None) or {}
        errors = _errors_of(data)
        if error.code == 413:
            limit = current_app.config.get("MAX_CONTENT_LENGTH")
            return problem_response(413, f"The request body exceeds {limit} bytes.")
        if isinstance(error, InternalServerError):
            return _internal_error(error.original_exception or error)
        headers = dict(data.get("headers") or {})
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return problem_response(
            error.code or 500,
            _detail(error, errors, data.get("message")),
            errors=errors,
            headers=headers,
        )


def _service_unavailable(error: Exception) -> Response:
    log.warning("storage unavailable: %s", error)
    retry_after = current_app.extensions["factdesk"].settings.retry_after_s
    return problem_response(
        ServiceUnavailable.code,
        "Storage is unavailable; retry shortly.",
        headers={"Retry-After": str(retry_after)},
    )


def _internal_error(error: BaseException) -> Response:
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
    return problem_response(500, "An unexpected error occurred; it has been logged.")


def require_json_body() -> Response | None:
    """Refuse a write whose body is not declared JSON (415), before anything parses it.

    Actions that take no input (views with `accepts_empty_body = True`, e.g. rotating a secret)
    may also be POSTed with no body at all, as clients usually send such actions.
    """
    if request.method in {"POST", "PUT", "PATCH"} and not request.is_json and not _bodyless():
        return problem_response(
            415,
            "Send the body as JSON with Content-Type: application/json.",
            errors={"Content-Type": [f"Unsupported media type {request.mimetype or '(none)'}."]},
        )
    return None


def _bodyless() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    allowed = getattr(getattr(view, "view_class", None), "accepts_empty_body", False)
    return bool(allowed) and not request.get_data(cache=True)


def register_problem_handlers(app: Flask) -> None:
    """Install the 503 and last-resort 500 handlers (HTTP errors go through ProblemApi)."""
    for exc in (*REDIS_UNAVAILABLE, BrokerUnavailable):
        app.register_error_handler(exc, _service_unavailable)
    app.register_error_handler(Exception, _internal_error)
