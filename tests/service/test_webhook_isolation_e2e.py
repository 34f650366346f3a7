"""Webhook traffic cannot stall checking (issue #12, finding 1), against real processes.

- Deliveries have their own queue: a receiver that hangs keeps the webhook worker busy while a
  check still finishes in about the time the engine takes.
- At most FACTDESK_WEBHOOK_MAX_IN_FLIGHT attempts run against one endpoint at once.
- An endpoint that fails for FACTDESK_WEBHOOK_DISABLE_AFTER_S without a success is disabled.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from live_stack import DEMO_PATH, KEY_PREFIX, launch_api, launch_worker, wait_for
from webhook_receiver import Receiver

from stack.embedded_redis import EmbeddedRedis, free_port
from stack.processes import Process, process_env

CHECKS_ONLY = {"worker_queues": "factdesk.checks"}
WEBHOOKS_ONLY = {"worker_queues": "factdesk.webhooks"}
COMMON = {"webhook_allow_hosts": "127.0.0.1"}


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path / "redis", free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def started() -> Iterator[list]:
    processes: list = []
    yield processes
    for process in reversed(processes):
        process.stop()


def _stack(redis_url: str, tmp_path: Path, started: list, *workers: dict, **env: object) -> str:
    for extra in workers:
        started.append(launch_worker(redis_url, tmp_path, **COMMON, **env, **extra))
    api = launch_api(redis_url, tmp_path, **COMMON, **env)
    started.append(api)
    return api.url


def _article(api: str) -> str:
    text = DEMO_PATH.read_text(encoding="utf-8") + f"\n\nReference {time.monotonic_ns()}.\n"
    return requests.post(f"{api}/v1/articles", json={"text": text}, timeout=10).json()["id"]


def _register(api: str, url: str) -> dict:
    body = {"url": url, "events": ["check.completed"]}
    response = requests.post(f"{api}/v1/webhooks", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def _submit(api: str, article_id: str, claim: str, wait: float = 0) -> requests.Response:
    body = {"claim": claim, "article_id": article_id}
    return requests.post(f"{api}/v1/checks?wait={wait}", json=body, timeout=wait + 30)


def test_a_hanging_receiver_does_not_delay_checks(
    tmp_path: Path, redis_server: EmbeddedRedis, receiver: Receiver, started: list
) -> None:
    receiver.script = [(200, {}, 10)]  # every request stalls 10 s: each attempt times out
    receiver.start()
    api = _stack(
        redis_server.url, tmp_path, started, CHECKS_ONLY, WEBHOOKS_ONLY, webhook_timeout_s=3
    )
    article_id = _article(api)
    _register(api, receiver.url)
    backlog = 20  # 20 deliveries × 3 s of webhook-worker time
    ids = [
        _submit(api, article_id, f"Rutte leads NATO, part {n}").json()["id"] for n in range(backlog)
    ]

    def all_done() -> bool:
        records = [requests.get(f"{api}/v1/checks/{i}", timeout=10).json() for i in ids]
        return all(r["status"] == "done" for r in records)

    wait_for(all_done, 120, "the first checks")
    started_at = time.monotonic()
    answer = _submit(api, article_id, "France endorsed Rutte", wait=30).json()
    if answer["status"] != "done":  # waits are capped at 30 s: wait once more, for the number
        answer = requests.get(f"{api}/v1/checks/{answer['id']}?wait=30", timeout=40).json()
    latency_s = time.monotonic() - started_at
    print(f"\ncheck latency with {backlog} deliveries to a hanging endpoint: {latency_s:.2f} s")
    assert answer["status"] == "done"
    assert latency_s < 5, f"a check took {latency_s:.1f} s behind webhook deliveries"


def test_attempts_to_one_endpoint_are_capped(
    tmp_path: Path, redis_server: EmbeddedRedis, receiver: Receiver, started: list
) -> None:
    receiver.script = [(204, {}, 1.5)]  # each request takes 1.5 s
    receiver.start()
    api = _stack(
        redis_server.url,
        tmp_path,
        started,
        CHECKS_ONLY,
        WEBHOOKS_ONLY,
        WEBHOOKS_ONLY,
        webhook_max_in_flight=1,
        webhook_timeout_s=5,
    )
    article_id = _article(api)
    _register(api, receiver.url)
    for n in range(4):
        _submit(api, article_id, f"Rutte leads NATO, part {n}")
    wait_for(lambda: len(receiver.requests) >= 4, 60, "four deliveries")
    arrivals = sorted(r.at for r in receiver.requests)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    # Two webhook workers could send two at once; with a cap of 1 each waits for the last.
    assert min(gaps) > 1.0, gaps


def test_an_endpoint_that_keeps_failing_is_disabled(
    tmp_path: Path, redis_server: EmbeddedRedis, receiver: Receiver, started: list
) -> None:
    receiver.script = [(500, {})]
    receiver.start()
    api = _stack(
        redis_server.url,
        tmp_path,
        started,
        CHECKS_ONLY,
        WEBHOOKS_ONLY,
        webhook_retry_scale=0.002,  # retries after 10 ms, 0.6 s, 3.6 s …
        webhook_disable_after_s=1,
    )
    article_id = _article(api)
    endpoint = _register(api, receiver.url)
    _submit(api, article_id, "Rutte leads NATO")

    def disabled() -> dict | None:
        fetched = requests.get(f"{api}/v1/webhooks/{endpoint['id']}", timeout=10).json()
        return fetched if fetched["state"] == "disabled" else None

    fetched = wait_for(disabled, 30, "the failing endpoint to be disabled")
    assert "failing for" in fetched["disabled_reason"]
    log = requests.get(f"{api}/v1/webhooks/{endpoint['id']}/deliveries", timeout=10).json()
    assert log[0]["status"] == "failed" and log[0]["attempts"] >= 3


def test_the_threads_webhook_worker_of_factdesk_run_delivers(
    tmp_path: Path, redis_server: EmbeddedRedis, receiver: Receiver, started: list
) -> None:
    receiver.start()
    api = _stack(redis_server.url, tmp_path, started, CHECKS_ONLY)
    # The webhook worker exactly as `factdesk run` starts it: a threads pool on its own queue.
    args = ["worker", "--queues=factdesk.webhooks", "--pool=threads", "--concurrency=4"]
    env = process_env(redis_server.url, key_prefix=KEY_PREFIX, **COMMON)
    started.append(Process(args, env, tmp_path / "webhook-worker.log"))
    _register(api, receiver.url)
    _submit(api, _article(api), "France endorsed Rutte")
    wait_for(lambda: receiver.requests, 60, "a delivery from the threads worker")
    assert json.loads(receiver.requests[0].body)["type"] == "check.completed"
