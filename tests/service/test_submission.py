"""One submission path for checks, batches and drafts: all of it is stored and queued, or none.

Flask's test client against the real Redis; each test has a key prefix of its own (the
`settings` fixture), so a count of check records sees only what the test's requests wrote.
A refusing broker is a real one: a Celery app whose broker URL points at a closed port.
"""

from __future__ import annotations

import dataclasses

import pytest

from keyspace.stores import Stores
from settings import Settings
from stack.embedded_redis import free_port
from workers.celery_app import create_celery


@pytest.fixture
def article_id(stores: Stores, demo_text: str) -> str:
    return stores.articles.create(demo_text, 10, {})["id"]


@pytest.fixture
def refusing_broker(app, settings: Settings):
    """Point the app's Celery at a broker that is not there (publishing fails after retries)."""
    dead = create_celery(
        dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    )
    dead.conf.broker_connection_retry = False
    dead.conf.task_publish_retry_policy = {"max_retries": 0}
    fd = app.extensions["factdesk"]
    app.extensions["factdesk"] = dataclasses.replace(fd, celery=dead)
    yield
    app.extensions["factdesk"] = fd
    dead.close()


def check_records(stores: Stores) -> list[str]:
    """Every check record under the test's prefix (channels and idempotency keys aside)."""
    pattern = stores.keys.check("*")
    return [key for key in stores.redis.scan_iter(match=pattern) if key.count(":") == 2]


def test_a_batch_with_one_bad_claim_is_refused_whole(client, stores, article_id) -> None:
    claims = ["France endorsed Rutte.", "Hungary \ud800 endorsed Rutte."]
    response = client.post("/v1/checks:batch", json={"claims": claims, "article_id": article_id})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "claims.1" in response.json["errors"]
    assert check_records(stores) == []


def test_a_batch_the_broker_refuses_leaves_no_check(
    client, stores, article_id, refusing_broker
) -> None:
    claims = ["France endorsed Rutte.", "Hungary endorsed Rutte."]
    response = client.post("/v1/checks:batch", json={"claims": claims, "article_id": article_id})
    assert response.status_code == 503
    assert check_records(stores) == []


def test_a_check_the_broker_refuses_is_forgotten_with_its_idempotency_key(
    client, stores, article_id, refusing_broker
) -> None:
    body = {"claim": "France endorsed Rutte.", "article_id": article_id}
    response = client.post("/v1/checks", json=body, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 503
    assert check_records(stores) == []
    assert stores.redis.get(stores.keys.idempotency("k-1")) is None


def test_a_draft_the_broker_refuses_leaves_no_draft_and_no_check(
    client, stores, article_id, refusing_broker
) -> None:
    text = "France endorsed Mark Rutte in February 2024. Hungary opposed him until June."
    response = client.post("/v1/drafts", json={"text": text, "article_id": article_id})
    assert response.status_code == 503
    assert check_records(stores) == []
    assert list(stores.redis.scan_iter(match=f"{stores.keys.prefix}:draft:*")) == []


def test_a_bad_claim_in_a_single_check_or_a_draft_is_a_422(client, article_id) -> None:
    check = client.post("/v1/checks", json={"claim": "Bad \ud800", "article_id": article_id})
    assert check.status_code == 422 and "claim" in check.json["errors"]
    draft = client.post("/v1/drafts", json={"text": "Bad \udfff.", "article_id": article_id})
    assert draft.status_code == 422 and "text" in draft.json["errors"]
