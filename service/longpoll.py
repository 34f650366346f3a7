"""Bound how many long-polls and event streams wait at once, so they cannot hold every thread.

waitress serves each request on one of FACTDESK_THREADS threads; a long-poll keeps its thread
for up to 30 s and a draft's event stream for up to 5 minutes. Without a bound, that many of
them starve `/healthz` and every other client (issue #12, finding 7). Beyond the bound a
long-poll does not wait: it answers the check as it stands now with `Retry-After`, which the
contract allows (`wait` is "up to"); an event stream sends only `retry:` and ends, and the
browser's EventSource reconnects after that many milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from flask import Flask, Response, after_this_request, current_app

from keyspace.checks import CheckStore

RETRY_AFTER_S = 1
STREAM_RETRY_MS = 3000
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


def gated_stream(stream: Iterator[str]) -> Iterator[str]:
    """Run an SSE `stream` while holding a slot; without a free slot, ask for a reconnect.

    A generator, so the slot is taken only once the server starts sending, and given back
    when the stream ends or the client goes away (the server closes the iterator).
    """
    gate: threading.BoundedSemaphore = current_app.extensions[_GATE]
    if not gate.acquire(blocking=False):
        yield f"retry: {STREAM_RETRY_MS}\n\n"
        return
    try:
        yield from stream
    finally:
        gate.release()
