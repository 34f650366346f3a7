"""Operational counters kept in Redis: what the workers did, for the API's /metrics.

Workers and API processes are separate, so a counter in one process's memory would show only
that process's share. These live in three deployment-wide hashes (`Keys.metric_*`), one field
per label combination, and are incremented inside the same MULTI/EXEC that records the state
change they count, so a count never drifts from the records. Fields are `:`-joined label
values; tenant names and the states never hold a `:` (keyspace/keys.py), so splitting is exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import redis

from keyspace.keys import Keys

# Label names of each counter, in field order.
CHECK_LABELS = ("tenant", "state", "cached")
ATTEMPT_LABELS = ("tenant", "result")
DELIVERY_LABELS = ("tenant", "outcome")


def count_check_finished(
    pipe: redis.client.Pipeline, keys: Keys, state: str, *, cached: bool = False
) -> None:
    """Queue one increment of the finished-checks counter for `keys`' tenant on `pipe`."""
    field = _field(_tenant(keys), state, "true" if cached else "false")
    pipe.hincrby(keys.metric_checks_finished(), field, 1)


def count_webhook_attempt(pipe: redis.client.Pipeline, keys: Keys, result: str) -> None:
    """Queue one increment of the webhook-attempts counter (`result`: succeeded | failed)."""
    pipe.hincrby(keys.metric_webhook_attempts(), _field(_tenant(keys), result), 1)


def count_webhook_delivery(pipe: redis.client.Pipeline, keys: Keys, outcome: str) -> None:
    """Queue one increment of the deliveries counter (`outcome`: a final delivery state)."""
    pipe.hincrby(keys.metric_webhook_deliveries(), _field(_tenant(keys), outcome), 1)


@dataclass(frozen=True)
class CounterSample:
    """One counter's value for one combination of its labels."""

    labels: dict[str, str]
    value: int


@dataclass(frozen=True)
class OpsCounters:
    """All the counters of a deployment (`keys.prefix`), read in one round trip."""

    checks_finished: list[CounterSample]
    webhook_attempts: list[CounterSample]
    webhook_deliveries: list[CounterSample]

    @classmethod
    def read(cls, client: redis.Redis, keys: Keys) -> OpsCounters:
        pipe = client.pipeline(transaction=False)
        pipe.hgetall(keys.metric_checks_finished())
        pipe.hgetall(keys.metric_webhook_attempts())
        pipe.hgetall(keys.metric_webhook_deliveries())
        checks, attempts, deliveries = pipe.execute()
        return cls(
            checks_finished=list(_samples(checks, CHECK_LABELS)),
            webhook_attempts=list(_samples(attempts, ATTEMPT_LABELS)),
            webhook_deliveries=list(_samples(deliveries, DELIVERY_LABELS)),
        )


def _tenant(keys: Keys) -> str:
    assert keys.tenant is not None  # the stores that count are always bound to a tenant
    return keys.tenant


def _field(*values: str) -> str:
    return ":".join(values)


def _samples(raw: dict[str, str], labels: tuple[str, ...]) -> Iterator[CounterSample]:
    for field, value in sorted(raw.items()):
        parts = field.split(":")
        if len(parts) == len(labels):  # anything else was not written by this module
            yield CounterSample(dict(zip(labels, parts, strict=True)), int(value))
