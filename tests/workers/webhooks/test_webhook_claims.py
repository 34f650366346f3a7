"""Attempt claims in Redis: each attempt runs once, unless its worker died holding the claim."""

from __future__ import annotations

import time

import pytest

from keyspace.stores import Stores
from keyspace.webhooks import FAILED, PENDING, SUCCEEDED, WebhookStore


@pytest.fixture
def store(stores: Stores) -> WebhookStore:
    return stores.webhooks  # under the test's own key prefix


def new_delivery(store: WebhookStore) -> dict:
    delivery, created = store.create_delivery(
        url="https://example.org/hook",
        event_type="check.completed",
        payload={"a": 1},
        webhook_id=None,
    )
    assert created
    return delivery


def test_first_claim_wins_and_a_second_is_told_to_wait(store: WebhookStore) -> None:
    delivery = new_delivery(store)
    assert store.claim(delivery["id"], 1, hold_s=30) == 0
    wait = store.claim(delivery["id"], 1, hold_s=30)
    assert wait is not None and 1 <= wait <= 30


def test_a_recorded_attempt_cannot_be_claimed_again(store: WebhookStore) -> None:
    delivery = new_delivery(store)
    store.claim(delivery["id"], 1, hold_s=30)
    store.record_attempt(
        delivery["id"],
        1,
        {"status_code": 500, "latency_ms": 3},
        status=PENDING,
        next_attempt_at=time.time() + 5,
    )
    assert store.claim(delivery["id"], 1, hold_s=30) is None
    assert store.claim(delivery["id"], 2, hold_s=30) == 0


def test_final_deliveries_cannot_be_claimed(store: WebhookStore) -> None:
    for final in (SUCCEEDED, FAILED):
        delivery = new_delivery(store)
        store.finish(delivery["id"], final)
        assert store.claim(delivery["id"], 1, hold_s=30) is None


def test_an_expired_claim_can_be_taken_over(store: WebhookStore) -> None:
    delivery = new_delivery(store)
    assert store.claim(delivery["id"], 1, hold_s=1) == 0
    time.sleep(1.1)  # the holder "died": its claim ran out
    assert store.claim(delivery["id"], 1, hold_s=1) == 0


def test_same_delivery_id_is_created_once(store: WebhookStore) -> None:
    kwargs = dict(
        url="https://example.org/h",
        event_type="check.completed",
        payload={},
        webhook_id=None,
        delivery_id="dlv_fixed",
    )
    first, created = store.create_delivery(**kwargs)
    again, created_again = store.create_delivery(**kwargs)
    assert created and not created_again
    assert first["msg_id"] == again["msg_id"]


def test_attempt_log_keeps_every_attempt_in_order(store: WebhookStore) -> None:
    delivery = new_delivery(store)
    for attempt, code in enumerate([500, 503, 200], start=1):
        store.record_attempt(
            delivery["id"],
            attempt,
            {"status_code": code, "latency_ms": 1},
            status=SUCCEEDED if code == 200 else PENDING,
        )
    stored = store.get_delivery(delivery["id"])
    assert [a["status_code"] for a in stored["attempt_log"]] == [500, 503, 200]
    assert stored["attempts"] == 3 and stored["status"] == SUCCEEDED
