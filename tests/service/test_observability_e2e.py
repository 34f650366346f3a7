"""Metrics and logs of a live stack: a real worker moves the counters /metrics shows, and the
API's and the worker's output is one JSON object a line naming the check and the tenant.

The stack has its own Redis, so nothing else moves its counters or reads its queues. Its
worker may call the local webhook receiver (allow-list 127.0.0.1) and asks a stand-in
Wikipedia that always answers 503, without retries, so a check can really fail.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from live_stack import DEMO_PATH, KEY_PREFIX, Process, launch_api, launch_worker, wait_for
from prometheus_client.parser import text_string_to_metric_families
from webhook_receiver import Receiver

from keyspace.checks import NewCheck
from keyspace.stores import Stores
from keyspace.tenants import LOCAL_TENANT
from settings import load_settings
from stack.embedded_redis import EmbeddedRedis, free_port


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root: Path = tmp_path_factory.mktemp("observability-stack")
    redis_server = EmbeddedRedis(root / "redis", free_port()).start()
    broken_wikipedia = Receiver(script=[(503, {})]).start()
    env = {
        "webhook_allow_hosts": "127.0.0.1",
        "wikipedia_api_url": broken_wikipedia.url,
        "task_max_retries": 0,
    }
    worker = launch_worker(redis_server.url, root, **env)
    api = launch_api(redis_server.url, root, **env)
    try:
        yield {"api": api, "worker": worker}
    finally:
        api.stop()
        worker.stop()
        broken_wikipedia.stop()
        redis_server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def metric(api: Process, name: str, **labels: str) -> float:
    text = requests.get(api.url + "/metrics", timeout=10).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def json_lines(process: Process) -> list[dict]:
    """Every line of the process's output, parsed; a line that is not JSON fails the test."""
    lines = process.log_path.read_text(encoding="utf-8").splitlines()
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line in {process.log_path.name}: {line!r}")
    return parsed


def post_check(api: Process, body: dict, **headers: str) -> requests.Response:
    response = requests.post(api.url + "/v1/checks?wait=30", json=body, headers=headers, timeout=40)
    assert response.status_code in (200, 202), response.text
    return response


def test_a_check_a_worker_finishes_moves_the_counters_and_names_itself_in_every_log(
    stack: dict, receiver: Receiver
) -> None:
    api, worker = stack["api"], stack["worker"]
    labels = {"tenant": LOCAL_TENANT, "state": "done", "cached": "false"}
    done_before = metric(api, "factdesk_checks_finished_total", **labels)
    succeeded = {"tenant": LOCAL_TENANT, "outcome": "succeeded"}
    delivered_before = metric(api, "factdesk_webhook_deliveries_total", **succeeded)

    article = requests.post(
        api.url + "/v1/articles", json={"text": DEMO_PATH.read_text(encoding="utf-8")}, timeout=10
    ).json()
    claim = f"France endorsed Rutte ({time.monotonic_ns()})"
    body = {"claim": claim, "article_id": article["id"], "callback_url": receiver.url}
    response = post_check(api, body, **{"X-Request-Id": "req-observability-1"})
    check = response.json()
    assert check["status"] == "done", check
    assert response.headers["X-Request-Id"] == "req-observability-1"

    assert metric(api, "factdesk_checks_finished_total", **labels) == done_before + 1
    receiver.wait_for(1)
    wait_for(
        lambda: (
            metric(api, "factdesk_webhook_deliveries_total", **succeeded) == delivered_before + 1
        ),
        30,
        "the delivery to be counted",
    )
    attempts = {"tenant": LOCAL_TENANT, "result": "succeeded"}
    assert metric(api, "factdesk_webhook_attempts_total", **attempts) >= 1
    assert metric(api, "factdesk_queue_messages", queue="factdesk.checks") == 0

    # The worker: the check task's lines (Celery's own "succeeded in" among them) and the
    # delivery's carry the ids and the tenant.
    worker_lines = json_lines(worker)
    assert all({"timestamp", "level", "logger", "message"} <= set(line) for line in worker_lines)
    of_check = [line for line in worker_lines if line.get("check_id") == check["id"]]
    assert of_check and all(line["tenant"] == LOCAL_TENANT for line in of_check)
    assert any("succeeded" in line["message"] for line in of_check)
    assert any(line.get("delivery_id") and line["tenant"] == LOCAL_TENANT for line in worker_lines)

    # The API: the access line of the POST names the request, the tenant and the new check.
    (access,) = [
        line for line in json_lines(api) if line.get("request_id") == "req-observability-1"
    ]
    assert access["logger"] == "factdesk.access"
    assert (access["tenant"], access["check_id"]) == (LOCAL_TENANT, check["id"])
    assert (access["route"], access["status"]) == ("/v1/checks", 200)


def test_a_failed_check_is_counted_as_failed(stack: dict) -> None:
    api = stack["api"]
    labels = {"tenant": LOCAL_TENANT, "state": "failed", "cached": "false"}
    before = metric(api, "factdesk_checks_finished_total", **labels)
    body = {
        "claim": f"Rutte was born in The Hague ({time.monotonic_ns()})",
        "sources": ["wikipedia"],
    }
    check = post_check(api, body).json()
    if check["status"] != "failed":
        check = requests.get(f"{api.url}/v1/checks/{check['id']}?wait=30", timeout=40).json()
    assert check["status"] == "failed", check
    assert metric(api, "factdesk_checks_finished_total", **labels) == before + 1
    failed = [line for line in json_lines(stack["worker"]) if line.get("check_id") == check["id"]]
    assert failed and all(line["tenant"] == LOCAL_TENANT for line in failed)


def test_a_check_the_hard_time_limit_kills_is_failed_and_logged_with_its_ids(
    fresh_redis: EmbeddedRedis, start_worker, demo_text: str
) -> None:
    settings = load_settings(env={}, redis_url=fresh_redis.url, key_prefix=KEY_PREFIX)
    stores = Stores.from_settings(settings, "newsroom-a")
    article = stores.articles.create(demo_text, 10, {})
    request = {"claim": "France endorsed Rutte", "article_id": article["id"]}
    records, _ = stores.checks.create_many(
        [NewCheck({**request, "article_revision": article["revision"]}, "fp-hard-limit")]
    )
    check_id = records[0]["id"]
    # The check sleeps far past a 2 s hard limit, with no soft limit (0) to stop it first:
    # Celery kills the pool process, and the worker's parent process runs on_failure. The
    # worker's dispatch sweeper sends the check at start (it was written without being sent).
    worker = start_worker(
        fresh_redis.url,
        engine_judge="symbolic",
        engine_delay_s=60,
        task_time_limit_s=2,
        task_soft_time_limit_s=0,
    )
    failed = wait_for(
        lambda: (r := stores.checks.get(check_id)) and r["status"] == "failed" and r,
        60,
        "the hard time limit to fail the check",
    )
    assert "hard time limit" in failed["error"]
    lines = wait_for(
        lambda: [line for line in json_lines(worker) if "task failed" in line["message"]],
        30,
        "the worker's task failed line",
    )
    assert [(line["check_id"], line["tenant"]) for line in lines] == [(check_id, "newsroom-a")]
    stores.redis.close()
