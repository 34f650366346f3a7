"""Quotas per API key on the shared Redis: requests per minute, claims per day (429 problem+json
with Retry-After and the IETF RateLimit headers)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from service.app import create_app


@pytest.fixture
def tight(settings):
    """An app whose quotas are small enough to spend in a test."""
    return replace(settings, rate_limit="5/minute", claims_per_day=3)


@pytest.fixture
def limited(tight, make_key):
    client = create_app(tight, {"TESTING": True}).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key()}"
    return client


def test_answers_carry_the_ietf_ratelimit_headers(limited) -> None:
    response = limited.get("/v1/articles")
    assert response.headers["RateLimit-Policy"] == '"requests";q=5;w=60'
    match = re.fullmatch(r'"requests";r=(\d+);t=(\d+)', response.headers["RateLimit"])
    assert match and int(match[1]) == 4 and 0 < int(match[2]) <= 60


def test_requests_over_the_minute_quota_are_429_with_retry_after(limited) -> None:
    for _ in range(5):
        assert limited.get("/v1/articles").status_code == 200
    refused = limited.get("/v1/articles")
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["RateLimit"].startswith('"requests";r=0;')


def test_each_key_has_its_own_request_quota(tight, make_key) -> None:
    app = create_app(tight, {"TESTING": True})
    first, second = make_key(), make_key("newsroom-b")
    for _ in range(6):
        app.test_client().get("/v1/articles", headers={"Authorization": f"Bearer {first}"})
    other = app.test_client().get("/v1/articles", headers={"Authorization": f"Bearer {second}"})
    assert other.status_code == 200


def test_claims_over_the_daily_quota_are_refused_whole_and_store_nothing(
    limited, stores, demo_text: str
) -> None:
    article = limited.post("/v1/articles", json={"text": demo_text}).get_json()["id"]
    batch = {"article_id": article, "claims": ["Claim one.", "Claim two."]}
    assert limited.post("/v1/checks:batch", json=batch).status_code == 202
    refused = limited.post("/v1/checks:batch", json=batch)  # 2 more do not fit in 1 left
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert "claims" in refused.get_json()["errors"]
    assert 0 < int(refused.headers["Retry-After"]) <= 24 * 3600
    checks = list(stores.redis.scan_iter(match=stores.keys.check("*")))
    assert len([k for k in checks if k.count(":") == stores.keys.check("x").count(":")]) == 2
    single = limited.post("/v1/checks", json={"claim": "Claim three.", "article_id": article})
    assert single.status_code in (200, 202)  # exactly the one claim left


def test_article_text_over_the_stored_bytes_quota_is_refused(settings, make_key, stores) -> None:
    client = create_app(replace(settings, stored_bytes_per_tenant=30), {"TESTING": True})
    client = client.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key()}"
    first = client.post("/v1/articles", json={"text": "Twenty bytes of text"})  # 20 bytes
    assert first.status_code == 201
    refused = client.post("/v1/articles", json={"text": "Eleven byte"})  # 31 > 30
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert "text" in refused.get_json()["errors"]
    assert stores.articles.page(0, 10)[1] == 1  # nothing stored
    # A PUT with new text stores a new revision: refused too; deleting frees the space.
    article = first.get_json()["id"]
    assert client.put(f"/v1/articles/{article}", json={"text": "Eleven byte"}).status_code == 429
    assert client.delete(f"/v1/articles/{article}").status_code == 204
    assert stores.articles.stored_bytes() == 0
    assert client.post("/v1/articles", json={"text": "Eleven byte"}).status_code == 201


def test_a_malformed_rate_limit_stops_the_app_at_start(settings) -> None:
    with pytest.raises(ValueError, match="FACTDESK_RATE_LIMIT"):
        create_app(replace(settings, rate_limit="lots per minute"))


def test_an_idempotent_replay_is_not_counted_again(limited) -> None:
    body = {"claim": "Water boils at 100 C.", "sources": ["wikipedia"]}
    headers = {"Idempotency-Key": "retry-me"}
    first = limited.post("/v1/checks", json=body, headers=headers)
    for _ in range(3):  # the quota is 3 claims a day: replays must not spend it
        replay = limited.post("/v1/checks", json=body, headers=headers)
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.get_json()["id"] == first.get_json()["id"]
    assert limited.post("/v1/checks", json={**body, "claim": "Two."}).status_code == 202


def test_a_tenants_unfinished_checks_are_bounded(settings, make_key, stores) -> None:
    app = create_app(replace(settings, max_unfinished_checks=2), {"TESTING": True})
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key()}"
    body = {"sources": ["wikipedia"]}
    first = client.post("/v1/checks", json={**body, "claim": "One."}).get_json()
    assert client.post("/v1/checks", json={**body, "claim": "Two."}).status_code == 202
    refused = client.post("/v1/checks", json={**body, "claim": "Three."})  # no worker runs
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert "claims" in refused.get_json()["errors"] and refused.headers["Retry-After"]
    # Another tenant is not held up by this one's queue.
    other = app.test_client()
    other.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key('newsroom-b')}"
    assert other.post("/v1/checks", json={**body, "claim": "Three."}).status_code == 202
    # Once a check finishes, there is room again.
    stores.checks.mark_failed(first["id"], "test")
    assert client.post("/v1/checks", json={**body, "claim": "Three."}).status_code == 202


def test_a_check_waiting_its_turn_counts_however_long_it_waits(settings, make_key) -> None:
    # One check in flight per tenant, and a sent check counts as lost at once: only what
    # waits in the pending list (fair dispatch) holds the bound. It must: a tenant's backlog
    # may wait longer than any worker would hold a message.
    limited = replace(
        settings,
        max_unfinished_checks=2,
        tenant_in_flight=1,
        visibility_timeout_s=0,
        task_time_limit_s=0,
    )
    client = create_app(limited, {"TESTING": True}).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key()}"
    body = {"sources": ["wikipedia"]}
    statuses = [
        client.post("/v1/checks", json={**body, "claim": f"Claim {n}."}).status_code
        for n in range(4)
    ]
    # sent (then lost, not counted), pending, pending: the bound of 2 is reached
    assert statuses == [202, 202, 202, 429]
