"""Webhooks end to end: real Redis, a real worker and API, a local receiver over real HTTP.

The stack below has its own Redis, so its worker (with an allow-list naming 127.0.0.1 and a
retry schedule scaled down 500×) is the only one consuming its queue.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from live_stack import DEMO_PATH, KEY_PREFIX, launch_api, launch_worker, wait_for
from webhook_receiver import Receiver

from keyspace.stores import Stores
from keyspace.tenants import LOCAL_TENANT
from settings import load_settings
from stack.embedded_redis import EmbeddedRedis, free_port
from workers.webhooks.signing import WebhookVerificationError, generate_secret, verify_webhook

RETRY_SCALE = 0.002  # 5 s → 10 ms, 5 min → 0.6 s


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root: Path = tmp_path_factory.mktemp("webhook-stack")
    redis_server = EmbeddedRedis(root / "redis", free_port()).start()
    # A stand-in Wikipedia that always answers 503, and no retries: a check whose sources
    # include "wikipedia" fails for real, which is what `check.failed` tests need.
    broken_wikipedia = Receiver(script=[(503, {})]).start()
    # The stack is reached anonymously from loopback (its Redis has no key): tenant "local".
    # Its callback secret is made now, the way the API and the worker would make it.
    local = Stores.from_settings(
        load_settings(env={}, redis_url=redis_server.url, key_prefix=KEY_PREFIX), LOCAL_TENANT
    )
    callback_secret = local.webhooks.callback_secret(generate_secret)
    local.redis.close()
    env = {
        "webhook_allow_hosts": "127.0.0.1",
        "webhook_retry_scale": RETRY_SCALE,
        "webhook_timeout_s": 3,
        "wikipedia_api_url": broken_wikipedia.url,
        "task_max_retries": 0,
    }
    worker = launch_worker(redis_server.url, root, **env)
    api = launch_api(redis_server.url, root, **env)
    try:
        yield {
            "api": api.url,
            "redis_url": redis_server.url,
            "callback_secret": callback_secret,
            "broken_wikipedia": broken_wikipedia,
        }
    finally:
        api.stop()
        worker.stop()
        broken_wikipedia.stop()
        redis_server.stop()


@pytest.fixture(scope="module")
def article_id(stack: dict) -> str:
    text = DEMO_PATH.read_text(encoding="utf-8")
    response = requests.post(stack["api"] + "/v1/articles", json={"text": text}, timeout=10)
    assert response.status_code in (200, 201), response.text
    return response.json()["id"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def register() -> Iterator[Callable[..., dict]]:
    """Register endpoints on demand; each is removed after the test, even one that failed, so
    no endpoint outlives its test and receives another test's events."""
    made: list[tuple[str, str]] = []

    def register_and_remove_later(api: str, url: str, events: list[str] | None = None) -> dict:
        endpoint = register_endpoint(api, url, events)
        made.append((api, endpoint["id"]))
        return endpoint

    yield register_and_remove_later
    for api, webhook_id in made:
        requests.delete(f"{api}/v1/webhooks/{webhook_id}", timeout=10)  # 404: already gone


