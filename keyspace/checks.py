"""Check records: the service's own view of every check, independent of Celery's state.

The API writes `queued`; the worker writes `running`, then `done` (with the verdict) or
`failed`. Reaching a final state publishes on the check's channel so long-polls wake at once.
A `queued` record is written together with its id in the tenant's pending list (fair dispatch,
keyspace/dispatch.py), so a check cannot exist that nothing will ever send to a worker.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import redis

from keyspace.cache import VerdictCache
from keyspace.dispatch import queue_pending
from keyspace.keys import Keys
from keyspace.metrics import count_check_finished
from keyspace.records import dumps, to_fields, utcnow
from vocabulary import DONE, FAILED, FINAL_STATES, QUEUED, RUNNING

# Verdicts the done log keeps (the newest): this deployment's reviews `factchecks` can find.
DONE_LOG_LENGTH = 100_000

_JSON_FIELDS = ("sources", "metadata", "verdict")
_OPTIONAL_FIELDS = (
    "article_id",
    "article_revision",
    "callback_url",
    "metadata",
    "started_at",
    "finished_at",
    "error",
    "verdict",
)


def new_check_id() -> str:
    return "chk_" + secrets.token_hex(10)


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""

    def __init__(self, check_id: str) -> None:
        super().__init__(check_id)
        self.check_id = check_id


@dataclass(frozen=True)
class NewCheck:
    """One check to create: the request's fields, its cache fingerprint, and the verdict when
    the cache already had one (the check is then created `done`)."""

    request: dict[str, object]
    fingerprint: str
    verdict: dict | None = None


@dataclass(frozen=True)
class CheckStore:
    redis: redis.Redis
    keys: Keys
    # Retention (FACTDESK_CHECK_TTL_S): a check record and its idempotency key expire this long
    # after creation, so Redis does not grow forever; 0 keeps them.
    ttl_s: int = 0

    def create(
        self,
        request: dict[str, object],
        *,
        fingerprint: str,
        verdict: dict | None = None,
        idempotency: tuple[str, str] | None = None,
    ) -> tuple[dict, bool]:
        """Store a new check (queued, or done when `verdict` came from the cache).

        `idempotency` is (key, body_hash). When the key was seen with the same body, the earlier
        check is returned with created=False and nothing is written.

        :raise IdempotencyConflict: when the key was seen with a different body.
        """
        records, created = self.create_many(
            [NewCheck(request, fingerprint, verdict)], idempotency=idempotency
        )
        return records[0], created

    def create_many(
        self,
        checks: Sequence[NewCheck],
        *,
        idempotency: tuple[str, str] | None = None,
        also: Callable[[redis.client.Pipeline, list[dict]], None] | None = None,
    ) -> tuple[list[dict], bool]:
        """Store new checks all at once (one MULTI/EXEC): every one of them, or none.

        The queued ones join the tenant's pending list in the same MULTI/EXEC; sending them
        is the caller's next step (workers/dispatch.py `dispatch_pending`), or the sweeper's
        if the caller dies first. `also(pipe, records)` queues further writes that must exist
        exactly when the checks do (a draft that waits on them); it may run more than once
        (a retried transaction), so it only queues commands on `pipe`.

        Every record is encoded before anything is sent, so a value Redis cannot store fails
        the whole call without writing. `idempotency` (key, body_hash) needs exactly one check.

        :raise IdempotencyConflict: when the key was seen with a different body.
        """
        if idempotency is not None and len(checks) != 1:
            raise ValueError("an Idempotency-Key names exactly one check")
        now = utcnow()
        check_ids = [new_check_id() for _ in checks]
        encoded = [
            self._encode(self._new_record(check_id, check, now))
            for check_id, check in zip(check_ids, checks, strict=True)
        ]
        records = [self._decode_existing(fields) for fields in encoded]
        idem_key = self.keys.idempotency(idempotency[0]) if idempotency else None
        body_hash = idempotency[1] if idempotency else None

        def write(pipe: redis.client.Pipeline) -> str | None:
            """Return the earlier check's id on an idempotent replay, else None (written)."""
            if idem_key is not None:
                seen = pipe.get(idem_key)
                if seen is not None:
                    earlier = json.loads(seen)
                    if earlier["body_hash"] != body_hash:
                        raise IdempotencyConflict(earlier["check_id"])
                    return str(earlier["check_id"])
            pipe.multi()
            # Scored when sent (keyspace/dispatch.py): until then a check waits its turn in
            # the pending list and never counts as lost (`unfinished_count`).
            unfinished = {
                check_id: float("inf")
                for check_id, check in zip(check_ids, checks, strict=True)
                if check.verdict is None
            }
            if unfinished:
                pipe.zadd(self.keys.checks_unfinished(), unfinished)
            for check_id, fields, check in zip(check_ids, encoded, checks, strict=True):
                pipe.hset(self.keys.check(check_id), mapping=fields)
                if check.verdict is not None:  # answered from the verdict cache: done now
                    count_check_finished(pipe, self.keys, DONE, cached=True)
                if self.ttl_s > 0:
                    pipe.expire(self.keys.check(check_id), self.ttl_s)
            queue_pending(pipe, self.keys, list(unfinished))
            if idem_key is not None:
                pipe.set(
                    idem_key,
                    dumps({"body_hash": body_hash, "check_id": check_ids[0]}),
                    ex=self.ttl_s or None,
                )
            if also is not None:
                also(pipe, records)
            return None

        watched = [idem_key] if idem_key else []
        earlier_id = self.redis.transaction(write, *watched, value_from_callable=True)
        if earlier_id is not None:
            earlier = self.get(earlier_id)
            if earlier is None:  # idempotency keys are deleted with their check (discard)
                raise LookupError(f"idempotency key names a missing check {earlier_id}")
            return [earlier], False
        return records, True

    @staticmethod
    def _new_record(check_id: str, check: NewCheck, now: str) -> dict[str, object]:
        done = check.verdict is not None
        return {
            **check.request,
            "id": check_id,
            "status": DONE if done else QUEUED,
            "fingerprint": check.fingerprint,
            "created_at": now,
            "finished_at": now if done else None,
            "attempts": 0,
            "verdict": check.verdict,
        }

    def get(self, check_id: str) -> dict | None:
        return self._decode(self.redis.hgetall(self.keys.check(check_id)))

    def idempotency_seen(self, key: str) -> bool:
        """True when an Idempotency-Key was already used (a replay writes nothing)."""
        return bool(self.redis.exists(self.keys.idempotency(key)))

    def discard(self, check_ids: Sequence[str], idempotency_key: str | None = None) -> None:
        """Remove checks that could not be queued, so a retry of the request starts afresh.

        A task message already sent for one of them finds no record and does nothing.
        """
        keys = [self.keys.check(check_id) for check_id in check_ids]
        if idempotency_key:
            keys.append(self.keys.idempotency(idempotency_key))
        if keys:
            pipe = self.redis.pipeline(transaction=True)
            pipe.delete(*keys)
            if check_ids:
                pipe.zrem(self.keys.checks_unfinished(), *check_ids)
            pipe.execute()

    def unfinished_count(self, stale_after_s: float) -> int:
        """How many of the tenant's checks are queued or running. Entries sent more than
        `stale_after_s` ago (a lost message, an expired record) stop counting; a check still
        pending (fair dispatch) counts however long it waits."""
        key = self.keys.checks_unfinished()
        pipe = self.redis.pipeline(transaction=True)
        pipe.zremrangebyscore(key, "-inf", time.time() - stale_after_s)
        pipe.zcard(key)
        return int(pipe.execute()[1])

    def mark_running(self, check_id: str) -> dict | None:
        """Record a new attempt; None when the check is missing or already final (skip it)."""
        key = self.keys.check(check_id)

        def write(pipe: redis.client.Pipeline) -> dict | None:
            record = self._decode(pipe.hgetall(key))
            if record is None or record["status"] in FINAL_STATES:
                return None
            pipe.multi()
            pipe.hset(key, mapping={"status": RUNNING, "started_at": utcnow()})
            pipe.hincrby(key, "attempts", 1)
            return {**record, "status": RUNNING, "attempts": record["attempts"] + 1}

        return self.redis.transaction(write, key, value_from_callable=True)

    def mark_done(
        self, check_id: str, verdict: dict, cache: VerdictCache, *, cacheable: bool = True
    ) -> None:
        """Store the verdict, fill the cache if `cacheable`, wake waiters: one MULTI/EXEC."""
        record = self.get(check_id)
        if record is None:
            return
        pipe = self.redis.pipeline(transaction=True)
        verdict_json, finished_at = dumps(verdict), utcnow()
        pipe.hset(
            self.keys.check(check_id),
            mapping={"status": DONE, "verdict": verdict_json, "finished_at": finished_at},
        )
        pipe.hdel(self.keys.check(check_id), "error")
        if cacheable:
            cache.put(pipe, record["fingerprint"], verdict_json)
        pipe.zrem(self.keys.checks_unfinished(), check_id)
        review = {
            "id": check_id,
            "claim": record["claim"],
            "label": str(verdict.get("label", "")),
            "confidence": str(verdict.get("confidence", 0.0)),
            "finished_at": finished_at,
        }
        pipe.xadd(self.keys.checks_done(), review, maxlen=DONE_LOG_LENGTH, approximate=True)
        pipe.publish(self.keys.check_events(check_id), DONE)
        count_check_finished(pipe, self.keys, DONE)
        pipe.execute()

    def mark_failed(self, check_id: str, error: str) -> bool:
        """Record a failure and wake waiters; False (and no change) if missing or already final."""
        key = self.keys.check(check_id)

        def write(pipe: redis.client.Pipeline) -> bool:
            status = pipe.hget(key, "status")
            if status is None or status in FINAL_STATES:
                return False
            pipe.multi()
            pipe.hset(key, mapping={"status": FAILED, "error": error, "finished_at": utcnow()})
            pipe.zrem(self.keys.checks_unfinished(), check_id)
            pipe.publish(self.keys.check_events(check_id), FAILED)
            count_check_finished(pipe, self.keys, FAILED)
            return True

        return self.redis.transaction(write, key, value_from_callable=True)

    def wait_final(self, check_id: str, timeout_s: float) -> dict | None:
        """Return the record once final, or as it stands after `timeout_s`; None if missing.

        Subscribes before reading, so a completion between the read and the wait is not missed.
        """
        record = self.get(check_id)
        if record is None or record["status"] in FINAL_STATES or timeout_s <= 0:
            return record
        deadline = time.monotonic() + timeout_s
        with self.redis.pubsub(ignore_subscribe_messages=True) as pubsub:
            pubsub.subscribe(self.keys.check_events(check_id))
            record = self.get(check_id)
            while record is not None and record["status"] not in FINAL_STATES:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                # Reads of at most a second keep the socket timeout from firing mid-wait, and
                # the re-read after each one covers a message lost to a reconnect.
                pubsub.get_message(timeout=min(remaining, 1.0))
                record = self.get(check_id)
            return record

    @staticmethod
    def _encode(record: dict[str, object]) -> dict[str, str]:
        values = dict(record)
        for name in _JSON_FIELDS:
            if values.get(name) is not None:
                values[name] = dumps(values[name])
        return to_fields(values)

    @classmethod
    def _decode_existing(cls, raw: dict[str, str]) -> dict:
        record = cls._decode(raw)
        assert record is not None  # raw holds the fields of a record
        return record

    @staticmethod
    def _decode(raw: dict[str, str]) -> dict | None:
        if not raw:
            return None
        record: dict[str, object] = {**dict.fromkeys(_OPTIONAL_FIELDS), **raw}
        record["attempts"] = int(raw.get("attempts", "0"))
        for name in _JSON_FIELDS:
            if name in raw:
                record[name] = json.loads(raw[name])
        return record
