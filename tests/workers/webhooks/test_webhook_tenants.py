"""Webhook fan-out stays inside the check's tenant: its endpoints, its callback secret."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from celery import Celery

from keyspace.stores import Stores
from settings import Settings
from workers.celery_app import create_celery
from workers.context import WorkerContext
from workers.webhooks import tasks
from workers.webhooks.signing import generate_secret

HOOK = "https://93.184.216.34/hook"


@pytest.fixture
def celery_app(settings: Settings) -> Iterator[Celery]:
    app = create_celery(settings)
    app.set_current()
    yield app
    app.close()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch, settings, stores, celery_app) -> list[tuple]:
    """Run fan-out in process for any tenant; record the delivery tasks it queues."""
    ctx = WorkerContext(settings, stores, lambda claim, docs: None, celery_app)
    monkeypatch.setattr(tasks, "worker_context", lambda tenant: ctx.for_tenant(tenant))
    queued: list[tuple] = []
    monkeypatch.setattr(tasks.deliver, "delay", lambda *args: queued.append(args))
    return queued


def finished_check(stores: Stores, callback_url: str | None = None) -> str:
    record, _ = stores.checks.create(
        {"claim": "c", "sources": ["wikipedia"], "callback_url": callback_url}, fingerprint="f"
    )
    stores.checks.mark_failed(record["id"], "test")
    return record["id"]


def test_a_checks_events_reach_only_its_tenants_endpoints(stores: Stores, sent) -> None:
    other = stores.for_tenant("newsroom-b")
    mine = stores.webhooks.create_endpoint(HOOK, ["check.failed"], generate_secret())
    theirs = other.webhooks.create_endpoint(HOOK, ["check.failed"], generate_secret())
    tasks.fan_out(finished_check(other), "newsroom-b")
    assert [args[2] for args in sent] == ["newsroom-b"]  # the delivery task names the tenant
    assert len(other.webhooks.list_deliveries(theirs["id"])) == 1
    assert stores.webhooks.list_deliveries(mine["id"]) == []


def test_callback_deliveries_are_signed_with_the_tenants_own_secret(stores: Stores, sent) -> None:
    other = stores.for_tenant("newsroom-b")
    tasks.fan_out(finished_check(other, callback_url=HOOK), "newsroom-b")
    ((delivery_id, _, tenant),) = sent
    assert tenant == "newsroom-b"
    ctx = tasks.worker_context(tenant)
    signing = tasks._signing_secrets(ctx, ctx.stores.webhooks, None)
    assert signing == [other.webhooks.callback_secret(generate_secret)]
    assert signing != [stores.webhooks.callback_secret(generate_secret)]
