"""GET /metrics in process (real Redis): request counters by route template, who may scrape,
queue depth, and what a scrape says when Redis is gone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from keyspace.tenants import LOCAL_TENANT
from service.app import create_app
from settings import Settings, load_settings
from stack.embedded_redis import EmbeddedRedis, free_port

MISSING_CHECK = "chk_" + "0" * 20
OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}  # a documentation address: not loopback
TOKEN = "metrics-token-for-tests"


def scrape(client: FlaskClient, **kwargs: object) -> dict[tuple[str, frozenset], float]:
    """/metrics as {(sample name, labels): value}."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    return parse(response.get_data(as_text=True))


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_requests_are_counted_by_route_template_method_and_status(client: FlaskClient) -> None:
    before = scrape(client)
    for _ in range(2):
        assert client.get(f"/v1/checks/{MISSING_CHECK}").status_code == 404
    after_text = client.get("/metrics").get_data(as_text=True)
    after = parse(after_text)

    labels = {"method": "GET", "route": "/v1/checks/<check_id>"}
    counted = value(after, "factdesk_http_requests_total", **labels, status="404")
    assert counted - value(before, "factdesk_http_requests_total", **labels, status="404") == 2
    timed = value(after, "factdesk_http_request_duration_seconds_count", **labels)
    assert timed == value(before, "factdesk_http_request_duration_seconds_count", **labels) + 2
    assert value(after, "factdesk_http_request_duration_seconds_bucket", **labels, le="+Inf") >= 2
    assert MISSING_CHECK not in after_text  # the route's template, never the raw path


def test_paths_no_route_matches_share_one_series(client: FlaskClient) -> None:
    for path in ("/no/such/thing", "/wp-admin/setup.php", "/no/such/thing/else"):
        assert client.get(path).status_code == 404
    text = client.get("/metrics").get_data(as_text=True)
    samples = parse(text)
    assert (
        value(
            samples, "factdesk_http_requests_total", method="GET", route="<unmatched>", status="404"
        )
        == 3
    )
    assert "wp-admin" not in text


def test_a_method_outside_http_s_usual_set_is_counted_as_other(client: FlaskClient) -> None:
    client.open("/healthz", method="BREW")
    samples = scrape(client)
    other = [key for key in samples if ("method", "other") in key[1]]
    assert other and not any(("method", "BREW") in key[1] for key in samples)


def test_without_a_token_only_loopback_may_scrape(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    response = client.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "FACTDESK_METRICS_TOKEN" in response.get_json()["detail"]
    assert "factdesk_" not in response.get_data(as_text=True)


def test_with_a_token_every_scraper_must_send_it(settings: Settings) -> None:
    client = create_app(replace(settings, metrics_token=TOKEN), {"TESTING": True}).test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        for environ in ({}, OUTSIDE):  # loopback too: the token is the rule once it is set
            response = client.get("/metrics", headers=headers, environ_base=environ)
            assert response.status_code == 401, headers
            assert response.mimetype == "application/problem+json"
            assert "Authorization" in response.get_json()["errors"]
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    samples = scrape(client, headers={"Authorization": f"Bearer {TOKEN}"}, environ_base=OUTSIDE)
    assert value(samples, "factdesk_redis_up") == 1


def test_metrics_is_no_api_operation(app: Flask) -> None:
    # Operational, like /healthz: not in the OpenAPI document (so not fuzzed by schemathesis,
    # not in the isolation matrix, which walks /v1 only).
    spec = app.test_client().get("/openapi.json").get_json()
    assert "/metrics" not in spec["paths"]


@pytest.fixture
def queue_client(fresh_redis: EmbeddedRedis) -> Iterator[FlaskClient]:
    """An app on a Redis of its own, with no worker consuming its queues, reached anonymously
    from loopback (that Redis holds no API key)."""
    settings = load_settings(env={}, redis_url=fresh_redis.url)
    app = create_app(settings, {"TESTING": True})
    yield app.test_client()
    app.extensions["factdesk"].celery.close()


def test_queue_depth_counts_the_messages_no_worker_took_yet(queue_client: FlaskClient) -> None:
    start = scrape(queue_client)
    assert value(start, "factdesk_queue_messages", queue="factdesk.checks") == 0
    article = queue_client.post("/v1/articles", json={"text": "The council met on Monday."})
    assert article.status_code == 201, article.get_data(as_text=True)
    for n in range(3):
        body = {"claim": f"The council met ({n}).", "article_id": article.get_json()["id"]}
        assert queue_client.post("/v1/checks", json=body).status_code == 202

    samples = scrape(queue_client)
    assert value(samples, "factdesk_queue_messages", queue="factdesk.checks") == 3
    assert value(samples, "factdesk_queue_messages", queue="factdesk.webhooks") == 0
    assert value(samples, "factdesk_redis_up") == 1


def test_each_tenants_backlog_is_its_pending_list_and_its_in_flight_checks(
    queue_client: FlaskClient,
) -> None:
    limit = queue_client.application.extensions["factdesk"].settings.tenant_in_flight
    assert limit > 0
    start = scrape(queue_client)
    assert not any(name.startswith("factdesk_checks_pending") for name, _ in start)
    article = queue_client.post("/v1/articles", json={"text": "The council met on Monday."})
    assert article.status_code == 201, article.get_data(as_text=True)
    count = limit + 3
    body = {
        "claims": [f"The council met ({n})." for n in range(count)],
        "article_id": article.get_json()["id"],
    }
    assert queue_client.post("/v1/checks:batch", json=body).status_code == 202

    samples = scrape(queue_client)
    # No worker consumes: the broker holds the tenant's `limit` messages, its list the rest.
    assert value(samples, "factdesk_checks_pending", tenant=LOCAL_TENANT) == count - limit
    assert value(samples, "factdesk_checks_in_flight", tenant=LOCAL_TENANT) == limit
    assert value(samples, "factdesk_queue_messages", queue="factdesk.checks") == limit


def test_a_scrape_without_redis_still_answers(settings: Settings) -> None:
    gone = replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")  # nobody listens
    client = create_app(gone, {"TESTING": True}).test_client()
    client.get("/healthz")
    samples = scrape(client)
    assert value(samples, "factdesk_redis_up") == 0
    assert not any(name == "factdesk_queue_messages" for name, _ in samples)
    assert not any(name == "factdesk_checks_pending" for name, _ in samples)
    route = {"method": "GET", "route": "/healthz", "status": "200"}
    assert value(samples, "factdesk_http_requests_total", **route) == 1
