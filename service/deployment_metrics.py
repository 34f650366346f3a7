"""The deployment's metrics, read from Redis at scrape time: queue depth, each tenant's
backlog, and the workers' counters.

Workers are other processes (often other machines), so what they did is counted in Redis
(keyspace/metrics.py) and read here; queue depth is the length of Celery's lists in the broker
(the same Redis). With fair dispatch the broker holds at most a few messages per tenant, so the
real backlog is each tenant's pending list and in-flight set (keyspace/dispatch.py), read for
the tenants with work. Four pipelined round trips per scrape. When Redis cannot be reached the
scrape still answers, with `factdesk_redis_up 0` and none of these series.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import redis
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from keyspace.connection import REDIS_UNAVAILABLE
from keyspace.dispatch import backlogs
from keyspace.keys import CELERY_UNACKED, Keys, celery_queue_lists
from keyspace.metrics import (
    ATTEMPT_LABELS,
    CHECK_LABELS,
    DELIVERY_LABELS,
    CounterSample,
    OpsCounters,
)


class DeploymentCollector(Collector):
    def __init__(self, client: redis.Redis, keys: Keys, queues: Sequence[str]) -> None:
        self._redis = client
        self._keys = keys
        self._queues = tuple(queues)

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily(
            "factdesk_redis_up", "1 when this scrape could read Redis, else 0 (no queue series)."
        )
        try:
            depths, unacked = self._queue_depths()
            tenant_backlogs = backlogs(self._redis, self._keys)
            counters = OpsCounters.read(self._redis, self._keys)
        except REDIS_UNAVAILABLE:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up

        queued = GaugeMetricFamily(
            "factdesk_queue_messages",
            "Messages waiting in a Celery queue (not yet handed to a worker).",
            labels=["queue"],
        )
        for queue, depth in depths.items():
            queued.add_metric([queue], depth)
        yield queued
        yield GaugeMetricFamily(
            "factdesk_queue_unacked_messages",
            "Messages handed to workers and not yet acknowledged, all queues (running tasks, "
            "and webhook retries a worker holds until their countdown ends).",
            value=unacked,
        )
        pending = GaugeMetricFamily(
            "factdesk_checks_pending",
            "Queued checks waiting in the tenant's pending list for a broker slot (fair "
            "dispatch); only tenants with work have a series.",
            labels=["tenant"],
        )
        in_flight = GaugeMetricFamily(
            "factdesk_checks_in_flight",
            "The tenant's checks holding a broker slot: sent and not yet ended (at most "
            "FACTDESK_TENANT_IN_FLIGHT); only tenants with work have a series.",
            labels=["tenant"],
        )
        for backlog in tenant_backlogs:
            pending.add_metric([backlog.tenant], backlog.pending)
            in_flight.add_metric([backlog.tenant], backlog.in_flight)
        yield pending
        yield in_flight
        yield _counter(
            "factdesk_checks_finished",
            "Checks that reached a final state (state: done|failed; cached: answered from the "
            "verdict cache at submission).",
            CHECK_LABELS,
            counters.checks_finished,
        )
        yield _counter(
            "factdesk_webhook_attempts",
            "Webhook delivery attempts by result (succeeded: a 2xx answer; failed: anything else).",
            ATTEMPT_LABELS,
            counters.webhook_attempts,
        )
        yield _counter(
            "factdesk_webhook_deliveries",
            "Webhook deliveries that reached a final state (succeeded|failed|cancelled).",
            DELIVERY_LABELS,
            counters.webhook_deliveries,
        )

    def _queue_depths(self) -> tuple[dict[str, int], int]:
        pipe = self._redis.pipeline(transaction=False)
        lists = {queue: celery_queue_lists(queue) for queue in self._queues}
        for keys in lists.values():
            for key in keys:
                pipe.llen(key)
        pipe.hlen(CELERY_UNACKED)
        lengths: Iterator[int] = iter(pipe.execute())
        depths = {queue: sum(next(lengths) for _ in keys) for queue, keys in lists.items()}
        return depths, next(lengths)


def _counter(
    name: str, documentation: str, labels: Sequence[str], samples: Sequence[CounterSample]
) -> CounterMetricFamily:
    family = CounterMetricFamily(name, documentation, labels=list(labels))
    for sample in samples:
        family.add_metric([sample.labels[label] for label in labels], sample.value)
    return family
