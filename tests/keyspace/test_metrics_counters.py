"""The workers' counters for /metrics move with the records they count, once per change."""

from __future__ import annotations

from keyspace.keys import Keys
from keyspace.metrics import CounterSample, OpsCounters
from keyspace.stores import Stores
from keyspace.webhooks import CANCELLED, FAILED, PENDING, SUCCEEDED


def read(stores: Stores) -> OpsCounters:
    return OpsCounters.read(stores.redis, Keys(stores.keys.prefix))


def as_dict(samples: list[CounterSample]) -> dict[tuple[str, ...], int]:
    return {tuple(sample.labels.values()): sample.value for sample in samples}


def test_checks_are_counted_by_tenant_final_state_and_cache(stores: Stores) -> None:
    request = {"claim": "a", "sources": ["wikipedia"]}
    done, _ = stores.checks.create(request, fingerprint="f")
    failed, _ = stores.checks.create(request, fingerprint="f")
    stores.checks.create(request, fingerprint="f", verdict={"label": "SUPPORTED"})  # cache hit
    assert as_dict(read(stores).checks_finished) == {("newsroom-a", "done", "true"): 1}

    stores.checks.mark_done(done["id"], {"label": "SUPPORTED"}, stores.cache)
    stores.checks.mark_failed(failed["id"], "gave up")
    assert not stores.checks.mark_failed(done["id"], "late")  # already final: not counted
    other = stores.for_tenant("newsroom-b")
    extra, _ = other.checks.create(request, fingerprint="f")
    other.checks.mark_failed(extra["id"], "gave up")

    assert as_dict(read(stores).checks_finished) == {
        ("newsroom-a", "done", "false"): 1,
        ("newsroom-a", "done", "true"): 1,
        ("newsroom-a", "failed", "false"): 1,
        ("newsroom-b", "failed", "false"): 1,
    }


def test_webhook_attempts_and_final_delivery_outcomes_are_counted(stores: Stores) -> None:
    webhooks = stores.webhooks

    def delivery() -> str:
        record, _ = webhooks.create_delivery(
            url="https://example.org/h", event_type="check.completed", payload={}, webhook_id=None
        )
        return record["id"]

    retried, gave_up, cancelled = delivery(), delivery(), delivery()
    failed_attempt = {"status_code": 500, "latency_ms": 3, "error": None}
    webhooks.record_attempt(retried, 1, failed_attempt, status=PENDING, next_attempt_at=1.0)
    webhooks.record_attempt(retried, 2, {"status_code": 204, "latency_ms": 2}, status=SUCCEEDED)
    webhooks.record_attempt(gave_up, 1, failed_attempt, status=FAILED)
    webhooks.finish(cancelled, CANCELLED)

    counters = read(stores)
    assert as_dict(counters.webhook_attempts) == {
        ("newsroom-a", "failed"): 2,
        ("newsroom-a", "succeeded"): 1,
    }
    assert as_dict(counters.webhook_deliveries) == {
        ("newsroom-a", "cancelled"): 1,
        ("newsroom-a", "failed"): 1,
        ("newsroom-a", "succeeded"): 1,
    }
    assert webhooks.get_delivery(cancelled)["status"] == CANCELLED


def test_the_counters_are_deployment_wide_keys() -> None:
    keys = Keys("fdx").for_tenant("acme")
    built = [
        keys.metric_checks_finished(),
        keys.metric_webhook_attempts(),
        keys.metric_webhook_deliveries(),
    ]
    assert all(key.startswith("fdx:metrics:") for key in built)
    assert len(set(built)) == 3
