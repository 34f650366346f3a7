"""Bound how many long-polls wait at once, so they cannot hold every server thread.

waitress serves each request on one of FACTDESK_THREADS threads and a long-poll keeps its
thread for up to 30 s. Without a bound, that many long-polls starve `/healthz` and every other
client (issue #12, finding 7). A long-poll beyond the bound does not wait: it answers the
check as it stands now with `Retry-After`, which the contract allows (`wait` is "up to").
"""

from __future__ import annotations

import threading

from flask import Flask, Response, after_this_request, current_app

from keyspace.checks import CheckStore

RETRY_AFTER_S = 1
_GATE = "factdesk.long_polls"


def install(app: Flask, limit: int) -> None:
    """Give `app` a gate admitting `limit` long-polls at once."""
    app.extensions[_GATE] = threading.BoundedSemaphore(limit)


def wait_final(checks: CheckStore, check_id: str, wait_s: float) -> dict | None:
    """`checks.wait_final(check_id, wait_s)`, or no wait when every long-poll slot is taken."""
    if wait_s <= 0:
        return checks.get(check_id)
    gate: threading.BoundedSemaphore = current_app.extensions[_GATE]
    if not gate.acquire(blocking=False):

        @after_this_request
        def _retry_soon(response: Response) -> Response:
            response.headers["Retry-After"] = str(RETRY_AFTER_S)  # poll again, not at once
            return response

        return checks.get(check_id)
    try:
        return checks.wait_final(check_id, wait_s)
    finally:
        gate.release()
