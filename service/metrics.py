"""GET /metrics: Prometheus metrics of this API process and of the whole deployment.

Two kinds of metric, one exposition (docs/operations.md lists them all):

- This process's HTTP traffic, counted in memory by prometheus-client (thread-safe, so every
  waitress thread records into the same metrics): requests by method, route and status, and
  a latency histogram by method and route. The route is the URL rule's template
  (`/v1/checks/<check_id>`), never the raw path, so the number of series stays bounded.
- The deployment's state, read from Redis when scraped (service/deployment_metrics.py): queue
  depth per Celery queue, each tenant's pending and in-flight checks (fair dispatch), and
  what the workers counted (checks by final state, webhook outcomes). Every API process
  reports the same values for these.

Access: with FACTDESK_METRICS_TOKEN set, a scraper sends `Authorization: Bearer <token>`
(401 otherwise); without it, only loopback clients are answered (403 otherwise). The endpoint
is operational, not part of the API, so the OpenAPI document leaves it out, like /healthz.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.process_collector import ProcessCollector

from keyspace.keys import Keys
from service.context import app_factdesk
from service.deployment_metrics import DeploymentCollector
from service.problems import problem_response
from service.quotas import auth_failure_limited, note_auth_failure
from settings import env_name
from workers.celery_app import QueueNames

bp = Blueprint("metrics", __name__)

# Seconds; long-polls (`?wait=` up to 30 s) land in the top buckets.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# Any other method a client sends is counted as "other": labels stay a bounded set.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "<unmatched>"  # 404s and 405s: the router found no rule for them


@dataclass(frozen=True)
class ApiMetrics:
    registry: CollectorRegistry
    requests: Counter
    latency: Histogram


def init_app(app: Flask) -> None:
    """Serve /metrics and time every request (call before the authentication hook, so that
    refused requests are counted too)."""
    fd = app.extensions["factdesk"]
    registry = CollectorRegistry()
    metrics = ApiMetrics(
        registry=registry,
        requests=Counter(
            "factdesk_http_requests",
            "HTTP requests answered by this API process.",
            ["method", "route", "status"],
            registry=registry,
        ),
        latency=Histogram(
            "factdesk_http_request_duration_seconds",
            "Time from the request's arrival in the app to its response, by route.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
    )
    ProcessCollector(registry=registry)  # CPU, memory, open files of this process
    registry.register(
        DeploymentCollector(fd.stores.redis, Keys(fd.settings.key_prefix), QueueNames.ALL)
    )
    app.extensions["factdesk_metrics"] = metrics
    app.before_request(_start_timer)
    app.after_request(_observe)
    app.register_blueprint(bp)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    metrics: ApiMetrics = current_app.extensions["factdesk_metrics"]
    method = request.method if request.method in KNOWN_METHODS else "other"
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
    metrics.requests.labels(method, route, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        metrics.latency.labels(method, route).observe(time.perf_counter() - started)
    return response


@bp.get("/metrics")
def metrics_endpoint() -> Response:
    refused = _refuse_scraper()
    if refused is not None:
        return refused
    metrics: ApiMetrics = current_app.extensions["factdesk_metrics"]
    return Response(
        generate_latest(metrics.registry),
        headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"},
    )


def _refuse_scraper() -> Response | None:
    """None when the caller may scrape; else the 401/403/429 problem+json."""
    token = app_factdesk().settings.metrics_token
    if not token:
        if _loopback():
            return None
        return problem_response(
            403,
            f"/metrics answers loopback clients only; set {env_name('metrics_token')} to "
            "scrape it from elsewhere.",
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8"), token.encode("utf-8")
    ):
        return None
    wait_s = auth_failure_limited()  # a wrong token counts as a failed authentication
    if wait_s:
        return problem_response(
            429,
            "Too many requests with a missing or wrong token from this address; wait and retry.",
            errors={"Authorization": ["Too many failed attempts."]},
            headers={"Retry-After": str(wait_s)},
        )
    note_auth_failure()
    return problem_response(
        401,
        f"Send the metrics token ({env_name('metrics_token')}) as `Authorization: Bearer …`.",
        errors={"Authorization": ["Missing or wrong metrics token."]},
        headers={"WWW-Authenticate": 'Bearer realm="factdesk-metrics"'},
    )


def _loopback() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
