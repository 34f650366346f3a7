"""Per-endpoint in-flight limit and failure clock, against a real Redis (issue #12, finding 1)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from workers.webhooks.endpoint_guard import FailureClock, InFlight, endpoint_name


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(redis_url, decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture
def key() -> str:
    return f"fdtest:guard:{uuid.uuid4().hex}"


def test_at_most_limit_attempts_hold_a_slot(client: redis.Redis, key: str) -> None:
    slots = InFlight(client, key, limit=2, lease_s=30)
    assert slots.acquire("a", now=100) and slots.acquire("b", now=100)
    assert not slots.acquire("c", now=101)
    slots.release("a")
    assert slots.acquire("c", now=102)


def test_a_dead_workers_slot_frees_itself_when_its_lease_ends(
    client: redis.Redis, key: str
) -> None:
    slots = InFlight(client, key, limit=1, lease_s=30)
    assert slots.acquire("died", now=100)
    assert not slots.acquire("next", now=129)
    assert slots.acquire("next", now=131)


def test_failure_clock_counts_from_the_first_failure_until_a_success(
    client: redis.Redis, key: str
) -> None:
    clock = FailureClock(client, key, ttl_s=3600)
    assert clock.failed(now=1000) == 0
    assert clock.failed(now=1060) == 60
    clock.succeeded()
    assert clock.failed(now=2000) == 0


def test_callback_urls_are_limited_per_host() -> None:
    a = endpoint_name(None, "https://Receiver.example/a?x=1")
    assert a == endpoint_name(None, "https://receiver.example:8443/b")
    assert a != endpoint_name(None, "https://other.example/a")
    assert endpoint_name("wh_1234abcd", "https://receiver.example/a") == "wh_1234abcd"
    assert ":" not in a