def register_endpoint(api: str, url: str, events: list[str] | None = None) -> dict:
    body: dict[str, object] = {"url": url}
    if events:
        body["events"] = events
    response = requests.post(api + "/v1/webhooks", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def submit(api: str, article_id: str, claim: str, **extra: object) -> dict:
    response = requests.post(
        api + "/v1/checks", json={"claim": claim, "article_id": article_id, **extra}, timeout=10
    )
    assert response.status_code in (200, 202), response.text
    return response.json()


def deliveries(api: str, webhook_id: str) -> list[dict]:
    response = requests.get(f"{api}/v1/webhooks/{webhook_id}/deliveries", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def settled(api: str, webhook_id: str, count: int = 1) -> list[dict]:
    """Wait until the endpoint's newest `count` deliveries are final; return the log."""

    def final() -> list[dict] | None:
        log = deliveries(api, webhook_id)
        done = len(log) >= count and all(d["status"] != "pending" for d in log[:count])
        return log if done else None

    return wait_for(final, 60, "deliveries to settle")  # type: ignore[return-value]


def unique_claim(text: str) -> str:
    # A fresh claim text per test keeps verdict-cache hits from crossing tests.
    return f"{text} ({time.monotonic_ns()})"


def test_register_shows_the_secret_once(
    stack: dict, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url)
    assert endpoint["secret"].startswith("whsec_")
    assert endpoint["events"] == ["check.completed", "check.failed", "draft.completed"]
    listed = requests.get(stack["api"] + "/v1/webhooks", timeout=10).json()
    assert endpoint["id"] in [e["id"] for e in listed]
    assert all("secret" not in e for e in listed)
    fetched = requests.get(f"{stack['api']}/v1/webhooks/{endpoint['id']}", timeout=10).json()
    assert "secret" not in fetched
    gone = requests.delete(f"{stack['api']}/v1/webhooks/{endpoint['id']}", timeout=10)
    assert gone.status_code == 204
    after = requests.get(f"{stack['api']}/v1/webhooks/{endpoint['id']}", timeout=10)
    assert after.status_code == 404


def test_flaky_receiver_gets_the_message_on_the_third_attempt(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.script = [(500, {}), (500, {}), (200, {})]
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["check.completed"])
    check = submit(stack["api"], article_id, unique_claim("The United States endorsed Rutte"))

    got = receiver.wait_for(3)
    assert {r.headers["webhook-id"] for r in got} == {got[0].headers["webhook-id"]}
    for request in got:
        body = verify_webhook(endpoint["secret"], request.body, request.headers)
        assert body["type"] == "check.completed"
        assert body["data"]["id"] == check["id"]
    final = requests.get(f"{stack['api']}/v1/checks/{check['id']}", timeout=10).json()
    assert body["data"]["verdict"] == final["verdict"]

    (delivery,) = settled(stack["api"], endpoint["id"])
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 200]
    assert all(a["latency_ms"] >= 0 for a in delivery["attempt_log"])
    assert delivery["msg_id"] == got[0].headers["webhook-id"]
    time.sleep(1.0)  # a fourth request would be a retry after success
    assert len(receiver.requests) == 3


def test_410_disables_the_endpoint(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.script = [(410, {})]
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["check.completed"])
    submit(stack["api"], article_id, unique_claim("Hungary opposed Rutte"))

    (delivery,) = settled(stack["api"], endpoint["id"])
    assert delivery["status"] == "failed" and delivery["attempts"] == 1
    state = requests.get(f"{stack['api']}/v1/webhooks/{endpoint['id']}", timeout=10).json()
    assert state["state"] == "disabled"
    submit(stack["api"], article_id, unique_claim("Iohannis is Romania's president"))
    time.sleep(1.5)
    assert len(receiver.requests) == 1  # a disabled endpoint gets nothing more


def test_retry_after_on_503_is_honoured(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.script = [(503, {"Retry-After": "2"}), (204, {})]
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["check.completed"])
    submit(stack["api"], article_id, unique_claim("France endorsed Rutte"))

    first, second = receiver.wait_for(2)
    # The scaled schedule alone would retry after ~10 ms.
    assert second.at - first.at >= 1.9
    (delivery,) = settled(stack["api"], endpoint["id"])
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 2


def test_redeliver_sends_the_same_webhook_id_again(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["check.completed"])
    submit(stack["api"], article_id, unique_claim("Germany endorsed Rutte"))
    (delivery,) = settled(stack["api"], endpoint["id"])

    # An action takes no input: a bare POST, without body or Content-Type, is enough.
    response = requests.post(
        f"{stack['api']}/v1/webhooks/{endpoint['id']}/deliveries/{delivery['id']}/redeliver",
        timeout=10,
    )
    assert response.status_code == 202, response.text
    assert "content-type" not in {name.lower() for name in response.request.headers}
    first, second = receiver.wait_for(2)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery["msg_id"]
    assert first.body == second.body
    (again,) = settled(stack["api"], endpoint["id"])
    assert again["attempts"] == 2 and again["status"] == "succeeded"


def test_rotation_signs_with_old_and_new_secret(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["check.completed"])
    response = requests.post(
        f"{stack['api']}/v1/webhooks/{endpoint['id']}/rotate-secret", timeout=10
    )  # no body: rotating takes no input
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["secret"] != endpoint["secret"]
    assert rotated["previous_secret_expires"] > time.time() + 23 * 3600

    submit(stack["api"], article_id, unique_claim("The UK endorsed Rutte"))
    (request,) = receiver.wait_for(1)
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    verify_webhook(endpoint["secret"], request.body, request.headers)
    verify_webhook(rotated["secret"], request.body, request.headers)


def test_callback_url_gets_a_signed_delivery(
    stack: dict, article_id: str, receiver: Receiver
) -> None:
    receiver.start()
    check = submit(
        stack["api"],
        article_id,
        unique_claim("Rutte leads the Netherlands"),
        callback_url=receiver.url,
    )
    (request,) = receiver.wait_for(1)
    body = verify_webhook(stack["callback_secret"], request.body, request.headers)
    assert body["data"]["id"] == check["id"]


def test_actions_accept_an_empty_json_object_too(
    stack: dict, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url)
    response = requests.post(
        f"{stack['api']}/v1/webhooks/{endpoint['id']}/rotate-secret", json={}, timeout=10
    )
    assert response.status_code == 200, response.text
    assert response.json()["secret"] != endpoint["secret"]


@pytest.mark.parametrize(
    ("kwargs", "status", "field"),
    [
        ({"data": "rotate please", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
        ({"data": "rotate please"}, 415, "Content-Type"),
        ({"data": "{oops", "headers": {"Content-Type": "application/json"}}, 400, "body"),
        ({"json": {"secret": "whsec_mine"}}, 422, "secret"),
    ],
)
def test_actions_refuse_a_body_they_cannot_take(
    stack: dict,
    receiver: Receiver,
    kwargs: dict,
    status: int,
    field: str,
    register: Callable[..., dict],
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url)
    for path in (
        f"/v1/webhooks/{endpoint['id']}/rotate-secret",
        f"/v1/webhooks/{endpoint['id']}/deliveries/dlv_{'0' * 20}/redeliver",
    ):
        response = requests.post(stack["api"] + path, timeout=10, **kwargs)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.json()["errors"]
    fetched = requests.get(f"{stack['api']}/v1/webhooks/{endpoint['id']}", timeout=10).json()
    assert "previous_secret_expires" not in fetched  # nothing was rotated


def test_the_callback_secret_is_not_handed_to_anonymous_requests(stack: dict) -> None:
    response = requests.get(stack["api"] + "/v1/webhooks/callback-secret", timeout=10)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "factdesk keys create" in problem["detail"]
    assert stack["callback_secret"] not in response.text


def test_a_failed_check_sends_a_signed_check_failed(
    stack: dict, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["check.failed"])
    asked_before = len(stack["broken_wikipedia"].requests)
    check = requests.post(
        stack["api"] + "/v1/checks",
        json={
            "claim": unique_claim("Rutte was born in The Hague"),
            "sources": ["wikipedia"],
            "callback_url": receiver.url,
        },
        timeout=10,
    ).json()

    got = receiver.wait_for(2)  # the registered endpoint and the check's callback_url
    assert len(stack["broken_wikipedia"].requests) > asked_before  # the source was really asked
    by_secret = {}
    for request in got:
        for secret in (endpoint["secret"], stack["callback_secret"]):
            try:
                by_secret[secret] = verify_webhook(secret, request.body, request.headers)
            except WebhookVerificationError:
                continue
    assert set(by_secret) == {endpoint["secret"], stack["callback_secret"]}
    for body in by_secret.values():
        assert body["type"] == "check.failed"
        assert body["data"]["id"] == check["id"] and body["data"]["status"] == "failed"
        assert "wikipedia answered 503" in body["data"]["error"]
    final = requests.get(f"{stack['api']}/v1/checks/{check['id']}", timeout=10).json()
    assert final["status"] == "failed" and final["error"] == body["data"]["error"]
    (delivery,) = settled(stack["api"], endpoint["id"])
    assert delivery["status"] == "succeeded" and delivery["event_type"] == "check.failed"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/hook",
        "http://127.0.0.2:9/hook",
        "http://192.168.0.10/",
    ],
)
def test_registering_a_non_public_url_is_refused(stack: dict, url: str) -> None:
    response = requests.post(stack["api"] + "/v1/webhooks", json={"url": url}, timeout=10)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "url" in problem["errors"]


def test_bad_webhook_input_names_the_field(stack: dict) -> None:
    response = requests.post(
        stack["api"] + "/v1/webhooks",
        json={"url": "http://127.0.0.1:1/x", "events": ["check.exploded"]},
        timeout=10,
    )
    assert response.status_code == 422
    assert any(name.startswith("events") for name in response.json()["errors"])


def test_unknown_webhook_is_404(stack: dict) -> None:
    for method, path in [
        ("get", "/v1/webhooks/wh_nope"),
        ("delete", "/v1/webhooks/wh_nope"),
        ("get", "/v1/webhooks/wh_nope/deliveries"),
    ]:
        response = requests.request(method, stack["api"] + path, timeout=10)
        assert response.status_code == 404


def test_a_redirect_is_a_failed_attempt_and_is_never_followed(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    # Standard Webhooks: 3xx is a failure. Following a 302 used to send a body-less GET to
    # the target and mark the delivery succeeded (issue #12, finding 6).
    receiver.start()
    port = receiver.url.split(":")[2].split("/")[0]
    receiver.script = [(302, {"Location": f"http://127.0.0.1:{port}/elsewhere"}), (200, {})]
    endpoint = register(stack["api"], receiver.url, ["check.completed"])
    submit(stack["api"], article_id, unique_claim("Rutte is a caretaker prime minister"))

    (delivery,) = settled(stack["api"], endpoint["id"])
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 2
    first = delivery["attempt_log"][0]
    assert first["status_code"] == 302 and "redirect" in first["error"]
    assert len(receiver.requests) == 2  # two POSTs to the hook, none to the redirect target
    assert all(json.loads(r.body)["type"] == "check.completed" for r in receiver.requests)


def test_no_delivery_is_lost_when_the_worker_dies_mid_send(
    tmp_path: Path, receiver: Receiver
) -> None:
    # A stack of its own: this test kills its worker. A short visibility timeout makes Redis
    # hand the dead worker's unacknowledged message to the next worker within seconds.
    redis_server = EmbeddedRedis(tmp_path / "redis", free_port()).start()
    env = {
        "webhook_allow_hosts": "127.0.0.1",
        "webhook_timeout_s": 2,
        "visibility_timeout_s": 3,
        "unacked_restore_interval_s": 1,
    }
    started = []
    try:
        worker = launch_worker(redis_server.url, tmp_path, **env)
        started.append(worker)
        api = launch_api(redis_server.url, tmp_path, **env)
        started.append(api)
        receiver.script = [(200, {}, 30), (200, {})]  # the first request stalls
        receiver.start()
        endpoint = register_endpoint(api.url, receiver.url, ["check.completed"])
        text = DEMO_PATH.read_text(encoding="utf-8")
        article = requests.post(api.url + "/v1/articles", json={"text": text}, timeout=10).json()
        submit(api.url, article["id"], "The United States endorsed Rutte.")

        receiver.wait_for(1)  # the worker is now mid-send
        worker.kill()
        started.append(launch_worker(redis_server.url, tmp_path, **env))

        first, second = receiver.wait_for(2, timeout_s=60)
        assert first.headers["webhook-id"] == second.headers["webhook-id"]
        (delivery,) = settled(api.url, endpoint["id"])
        assert delivery["status"] == "succeeded"
    finally:
        for process in reversed(started):
            process.stop()
        redis_server.stop()


def test_draft_completed_is_sent_once_with_every_verdict(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["draft.completed"])
    suffix = time.monotonic_ns()
    text = (
        f"The United States endorsed Mark Rutte ({suffix}). "
        f"Hungary opposed Rutte's nomination ({suffix})."
    )
    draft = requests.post(
        stack["api"] + "/v1/drafts", json={"text": text, "article_id": article_id}, timeout=10
    ).json()
    assert len(draft["annotations"]) == 2

    (request,) = receiver.wait_for(1)
    body = verify_webhook(endpoint["secret"], request.body, request.headers)
    assert body["type"] == "draft.completed"
    assert body["data"]["id"] == draft["id"] and body["data"]["status"] == "done"
    assert all(a["verdict"] for a in body["data"]["annotations"])
    time.sleep(1.0)
    assert len(receiver.requests) == 1

    # The same draft again: every verdict comes from the cache, and it still completes.
    again = requests.post(
        stack["api"] + "/v1/drafts", json={"text": text, "article_id": article_id}, timeout=10
    ).json()
    assert again["status"] == "done"
    second = receiver.wait_for(2)[1]
    assert (
        verify_webhook(endpoint["secret"], second.body, second.headers)["data"]["id"]
        == (again["id"])
    )


def test_a_check_with_a_non_public_callback_url_is_refused(stack: dict, article_id: str) -> None:
    response = requests.post(
        stack["api"] + "/v1/checks",
        json={
            "claim": "Rutte won.",
            "article_id": article_id,
            "callback_url": "http://169.254.169.254/latest/meta-data",
        },
        timeout=10,
    )
    assert response.status_code == 422
    assert "callback_url" in response.json()["errors"]


def test_a_draft_without_claims_still_sends_draft_completed(
    stack: dict, article_id: str, receiver: Receiver, register: Callable[..., dict]
) -> None:
    receiver.start()
    endpoint = register(stack["api"], receiver.url, ["draft.completed"])
    draft = requests.post(
        stack["api"] + "/v1/drafts",
        json={
            "text": "I think it was a long week. Will it rain tomorrow?",
            "article_id": article_id,
        },
        timeout=10,
    ).json()
    assert draft["annotations"] == [] and draft["status"] == "done"

    (request,) = receiver.wait_for(1)
    body = verify_webhook(endpoint["secret"], request.body, request.headers)
    assert body["type"] == "draft.completed"
    assert body["data"]["id"] == draft["id"] and body["data"]["status"] == "done"
    assert body["data"]["annotations"] == []
    time.sleep(1.0)
    assert len(receiver.requests) == 1
