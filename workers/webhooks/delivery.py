"""One delivery attempt, and the decision about what happens after it.

Kept apart from the Celery task so the rules (only 2xx succeeds, a 3xx is a failure and is
never followed, 410 disables, 429/503 may set the next delay, the spec's retry schedule with
jitter) are plain functions a test can call.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import requests

from workers.ssrf import UnsafeTargetError
from workers.webhooks.signing import signature_header

# Standard Webhooks' suggested schedule: the delay before retry 1, 2, … after a failed attempt.
RETRY_SCHEDULE_S: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
JITTER = 0.1  # ± fraction of each delay, so endpoints that failed together don't retry together
MAX_RETRY_AFTER_S = 24 * 3600
USER_AGENT = "factdesk-webhooks/1"

Decision = Literal["succeeded", "retry", "gone", "refused"]


@dataclass(frozen=True)
class Outcome:
    """What one HTTP attempt produced; `status_code` is None when no response came back."""

    status_code: int | None
    latency_ms: int
    error: str | None = None
    retry_after_s: float | None = None

    def as_log(self) -> dict[str, object]:
        return {
            "at": time.time(),
            "status_code": self.status_code,
            "latency_ms": self.latency_ms,
            "error": self.error,
        }


def send(
    session: requests.Session,
    url: str,
    msg_id: str,
    body: str,
    secrets: Sequence[str],
    timeout_s: float,
    now: float | None = None,
) -> Outcome:
    """POST one signed message; never raises for network or SSRF failures, reports them."""
    timestamp = int(time.time() if now is None else now)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets, msg_id, timestamp, body),
    }
    started = time.monotonic()
    try:
        # Redirects are not followed: requests would turn the POST into a body-less GET on
        # 301/302/303, and Standard Webhooks counts any 3xx as a failed attempt anyway.
        response = session.post(
            url,
            data=body.encode("utf-8"),
            headers=headers,
            timeout=timeout_s,
            stream=True,
            allow_redirects=False,
        )
        response.close()  # the receiver's body is of no interest, and may be huge
    except UnsafeTargetError as e:
        return Outcome(None, _ms_since(started), f"refused: {e}")
    except requests.RequestException as e:
        return Outcome(None, _ms_since(started), f"{type(e).__name__}: {e}"[:300])
    retry_after = None
    if response.status_code in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    error = None
    if 300 <= response.status_code < 400:
        error = f"redirect ({response.status_code}) not followed; register the final URL"
    return Outcome(response.status_code, _ms_since(started), error, retry_after)


def decide(outcome: Outcome) -> Decision:
    """Only 2xx is success; 410 Gone means the receiver wants no more; SSRF refusals are final."""
    if outcome.error and outcome.error.startswith("refused:"):
        return "refused"
    if outcome.status_code is not None and 200 <= outcome.status_code < 300:
        return "succeeded"
    if outcome.status_code == 410:
        return "gone"
    return "retry"


def retry_delay(
    attempts_made: int,
    outcome: Outcome,
    *,
    scale: float = 1.0,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds until the next attempt, or None when the schedule is exhausted.

    `scale` shrinks the schedule for tests only. A Retry-After from a 429/503 is honoured as
    a lower bound (never shortened by jitter or scale) up to a day.
    """
    if attempts_made > len(RETRY_SCHEDULE_S):
        return None
    base = RETRY_SCHEDULE_S[attempts_made - 1] * scale
    jitter = (rng or random).uniform(-JITTER, JITTER) * base
    delay = base + jitter
    if outcome.retry_after_s is not None:
        delay = max(delay, min(outcome.retry_after_s, MAX_RETRY_AFTER_S))
    return delay


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Parse Retry-After as delta-seconds or an HTTP-date; None when absent or malformed."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
