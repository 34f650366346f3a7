"""Fair dispatch, live: one tenant's backlog does not hold up another tenant's check, nothing
is lost, and a killed worker or a lost message still ends with every check done.

Each test has a Redis of its own with two API keys (tenants A and B), a live API and real
workers. Order is read from the check records (`started_at`), never from a clock.
"""

from __future__ import annotations

import pytest
import requests
from live_stack import KEY_PREFIX, wait_for

from keyspace.cache import fingerprint
from keyspace.checks import NewCheck
from keyspace.keys import Keys
from keyspace.stores import Stores
from settings import load_settings
from workers import engine_version
from workers.celery_app import QueueNames

LIMIT = 2  # FACTDESK_TENANT_IN_FLIGHT for these stacks
FAST = {"engine_judge": "symbolic", "tenant_in_flight": LIMIT}
A, B = "newsroom-a", "newsroom-b"


class Tenant:
    def __init__(self, base: str, key: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"
        self.article_id = ""

    def article(self, text: str) -> str:
        response = self.session.post(f"{self.base}/v1/articles", json={"text": text}, timeout=10)
        assert response.status_code == 201, response.text
        self.article_id = response.json()["id"]
        return self.article_id

    def batch(self, claims: list[str]) -> list[str]:
        body = {"claims": claims, "article_id": self.article_id}
        response = self.session.post(f"{self.base}/v1/checks:batch", json=body, timeout=30)
        assert response.status_code == 202, response.text
        return response.json()["check_ids"]

    def check(self, claim: str) -> str:
        body = {"claim": claim, "article_id": self.article_id}
        response = self.session.post(f"{self.base}/v1/checks", json=body, timeout=10)
        assert response.status_code == 202, response.text
        return response.json()["id"]


@pytest.fixture
def stack(fresh_redis, start_api, demo_text):
    """Tenants A and B on a live API over a fresh Redis (no worker yet)."""
    settings = load_settings(env={}, redis_url=fresh_redis.url, key_prefix=KEY_PREFIX)
    stores = Stores.from_settings(settings, A)
    api = start_api(fresh_redis.url, **FAST, max_unfinished_checks=1000)
    a = Tenant(api.url, stores.api_keys.create(A)[0])
    b = Tenant(api.url, stores.api_keys.create(B)[0])
    a.article(demo_text)
    b.article(demo_text)
    yield stores, a, b
    stores.redis.close()


def claims(count: int, tenant: str) -> list[str]:
    return [f"Country number {i} of {tenant} endorsed Rutte." for i in range(count)]


def records(stores: Stores, tenant: str, ids: list[str]) -> list[dict]:
    checks = stores.for_tenant(tenant).checks
    return [checks.get(i) for i in ids]


def all_done(stores: Stores, tenant: str, ids: list[str]) -> list[dict] | None:
    found = records(stores, tenant, ids)
    return found if all(r["status"] == "done" for r in found) else None


def idle(stores: Stores, tenant: str) -> bool:
    """No check of `tenant` in flight or pending (the slot goes back just after the verdict)."""
    dispatch = stores.for_tenant(tenant).dispatch
    return not dispatch.in_flight() and dispatch.pending_count() == 0


def test_one_tenants_backlog_does_not_hold_up_anothers_check(stack, start_worker) -> None:
    stores, a, b = stack
    backlog = a.batch(claims(100, A)) + a.batch(claims(100, A + "-2"))
    single = b.check("France endorsed Rutte.")
    # Only LIMIT of A's checks are in the broker; the rest wait in A's pending list.
    assert len(stores.for_tenant(A).dispatch.in_flight()) == LIMIT
    assert stores.for_tenant(A).dispatch.pending_count() == 200 - LIMIT
    assert stores.redis.llen(QueueNames.CHECKS) == LIMIT + 1

    start_worker(stores.settings.redis_url, **FAST)  # one process: checks run one at a time
    done_a = wait_for(lambda: all_done(stores, A, backlog), 240, "all of A's checks")
    (done_b,) = records(stores, B, [single])
    assert done_b["status"] == "done"
    started_before_b = [r for r in done_a if r["started_at"] < done_b["started_at"]]
    # FIFO without fair dispatch: B's check would start after all 200 of A's.
    assert len(started_before_b) <= LIMIT
    assert all(r["attempts"] == 1 for r in done_a)  # nothing ran twice
    wait_for(lambda: idle(stores, A), 30, "A's last slot to be handed back")


def test_every_check_is_done_after_a_worker_is_killed_mid_check(stack, start_worker) -> None:
    stores, a, b = stack
    backlog = a.batch(claims(12, A))
    single = b.check("France endorsed Rutte.")
    slow = start_worker(stores.settings.redis_url, **FAST, engine_delay_s=60)
    wait_for(
        lambda: any(r["status"] == "running" for r in records(stores, A, backlog)),
        30,
        "a check of A to run",
    )
    slow.kill()  # SIGKILL mid-check: its message is never acknowledged
    start_worker(
        stores.settings.redis_url, **FAST, visibility_timeout_s=2, unacked_restore_interval_s=1
    )
    done_a = wait_for(lambda: all_done(stores, A, backlog), 120, "all of A's checks")
    assert wait_for(lambda: all_done(stores, B, [single]), 30, "B's check")
    assert max(r["attempts"] for r in done_a) == 2  # the killed one ran again
    wait_for(lambda: idle(stores, A), 30, "A's last slot to be handed back")


def test_the_sweeper_resends_messages_the_broker_lost(stack, start_worker) -> None:
    stores, a, _ = stack
    backlog = a.batch(claims(5, A))
    assert stores.redis.delete(QueueNames.CHECKS) == 1  # A's two messages are gone
    in_flight = stores.for_tenant(A).keys.checks_in_flight()
    assert stores.redis.zadd(in_flight, dict.fromkeys(backlog[:LIMIT], 1000.0), xx=True) == 0
    start_worker(
        stores.settings.redis_url,
        **FAST,
        visibility_timeout_s=1,
        task_time_limit_s=1.5,
        dispatch_sweep_interval_s=1,
    )
    wait_for(lambda: all_done(stores, A, backlog), 60, "A's checks after the sweep")
    wait_for(lambda: idle(stores, A), 30, "A's last slot to be handed back")
    assert stores.redis.scard(Keys(KEY_PREFIX).dispatch_tenants()) == 0  # nothing left to sweep


def test_checks_an_api_process_wrote_but_never_sent_are_finished(stack, start_worker) -> None:
    stores, a, _ = stack
    tenant = stores.for_tenant(A)
    revision = tenant.articles.get(a.article_id)["revision"]
    new = [
        NewCheck(
            {"claim": claim, "article_id": a.article_id, "article_revision": revision},
            f"fp-{claim}",
        )
        for claim in claims(LIMIT + 3, A)
    ]
    # What a submission writes before it sends; the API process dies here.
    records, _ = tenant.checks.create_many(new)
    ids = [r["id"] for r in records]
    assert stores.redis.llen(QueueNames.CHECKS) == 0
    start_worker(stores.settings.redis_url, **FAST, dispatch_sweep_interval_s=1)
    done = wait_for(lambda: all_done(stores, A, ids), 60, "the checks the API never sent")
    assert all(r["attempts"] == 1 for r in done)
    wait_for(lambda: idle(stores, A), 30, "A's last slot to be handed back")


# In process (the `client` fixture's app on the session Redis, its own key prefix): what a
# submission leaves in the dispatch bookkeeping.


def test_a_batch_beyond_the_bound_waits_in_the_tenants_pending_list(client, stores) -> None:
    article = stores.articles.create("France endorsed Rutte. Italy did too.", 2, {})
    limit = stores.settings.tenant_in_flight
    body = {"claims": claims(limit + 3, A), "article_id": article["id"]}
    ids = client.post("/v1/checks:batch", json=body).get_json()["check_ids"]
    assert set(stores.dispatch.in_flight()) == set(ids[:limit])
    assert stores.redis.lrange(stores.keys.checks_pending(), 0, -1) == ids[limit:]
    assert all(stores.checks.get(i)["status"] == "queued" for i in ids)  # as before: queued


def test_a_cache_hit_never_takes_a_slot(client, stores) -> None:
    article = stores.articles.create("France endorsed Rutte.", 1, {})
    claim = "France endorsed Rutte"
    fp = fingerprint(claim, article["revision"], ["article"], engine_version())
    pipe = stores.redis.pipeline()
    stores.cache.put(pipe, fp, '{"label": "SUPPORTED", "confidence": 0.9}')
    pipe.execute()
    hit = client.post("/v1/checks", json={"claim": claim, "article_id": article["id"]})
    assert hit.headers["X-Cache"] == "hit"
    assert stores.dispatch.in_flight() == {} and stores.dispatch.pending_count() == 0
