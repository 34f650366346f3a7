"""One delivery attempt against a local receiver, and the retry rules."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workers.ssrf import AllowList, guarded_session
from workers.webhooks.delivery import (
    RETRY_SCHEDULE_S,
    Outcome,
    decide,
    parse_retry_after,
    retry_delay,
    send,
)
from workers.webhooks.signing import generate_secret, verify_webhook


class _Receiver(BaseHTTPRequestHandler):
    status = 204
    extra_headers: dict[str, str] = {}
    received: list[tuple[dict[str, str], str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"])).decode()
        type(self).received.append((dict(self.headers.items()), body))
        self.send_response(self.status)
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    _Receiver.status, _Receiver.extra_headers, _Receiver.received = 204, {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def allowed_session():
    return guarded_session(AllowList.parse(["127.0.0.1"]))


def test_send_signs_so_the_receiver_can_verify(receiver: str) -> None:
    secret = generate_secret()
    outcome = send(allowed_session(), receiver, "msg_a", '{"x":1}', [secret], timeout_s=5)
    assert outcome.status_code == 204 and outcome.error is None
    headers, body = _Receiver.received[0]
    assert headers["webhook-id"] == "msg_a"
    assert verify_webhook(secret, body, headers) == {"x": 1}


def test_send_with_two_secrets_sends_two_signatures(receiver: str) -> None:
    old, new = generate_secret(), generate_secret()
    send(allowed_session(), receiver, "msg_b", "{}", [new, old], timeout_s=5)
    headers, body = _Receiver.received[0]
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify_webhook(old, body, headers) == {}
    assert verify_webhook(new, body, headers) == {}


def test_send_reports_retry_after_on_429(receiver: str) -> None:
    _Receiver.status, _Receiver.extra_headers = 429, {"Retry-After": "7"}
    outcome = send(allowed_session(), receiver, "msg_c", "{}", [generate_secret()], timeout_s=5)
    assert outcome.status_code == 429 and outcome.retry_after_s == 7


def test_send_reports_a_refused_target_without_connecting(receiver: str) -> None:
    session = guarded_session(AllowList())
    outcome = send(session, receiver, "msg_d", "{}", [generate_secret()], timeout_s=5)
    assert outcome.status_code is None and decide(outcome) == "refused"
    assert _Receiver.received == []


def test_send_reports_connection_errors() -> None:
    outcome = send(allowed_session(), "http://127.0.0.1:9/", "m", "{}", [generate_secret()], 5)
    assert outcome.status_code is None and "ConnectionError" in (outcome.error or "")
    assert decide(outcome) == "retry"


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (200, "succeeded"),
        (204, "succeeded"),
        (299, "succeeded"),
        (301, "retry"),
        (400, "retry"),
        (410, "gone"),
        (429, "retry"),
        (500, "retry"),
        (503, "retry"),
    ],
)
def test_only_2xx_succeeds_and_410_is_gone(status: int, decision: str) -> None:
    assert decide(Outcome(status, 10)) == decision


def test_retry_delays_follow_the_spec_schedule_within_jitter() -> None:
    rng = random.Random(1)
    for attempts_made, base in enumerate(RETRY_SCHEDULE_S, start=1):
        delay = retry_delay(attempts_made, Outcome(500, 1), rng=rng)
        assert delay is not None and 0.9 * base <= delay <= 1.1 * base
    assert retry_delay(len(RETRY_SCHEDULE_S) + 1, Outcome(500, 1)) is None


def test_retry_delays_scale_for_tests() -> None:
    delay = retry_delay(2, Outcome(500, 1), scale=0.001)
    assert delay is not None and 0.27 <= delay <= 0.33


def test_retry_after_is_a_lower_bound_capped_at_a_day() -> None:
    assert retry_delay(1, Outcome(503, 1, retry_after_s=60.0)) == 60.0
    assert retry_delay(1, Outcome(503, 1, retry_after_s=9e9)) == 86400


def test_parse_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=120), usegmt=True)
    assert parse_retry_after("30") == 30
    assert parse_retry_after(later, now=now.timestamp()) == pytest.approx(120)
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
