"""The dispatch sweeper repairs what crashes leave behind, against a real Redis and broker.

A Redis of its own per test: the session's worker consumes the shared Redis's checks queue and
would take the messages these tests count.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import redis
from celery import Celery

from keyspace.checks import NewCheck
from keyspace.stores import Stores
from settings import Settings, load_settings
from workers.celery_app import QueueNames, create_celery
from workers.dispatch import check_ended, sweep

LIMIT = 2


@pytest.fixture
def fresh_settings(fresh_redis) -> Settings:
    # A message counts as lost once older than visibility timeout + hard time limit: 2 s here.
    return load_settings(
        env={},
        redis_url=fresh_redis.url,
        key_prefix="fdsweep",
        tenant_in_flight=LIMIT,
        visibility_timeout_s=1,
        task_time_limit_s=1,
    )


@pytest.fixture
def fresh_stores(fresh_settings: Settings) -> Iterator[Stores]:
    stores = Stores.from_settings(fresh_settings, "newsroom-a")
    yield stores
    stores.redis.close()


@pytest.fixture
def celery(fresh_settings: Settings) -> Iterator[Celery]:
    app = create_celery(fresh_settings)
    yield app
    app.close()


def queued_checks(stores: Stores, count: int) -> list[str]:
    new = [
        NewCheck({"claim": f"Claim {i}.", "sources": ["article"]}, f"fp{i}") for i in range(count)
    ]
    records, _ = stores.checks.create_many(new)
    return [r["id"] for r in records]


def broker_messages(client: redis.Redis) -> int:
    return int(client.llen(QueueNames.CHECKS))


def test_a_slot_a_dead_worker_never_freed_goes_to_the_next_check(
    fresh_stores, fresh_settings, celery
) -> None:
    ids = queued_checks(fresh_stores, 4)
    fresh_stores.dispatch.take()  # ids[0], ids[1] in flight (their messages: lost here)
    fresh_stores.checks.mark_failed(ids[0], "the worker died before handing its slot on")
    assert sweep(fresh_stores.redis, fresh_settings, celery) == 1
    assert set(fresh_stores.dispatch.in_flight()) == {ids[1], ids[2]}
    assert broker_messages(fresh_stores.redis) == 1


def test_a_discarded_or_expired_check_frees_its_slot(fresh_stores, fresh_settings, celery) -> None:
    ids = queued_checks(fresh_stores, 3)
    fresh_stores.dispatch.take()
    fresh_stores.redis.delete(fresh_stores.keys.check(ids[0]))
    sweep(fresh_stores.redis, fresh_settings, celery)
    assert set(fresh_stores.dispatch.in_flight()) == {ids[1], ids[2]}


def test_a_lost_message_is_sent_again_once_by_concurrent_sweepers(
    fresh_stores, fresh_settings, celery
) -> None:
    ids = queued_checks(fresh_stores, 3)
    fresh_stores.dispatch.take()  # in flight without a message: as if lost in a crash
    assert sweep(fresh_stores.redis, fresh_settings, celery) == 0  # too recent to call lost
    in_flight = fresh_stores.keys.checks_in_flight()
    fresh_stores.redis.zadd(in_flight, dict.fromkeys(ids[:2], 1000.0))  # sent long ago
    sent: list[int] = []
    sweepers = [
        threading.Thread(
            target=lambda: sent.append(sweep(fresh_stores.redis, fresh_settings, celery))
        )
        for _ in range(4)
    ]
    for thread in sweepers:
        thread.start()
    for thread in sweepers:
        thread.join()
    assert sum(sent) == 2
    assert broker_messages(fresh_stores.redis) == 2
    assert fresh_stores.dispatch.pending_count() == 1


def test_free_slots_are_filled_from_the_pending_list(fresh_stores, fresh_settings, celery) -> None:
    ids = queued_checks(fresh_stores, 3)
    fresh_stores.dispatch.unsend(fresh_stores.dispatch.take())  # the broker refused
    assert sweep(fresh_stores.redis, fresh_settings, celery) == LIMIT
    assert set(fresh_stores.dispatch.in_flight()) == set(ids[:LIMIT])
    assert broker_messages(fresh_stores.redis) == LIMIT


def test_a_check_that_ends_sends_the_tenants_next_one(fresh_stores, celery) -> None:
    ids = queued_checks(fresh_stores, 3)
    fresh_stores.dispatch.take()
    check_ended(celery, fresh_stores.dispatch, ids[0])
    assert set(fresh_stores.dispatch.in_flight()) == {ids[1], ids[2]}
    assert broker_messages(fresh_stores.redis) == 1


def test_a_broker_refusal_puts_the_check_back_in_line(fresh_stores, fresh_settings) -> None:
    from dataclasses import replace

    from stack.embedded_redis import free_port

    dead = create_celery(replace(fresh_settings, redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    dead.conf.broker_connection_retry = False
    dead.conf.task_publish_retry_policy = {"max_retries": 0}
    ids = queued_checks(fresh_stores, 3)
    fresh_stores.dispatch.take()
    check_ended(dead, fresh_stores.dispatch, ids[0])  # logs; never raises into the task
    dead.close()
    assert set(fresh_stores.dispatch.in_flight()) == {ids[1]}
    assert fresh_stores.dispatch.take() == [ids[2]]  # still first in line


def test_checks_an_api_created_but_never_sent_are_sent_by_the_sweeper(
    fresh_stores, fresh_settings, celery
) -> None:
    # The API process died between writing the records and sending: no message, no slot taken.
    ids = queued_checks(fresh_stores, LIMIT + 1)
    assert broker_messages(fresh_stores.redis) == 0
    assert sweep(fresh_stores.redis, fresh_settings, celery) == LIMIT
    assert set(fresh_stores.dispatch.in_flight()) == set(ids[:LIMIT])
    assert broker_messages(fresh_stores.redis) == LIMIT
    assert fresh_stores.dispatch.pending_count() == 1
