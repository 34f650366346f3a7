"""A receiver that redirects has not received the webhook (issue #12, finding 6).

Following a 301/302 turns the POST into a body-less GET; Standard Webhooks treats 3xx as a
failed attempt, so the sender must neither follow it nor call the delivery succeeded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workers.ssrf import AllowList, guarded_session
from workers.webhooks.delivery import decide, send
from workers.webhooks.signing import generate_secret


class _Redirecting(BaseHTTPRequestHandler):
    status = 302
    requests: list[tuple[str, str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        type(self).requests.append(("POST", self.path))
        self.send_response(self.status)
        self.send_header("location", "/landed")
        self.send_header("content-length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        type(self).requests.append(("GET", self.path))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redirecting() -> Iterator[str]:
    _Redirecting.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failed_attempt_and_is_not_followed(redirecting: str, status: int) -> None:
    _Redirecting.status = status
    session = guarded_session(AllowList.parse(["127.0.0.1"]))
    outcome = send(session, redirecting, "msg_r", '{"x":1}', [generate_secret()], timeout_s=5)
    assert _Redirecting.requests == [("POST", "/hook")]  # no GET to the redirect target
    assert outcome.status_code == status
    assert decide(outcome) == "retry"
    assert "redirect" in (outcome.error or "")
