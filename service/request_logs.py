"""Each request's log context and its access-log line.

Every line logged while a request is handled carries its request id (the caller's
`X-Request-Id` when it is a plain token, else a new one; echoed on the response), the ids its
path names (`check_id`, `draft_id`, …) and, once the API key is checked, the tenant
(workers/logs.py adds them to the records). When the response is ready one `factdesk.access`
line records method, path, route, status and duration; successful probes and scrapes
(/healthz, /readyz, /metrics) are left out, as they come every few seconds.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from workers import logs

REQUEST_ID_HEADER = "X-Request-Id"
_PLAIN_TOKEN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")  # what a log line may safely repeat
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

access_log = logging.getLogger("factdesk.access")


def init_app(app: Flask) -> None:
    """Register the hooks; call before any other hook, so theirs log with the request id."""
    app.before_request(begin)
    app.after_request(finish)  # the first registered runs last: it sees the final status
    app.teardown_request(end)


def begin() -> None:
    logs.clear()  # waitress reuses threads: nothing of an earlier request may stay bound
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _PLAIN_TOKEN.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    path_ids = {
        name: value
        for name, value in (request.view_args or {}).items()
        if name in logs.CONTEXT_FIELDS
    }
    logs.bind(request_id=g.request_id, **path_ids)


def bind_tenant() -> None:
    """before_request after authentication: the caller's tenant (and key id) join the context."""
    principal = g.get("principal")
    if principal is not None:
        logs.bind(tenant=principal.tenant, key_id=principal.key_id)


def bind_check(check_id: str) -> None:
    """A view that creates a check names it, so its remaining lines carry its id."""
    logs.bind(check_id=check_id)


def finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is not None:
        response.headers[REQUEST_ID_HEADER] = request_id
    if request.path in QUIET_PATHS and response.status_code < 400:
        return response
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    access_log.info(
        "%s %s %d",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "route": request.url_rule.rule if request.url_rule is not None else None,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "client": request.remote_addr,
        },
    )
    return response


def end(_: BaseException | None = None) -> None:
    logs.clear()
