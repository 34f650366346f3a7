"""The service survives a killed worker and a Redis restart, and answers while workers are gone.

Each test runs on its own Redis so stopping it, or leaving messages unacknowledged, cannot
disturb the shared session fixtures.
"""

from __future__ import annotations

import time

import requests

from keyspace.checks import CheckStore
from keyspace.keys import Keys

FRANCE = "France endorsed Rutte"
# Redelivery after a SIGKILL: the replacement worker hands out messages left unacknowledged for
# longer than this (see docs/operations.md). Short here, an hour by default.
FAST_REDELIVERY = {"visibility_timeout_s": 2, "unacked_restore_interval_s": 1}


def post_article(base: str, text: str) -> dict:
    response = requests.post(f"{base}/v1/articles", json={"text": text}, timeout=10)
    assert response.status_code == 201
    return response.json()


def check_record(redis_url: str, check_id: str) -> dict:
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        return CheckStore(client, Keys("fdtest", "local")).get(check_id)
    finally:
        client.close()


def wait_status(redis_url: str, check_id: str, status: str, timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        record = check_record(redis_url, check_id)
        if record["status"] == status:
            return record
        time.sleep(0.1)
    raise AssertionError(f"check {check_id} never reached {status}: {record}")


def test_a_check_survives_its_worker_being_killed(
    fresh_redis, start_worker, start_api, demo_text, check_spans
) -> None:
    api = start_api(fresh_redis.url)
    slow = start_worker(fresh_redis.url, engine_delay_s=60)
    article = post_article(api.url, demo_text)
    check = requests.post(
        f"{api.url}/v1/checks", json={"claim": FRANCE, "article_id": article["id"]}, timeout=10
    ).json()
    wait_status(fresh_redis.url, check["id"], "running", timeout_s=20)

    slow.kill()  # SIGKILL mid-check: no clean shutdown, the message is never acknowledged
    assert check_record(fresh_redis.url, check["id"])["status"] == "running"

    start_worker(fresh_redis.url, **FAST_REDELIVERY)
    done = requests.get(f"{api.url}/v1/checks/{check['id']}?wait=30", timeout=40).json()
    assert done["status"] == "done"
    assert done["attempts"] == 2
    assert done["verdict"]["label"] == "SUPPORTED"
    check_spans(done["verdict"], {article["id"]: demo_text})


def test_redis_down_is_503_and_the_service_recovers_with_data_intact(
    fresh_redis, start_worker, start_api, demo_text
) -> None:
    api = start_api(fresh_redis.url)
    start_worker(fresh_redis.url)
    article = post_article(api.url, demo_text)

    fresh_redis.stop()
    for response in (
        requests.get(f"{api.url}/v1/articles/{article['id']}", timeout=30),
        requests.post(f"{api.url}/v1/articles", json={"text": "x"}, timeout=30),
        requests.post(
            f"{api.url}/v1/checks",
            json={"claim": FRANCE, "article_id": article["id"]},
            timeout=30,
        ),
        requests.get(f"{api.url}/readyz", timeout=30),
    ):
        assert response.status_code == 503
        assert response.headers["Content-Type"] == "application/problem+json"
        assert int(response.headers["Retry-After"]) > 0
        assert response.json()["status"] == 503
    assert requests.get(f"{api.url}/healthz", timeout=5).status_code == 200

    fresh_redis.start()  # same port, same data directory: the AOF brings the data back
    response = requests.get(f"{api.url}/v1/articles/{article['id']}", timeout=30)
    assert response.status_code == 200
    assert response.json()["text"] == demo_text
    # The API's broker connection and the worker reconnect by themselves: checks flow again.
    response = requests.post(
        f"{api.url}/v1/checks?wait=30",
        json={"claim": FRANCE, "article_id": article["id"]},
        timeout=40,
    )
    assert response.json()["status"] == "done", response.json()


def test_cache_hit_needs_no_worker_and_readyz_follows_workers(
    fresh_redis, start_worker, start_api, demo_text
) -> None:
    api = start_api(fresh_redis.url)
    assert requests.get(f"{api.url}/readyz", timeout=10).status_code == 503
    worker = start_worker(fresh_redis.url)
    ready = requests.get(f"{api.url}/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["workers"] == 1

    article = post_article(api.url, demo_text)
    body = {"claim": FRANCE, "article_id": article["id"]}
    first = requests.post(f"{api.url}/v1/checks?wait=20", json=body, timeout=30)
    assert first.json()["status"] == "done"
    worker.stop()
    assert requests.get(f"{api.url}/readyz", timeout=10).status_code == 503

    hit = requests.post(f"{api.url}/v1/checks", json=body, timeout=10)
    assert hit.status_code == 200
    assert hit.headers["X-Cache"] == "hit"
    assert hit.json()["verdict"]["label"] == first.json()["verdict"]["label"]
    miss = requests.post(
        f"{api.url}/v1/checks", json={**body, "claim": "Spain endorsed Rutte"}, timeout=10
    )
    assert miss.status_code == 202
    assert miss.json()["status"] == "queued"  # nobody is there to run it


def test_long_poll_returns_when_the_check_finishes(
    fresh_redis, start_worker, start_api, demo_text
) -> None:
    api = start_api(fresh_redis.url)
    start_worker(fresh_redis.url, engine_delay_s=2)
    article = post_article(api.url, demo_text)
    check = requests.post(
        f"{api.url}/v1/checks", json={"claim": FRANCE, "article_id": article["id"]}, timeout=10
    ).json()

    quick = requests.get(f"{api.url}/v1/checks/{check['id']}?wait=0.2", timeout=10).json()
    assert quick["status"] in {"queued", "running"}
    started = time.monotonic()
    done = requests.get(f"{api.url}/v1/checks/{check['id']}?wait=25", timeout=40).json()
    assert done["status"] == "done"
    # It came back when the verdict landed, not at the end of the 25 s window.
    assert time.monotonic() - started < 20
