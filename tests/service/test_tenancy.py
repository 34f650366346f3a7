"""Tenants own their data: key k2 cannot read, change or delete what k1's tenant stored.

Before tenancy, any key reached every record: k2 could read, replace and delete k1's articles,
read k1's check metadata, list k1's webhook URLs and rotate k1's webhook secret (receiving the
new one). Each of those is a test here.
"""

from __future__ import annotations

import pytest
from live_stack import KEY_PREFIX, TEST_TENANT

from keyspace.cache import fingerprint
from keyspace.stores import Stores
from service.app import create_app
from settings import load_settings
from workers import engine_version

OTHER = "newsroom-b"
HOOK = "https://93.184.216.34/hook"


@pytest.fixture
def k1(app, make_key):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key()}"
    return client


@pytest.fixture
def k2(app, make_key):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(OTHER)}"
    return client


@pytest.fixture
def article(k1, demo_text: str) -> dict:
    response = k1.post("/v1/articles", json={"text": demo_text, "title": "k1's", "url": None})
    assert response.status_code == 201
    return response.get_json()


def test_k2_cannot_read_k1s_article(k1, k2, article: dict) -> None:
    assert k2.get(f"/v1/articles/{article['id']}").status_code == 404
    assert article["id"] not in k2.get("/v1/articles").get_data(as_text=True)
    assert k1.get(f"/v1/articles/{article['id']}").status_code == 200


def test_k2_cannot_change_k1s_article(k1, k2, article: dict) -> None:
    response = k2.put(f"/v1/articles/{article['id']}", json={"text": "Rewritten by k2."})
    assert response.status_code == 404
    kept = k1.get(f"/v1/articles/{article['id']}").get_json()
    assert kept["revision"] == article["revision"] and kept["revision_count"] == 1


def test_k2_cannot_delete_k1s_article(k1, k2, article: dict) -> None:
    assert k2.delete(f"/v1/articles/{article['id']}").status_code == 404
    assert k1.get(f"/v1/articles/{article['id']}").status_code == 200


def test_k2_cannot_read_k1s_check_metadata(k1, k2, article: dict) -> None:
    check = k1.post(
        "/v1/checks",
        json={"claim": "France endorsed Rutte", "article_id": article["id"], "metadata": {"a": 1}},
    ).get_json()
    response = k2.get(f"/v1/checks/{check['id']}")
    assert response.status_code == 404
    assert "metadata" not in response.get_json()
    assert k1.get(f"/v1/checks/{check['id']}").get_json()["metadata"] == {"a": 1}


def test_k2_cannot_list_k1s_webhook_urls(k1, k2) -> None:
    assert k1.post("/v1/webhooks", json={"url": HOOK, "events": ["check.completed"]}).status_code
    listed = k2.get("/v1/webhooks")
    assert listed.status_code == 200 and listed.get_json() == []
    assert [w["url"] for w in k1.get("/v1/webhooks").get_json()] == [HOOK]


def test_k2_cannot_rotate_k1s_webhook_secret(k1, k2, stores: Stores) -> None:
    created = k1.post("/v1/webhooks", json={"url": HOOK, "events": ["check.completed"]})
    webhook = created.get_json()
    response = k2.post(f"/v1/webhooks/{webhook['id']}/rotate-secret")
    assert response.status_code == 404
    assert "whsec_" not in response.get_data(as_text=True)
    kept = stores.webhooks.get_endpoint(webhook["id"])
    assert kept["secret"] == webhook["secret"] and "previous_secret" not in kept


def test_external_ids_are_per_tenant(k1, k2) -> None:
    body = {"text": "One text.", "external_id": "cms-4711"}
    assert k1.post("/v1/articles", json=body).status_code == 201
    assert k2.post("/v1/articles", json={**body, "text": "Another."}).status_code == 201


def test_idempotency_keys_are_per_tenant(k1, k2) -> None:
    body = {"claim": "Water boils at 100 C.", "sources": ["wikipedia"]}
    headers = {"Idempotency-Key": "same-key"}
    first = k1.post("/v1/checks", json=body, headers=headers).get_json()
    second = k2.post("/v1/checks", json=body, headers=headers)
    assert second.status_code == 202
    assert "Idempotent-Replayed" not in second.headers
    assert second.get_json()["id"] != first["id"]


def test_the_verdict_cache_is_per_tenant(k1, k2, stores: Stores, demo_text: str) -> None:
    a1 = k1.post("/v1/articles", json={"text": demo_text}).get_json()
    a2 = k2.post("/v1/articles", json={"text": demo_text}).get_json()
    assert a1["revision"] == a2["revision"]  # same text: the same fingerprint in both tenants
    claim = "France endorsed Rutte"
    fp = fingerprint(claim, a1["revision"], ["article"], engine_version())
    pipe = stores.redis.pipeline()
    stores.cache.put(pipe, fp, '{"label": "SUPPORTED", "confidence": 0.9}')  # k1's tenant
    pipe.execute()
    hit = k1.post("/v1/checks", json={"claim": claim, "article_id": a1["id"]})
    miss = k2.post("/v1/checks", json={"claim": claim, "article_id": a2["id"]})
    assert hit.headers["X-Cache"] == "hit"
    assert miss.headers["X-Cache"] == "miss"


def test_a_check_names_its_tenant_in_the_task_payload(k2, app, monkeypatch) -> None:
    sent: list[tuple[str, list]] = []
    celery = app.extensions["factdesk"].celery
    monkeypatch.setattr(celery, "send_task", lambda name, args: sent.append((name, args)))
    check = k2.post("/v1/checks", json={"claim": "Water boils.", "sources": ["wikipedia"]})
    assert sent == [("factdesk.check", [check.get_json()["id"], OTHER])]


def test_a_real_worker_stores_the_verdict_under_the_checks_tenant(
    fresh_redis, start_worker, demo_text: str
) -> None:
    # A Redis of its own: the session's worker consumes the shared Redis's queue under
    # another key prefix, and could take this check's message.
    settings = load_settings(env={}, redis_url=fresh_redis.url, key_prefix=KEY_PREFIX)
    start_worker(fresh_redis.url)
    app = create_app(settings, {"TESTING": True})
    stores = app.extensions["factdesk"].stores
    k2 = app.test_client()
    k2.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {stores.api_keys.create(OTHER)[0]}"
    article = k2.post("/v1/articles", json={"text": demo_text}).get_json()
    body = {"claim": "France endorsed Rutte", "article_id": article["id"]}
    done = k2.post("/v1/checks?wait=30", json=body).get_json()
    assert done["status"] == "done", done
    assert stores.for_tenant(OTHER).checks.get(done["id"])["status"] == "done"
    assert stores.for_tenant(TEST_TENANT).checks.get(done["id"]) is None
    assert stores.checks.get(done["id"]) is None  # nor under the local tenant
    again = k2.post("/v1/checks", json=body)
    assert again.headers["X-Cache"] == "hit"  # the worker filled newsroom-b's cache
