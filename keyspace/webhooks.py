"""Webhook endpoints and their delivery log (key names: `Keys.webhook*`, `Keys.delivery*`).

An endpoint's delivery log is capped at DELIVERY_LOG_SIZE; delivery records expire after
`delivery_ttl_s` (FACTDESK_DELIVERY_TTL_S); endpoints persist until deleted.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from keyspace.keys import Keys
from keyspace.metrics import count_webhook_attempt, count_webhook_delivery
from keyspace.records import dumps, to_fields, utcnow

DELIVERY_LOG_SIZE = 100

PENDING, SUCCEEDED, FAILED, CANCELLED = "pending", "succeeded", "failed", "cancelled"
FINAL_DELIVERY_STATES = frozenset({SUCCEEDED, FAILED, CANCELLED})


def new_webhook_id() -> str:
    return "wh_" + secrets.token_hex(10)


def new_delivery_id() -> str:
    return "dlv_" + secrets.token_hex(10)


def new_message_id() -> str:
    """The spec's webhook-id: stable across retries and redeliveries of one message."""
    return "msg_" + secrets.token_hex(12)


@dataclass(frozen=True)
class WebhookStore:
    redis: redis.Redis
    keys: Keys
    delivery_ttl_s: int = 30 * 24 * 3600

    # --- endpoints -------------------------------------------------------------------------

    def create_endpoint(
        self, url: str, events: list[str], secret: str, description: str = ""
    ) -> dict:
        webhook_id = new_webhook_id()
        record = {
            "id": webhook_id,
            "url": url,
            "events": ",".join(events),
            "secret": secret,
            "description": description,
            "created_at": utcnow(),
            "state": "enabled",
        }
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.keys.webhook(webhook_id), mapping=to_fields(record))
        pipe.zadd(self.keys.webhooks(), {webhook_id: time.time()})
        pipe.execute()
        endpoint = _decode_endpoint(to_fields(record))
        assert endpoint is not None  # the fields of the record just written
        return endpoint

    def get_endpoint(self, webhook_id: str) -> dict | None:
        return _decode_endpoint(self.redis.hgetall(self.keys.webhook(webhook_id)))

    def list_endpoints(self) -> list[dict]:
        ids = self.redis.zrange(self.keys.webhooks(), 0, -1)
        pipe = self.redis.pipeline(transaction=False)
        for webhook_id in ids:
            pipe.hgetall(self.keys.webhook(webhook_id))
        return [e for e in map(_decode_endpoint, pipe.execute()) if e is not None]

    def delete_endpoint(self, webhook_id: str) -> bool:
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(self.keys.webhook(webhook_id))
        pipe.zrem(self.keys.webhooks(), webhook_id)
        pipe.delete(self.keys.webhook_deliveries(webhook_id))
        return bool(pipe.execute()[0])

    def rotate_secret(self, webhook_id: str, new_secret: str, grace_s: int) -> dict | None:
        """Make `new_secret` current; the old one stays valid (and signed with) for `grace_s`."""
        key = self.keys.webhook(webhook_id)

        def write(pipe: redis.client.Pipeline) -> dict | None:
            current = pipe.hgetall(key)
            if not current:
                return None
            pipe.multi()
            pipe.hset(
                key,
                mapping={
                    "secret": new_secret,
                    "previous_secret": current["secret"],
                    "previous_secret_expires": repr(int(time.time()) + grace_s),
                },
            )
            return {**current, "secret": new_secret}

        if self.redis.transaction(write, key, value_from_callable=True) is None:
            return None
        return self.get_endpoint(webhook_id)

    def disable_endpoint(self, webhook_id: str, reason: str) -> None:
        key = self.keys.webhook(webhook_id)
        if self.redis.exists(key):
            self.redis.hset(key, mapping={"state": "disabled", "disabled_reason": reason})

    def enable_endpoint(self, webhook_id: str) -> dict | None:
        """Put a disabled endpoint back in service (its failure clock restarts); None if missing."""
        key = self.keys.webhook(webhook_id)

        def write(pipe: redis.client.Pipeline) -> bool:
            if not pipe.exists(key):
                return False
            pipe.multi()
            pipe.hset(key, "state", "enabled")
            pipe.hdel(key, "disabled_reason")
            pipe.delete(self.keys.webhook_failing_since(webhook_id))
            return True

        if not self.redis.transaction(write, key, value_from_callable=True):
            return None
        return self.get_endpoint(webhook_id)

    def callback_secret(self, generate: Callable[[], str]) -> str:
        """Return the tenant's secret that signs its `callback_url` deliveries (made once)."""
        self.redis.set(self.keys.webhook_callback_secret(), generate(), nx=True)
        return self.redis.get(self.keys.webhook_callback_secret())

    # --- deliveries ------------------------------------------------------------------------

    def create_delivery(
        self,
        *,
        url: str,
        event_type: str,
        payload: dict,
        webhook_id: str | None,
        delivery_id: str | None = None,
    ) -> tuple[dict, bool]:
        """Store a pending message; the payload is frozen now so retries send identical bytes.

        With a `delivery_id` derived from the event, a repeated call (a redelivered fan-out
        task) finds the existing delivery and returns it with created=False.
        """
        delivery_id = delivery_id or new_delivery_id()
        existing = self.get_delivery(delivery_id)
        if existing is not None:
            return existing, False
        record = {
            "id": delivery_id,
            "webhook_id": webhook_id,
            "url": url,
            "event_type": event_type,
            "msg_id": new_message_id(),
            "payload": dumps(payload),
            "status": PENDING,
            "attempts": 0,
            "created_at": utcnow(),
        }
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.keys.delivery(delivery_id), mapping=to_fields(record))
        pipe.expire(self.keys.delivery(delivery_id), self.delivery_ttl_s)
        if webhook_id:
            log = self.keys.webhook_deliveries(webhook_id)
            pipe.lpush(log, delivery_id)
            pipe.ltrim(log, 0, DELIVERY_LOG_SIZE - 1)
        pipe.execute()
        return self.get_delivery(delivery_id), True  # type: ignore[return-value]

    def get_delivery(self, delivery_id: str) -> dict | None:
        record = _decode_delivery(self.redis.hgetall(self.keys.delivery(delivery_id)))
        if record is not None:
            raw = self.redis.lrange(self.keys.delivery_attempts(delivery_id), 0, -1)
            record["attempt_log"] = [json.loads(item) for item in raw]
        return record

    def list_deliveries(self, webhook_id: str, limit: int = DELIVERY_LOG_SIZE) -> list[dict]:
        ids = self.redis.lrange(self.keys.webhook_deliveries(webhook_id), 0, limit - 1)
        found = (self.get_delivery(delivery_id) for delivery_id in ids)
        return [record for record in found if record is not None]

    def claim(self, delivery_id: str, attempt: int, hold_s: int) -> float | None:
        """Take the right to run attempt `attempt` of a delivery.

        Returns 0 when this caller now holds the claim; None when the attempt already ran or
        the delivery is final (drop the message); otherwise the seconds until another holder's
        claim expires (try again then). A claim expires after `hold_s`, so when a worker dies
        mid-send the redelivered task message runs the attempt again: the receiver may then
        see a duplicate (same webhook-id), but the message is never lost.
        """
        record = self.redis.hmget(self.keys.delivery(delivery_id), "status", "attempts")
        status, attempts = record[0], int(record[1] or 0)
        if status is None or status in FINAL_DELIVERY_STATES or attempts >= attempt:
            return None
        claim_key = self.keys.delivery_claim(delivery_id, attempt)
        if self.redis.set(claim_key, "1", nx=True, ex=hold_s):
            return 0
        return max(float(self.redis.ttl(claim_key)), 1.0)

    def record_attempt(
        self,
        delivery_id: str,
        attempt: int,
        outcome: dict[str, object],
        *,
        status: str,
        next_attempt_at: float | None = None,
    ) -> None:
        """Append one attempt's outcome and move the delivery to `status`, atomically."""
        key = self.keys.delivery(delivery_id)
        fields = {
            "status": status,
            "attempts": attempt,
            "last_status_code": outcome.get("status_code"),
            "last_latency_ms": outcome.get("latency_ms"),
            "last_error": outcome.get("error"),
            "next_attempt_at": next_attempt_at,
        }
        pipe = self.redis.pipeline(transaction=True)
        pipe.hdel(key, "last_status_code", "last_latency_ms", "last_error", "next_attempt_at")
        pipe.hset(key, mapping=to_fields(fields))
        pipe.rpush(self.keys.delivery_attempts(delivery_id), dumps({"attempt": attempt, **outcome}))
        pipe.expire(self.keys.delivery_attempts(delivery_id), self.delivery_ttl_s)
        pipe.delete(self.keys.delivery_claim(delivery_id, attempt))
        count_webhook_attempt(pipe, self.keys, SUCCEEDED if status == SUCCEEDED else FAILED)
        if status in FINAL_DELIVERY_STATES:
            count_webhook_delivery(pipe, self.keys, status)
        pipe.execute()

    def finish(self, delivery_id: str, status: str) -> None:
        """Move a delivery to a final state without an attempt (endpoint deleted or disabled)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.keys.delivery(delivery_id), "status", status)
        count_webhook_delivery(pipe, self.keys, status)
        pipe.execute()

    def reopen(self, delivery_id: str) -> dict | None:
        """Make a delivery pending again for a manual redelivery; attempts keep counting."""
        key = self.keys.delivery(delivery_id)
        if not self.redis.exists(key):
            return None
        self.redis.hset(key, "status", PENDING)
        self.redis.hdel(key, "next_attempt_at")
        return self.get_delivery(delivery_id)


def _decode_endpoint(raw: dict[str, str]) -> dict | None:
    if not raw:
        return None
    record: dict[str, object] = dict(raw)
    record["events"] = [e for e in raw.get("events", "").split(",") if e]
    if "previous_secret_expires" in raw:
        record["previous_secret_expires"] = int(raw["previous_secret_expires"])
    return record


def _decode_delivery(raw: dict[str, str]) -> dict | None:
    if not raw:
        return None
    record: dict[str, object] = dict(raw)
    record["attempts"] = int(raw.get("attempts", "0"))
    record["body"] = raw["payload"]  # the exact bytes that are signed and sent
    record["payload"] = json.loads(raw["payload"])
    for name in ("last_status_code", "last_latency_ms"):
        if name in raw:
            record[name] = int(float(raw[name]))
    if "next_attempt_at" in raw:
        record["next_attempt_at"] = float(raw["next_attempt_at"])
    return record
