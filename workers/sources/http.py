"""The one outbound HTTP session every external source calls through.

What each request gets, and from where:
- the SSRF guard webhooks use too (`workers.ssrf.guarded_session`): every connection, each
  redirect hop included, is refused unless its peer address is public or allow-listed;
- connect/read timeouts, and urllib3's `Retry` (backoff with jitter on timeouts, 5xx and 429,
  honouring `Retry-After`) bounded by the check's source budget: a retry that would end after
  the deadline is not made;
- a per-host concurrency cap, so five URLs on one site do not hammer it;
- a circuit breaker per host (`pybreaker`, state in Redis so every worker agrees) that stops
  calling a host that keeps failing, for `source_breaker_reset_s`;
- a Redis cache of answers (`requests-cache`) with a TTL, revalidated with ETag/Last-Modified
  once stale;
- a User-Agent naming the deployment.
"""

from __future__ import annotations

import contextvars
import functools
import threading
import time
from collections.abc import Callable, Mapping
from typing import TypeVar
from urllib.parse import urlsplit

import pybreaker
import redis
import requests
import requests_cache
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from keyspace.keys import Keys
from settings import Settings
from workers.sources import SourceRefused, SourceUnavailable
from workers.ssrf import (
    MAX_REDIRECTS,
    AllowList,
    UnsafeTargetError,
    check_url,
    guarded_session,
)

T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

# The deadline (time.monotonic()) of the call running in this thread; read by BudgetRetry.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


class BudgetSpent(Exception):
    """The next retry would end after the source budget: give up now instead."""


class BudgetRetry(Retry):
    """urllib3's Retry, except that it never sleeps past the current call's deadline.

    `Retry-After` is honoured up to the deadline; a server asking for longer gets no retry.
    """

    def sleep(self, response: object = None) -> None:
        wait = None
        if self.respect_retry_after_header and response is not None:
            wait = self.get_retry_after(response)  # type: ignore[arg-type]
        if wait is None:
            wait = self.get_backoff_time()
        deadline = _deadline.get()
        if deadline is not None and time.monotonic() + wait >= deadline:
            raise BudgetSpent(f"a retry in {wait:.1f} s would overrun the source budget")
        if wait > 0:
            time.sleep(wait)


class OutboundHttp:
    """Guarded, retrying, rate-capped, circuit-broken, cached GETs for every source."""

    def __init__(self, settings: Settings, raw_redis: redis.Redis | None) -> None:
        self.settings = settings
        self.user_agent = user_agent(settings)
        self._redis = raw_redis
        self._session = _session(settings, raw_redis)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._breakers: dict[str, pybreaker.CircuitBreaker] = {}

    def get(
        self,
        url: str,
        *,
        deadline: float,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> requests.Response:
        """GET `url` (through the cache) before `deadline` (time.monotonic()).

        Any status below 500 but 429 returns. Errors name the caller's `name` for the source
        ("wikipedia"), else the URL's host.

        :raise SourceUnavailable: timeout, network error, 5xx or 429 after the retries, an open
            circuit, or no time left.
        :raise SourceRefused: an address the SSRF guard refuses, or too many redirects.
        """
        host, name = _host_and_name(url, name)
        return self._guarded(
            host, name, deadline, lambda: self._send(url, name, deadline, params, headers)
        )

    def stream(
        self,
        url: str,
        consume: Callable[[requests.Response], T],
        *,
        deadline: float,
        headers: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> T:
        """GET `url` streamed, bypassing the cache, and return `consume(response)`.

        The body is read inside the host's concurrency slot and the circuit breaker, so a page
        download counts as the request it is. Raises as `get`, and whatever `consume` raises.
        """
        host, name = _host_and_name(url, name)

        def call() -> T:
            with self._send(url, name, deadline, None, headers, cache=False, stream=True) as r:
                return consume(r)

        return self._guarded(host, name, deadline, call)

    def _guarded(self, host: str, name: str, deadline: float, call: Callable[[], T]) -> T:
        if time.monotonic() >= deadline:
            raise SourceUnavailable(f"{name}: no time left in the source budget")
        slot = self._slot(host)
        if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise SourceUnavailable(f"{name}: too many requests in flight to {host}")
        try:
            return self._breaker(host).call(call)
        except pybreaker.CircuitBreakerError as exc:
            raise SourceUnavailable(
                f"{name}: {host} not called, it failed repeatedly (circuit open for up to "
                f"{self.settings.source_breaker_reset_s:g} s)"
            ) from exc
        finally:
            slot.release()

    def circuit_state(self, host: str) -> str:
        """Return "closed", "open" or "half-open" for `host` (for tests and diagnostics)."""
        return self._breaker(host).current_state

    def _send(
        self,
        url: str,
        name: str,
        deadline: float,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        *,
        cache: bool = True,
        stream: bool = False,
    ) -> requests.Response:
        remaining = deadline - time.monotonic()
        timeout = (
            min(self.settings.source_connect_timeout_s, remaining),
            min(self.settings.source_timeout_s, remaining),
        )
        token = _deadline.set(deadline)
        try:
            response = self._session.get(
                url,
                params=params,
                headers={"User-Agent": self.user_agent, **(headers or {})},
                timeout=timeout,
                stream=stream,
                # Streamed pages are capped by size while they download and kept as snapshots by
                # the `url` source, so they skip this cache (which would read the whole body).
                expire_after=None if cache else requests_cache.DO_NOT_CACHE,
            )
        except UnsafeTargetError as exc:
            raise SourceRefused(f"{name}: refused, {exc}") from exc
        except requests.TooManyRedirects as exc:
            raise SourceRefused(f"{name}: more than {MAX_REDIRECTS} redirects") from exc
        except BudgetSpent as exc:
            raise SourceUnavailable(f"{name}: {exc}") from exc
        except requests.RequestException as exc:
            raise SourceUnavailable(f"{name}: {_describe(exc)}") from exc
        finally:
            _deadline.reset(token)
        if response.status_code in RETRY_STATUSES:
            response.close()
            # Raised inside the breaker's call, so it counts toward opening the circuit.
            raise SourceUnavailable(f"{name} answered {response.status_code}")
        return response

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(
                    self.settings.source_host_concurrency
                )
            return self._slots[host]

    def _breaker(self, host: str) -> pybreaker.CircuitBreaker:
        with self._lock:
            if host not in self._breakers:
                storage = None
                if self._redis is not None:
                    # In Redis, so every worker process stops calling a host once any sees it fail.
                    storage = pybreaker.CircuitRedisStorage(
                        pybreaker.STATE_CLOSED,
                        self._redis,
                        namespace=Keys(self.settings.key_prefix).source_breaker(host),
                    )
                self._breakers[host] = pybreaker.CircuitBreaker(
                    fail_max=self.settings.source_breaker_failures,
                    reset_timeout=self.settings.source_breaker_reset_s,
                    exclude=[SourceRefused],  # our refusal says nothing about the host's health
                    state_storage=storage,
                    name=host,
                    throw_new_error_on_trip=False,
                )
            return self._breakers[host]


def _describe(exc: requests.RequestException) -> str:
    """Say what went wrong in a few words (requests wraps a last timeout in ConnectionError)."""
    reason: BaseException = exc
    if exc.args and isinstance(exc.args[0], MaxRetryError) and exc.args[0].reason is not None:
        reason = exc.args[0].reason
    if isinstance(reason, requests.Timeout | urllib3.exceptions.TimeoutError):
        return "timed out"
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        return "connection failed"
    return f"request failed ({type(reason).__name__})"


def _host_and_name(url: str, name: str | None) -> tuple[str, str]:
    host = urlsplit(url).hostname or ""
    return host, name or host


def user_agent(settings: Settings) -> str:
    """Return the User-Agent: the configured one, plus this deployment's URL when it is known."""
    agent = settings.source_user_agent
    if settings.public_base_url and settings.public_base_url not in agent:
        agent = f"{agent} +{settings.public_base_url}"
    return agent


def allow_list(settings: Settings) -> AllowList:
    """Hosts sources may call although not public: the allow-list plus the configured APIs."""
    configured = [
        urlsplit(url).hostname or ""
        for url in (settings.wikipedia_api_url, settings.factcheck_api_url, settings.web_search_url)
        if url
    ]
    return AllowList.parse([*settings.source_allow_hosts.split(","), *configured])


def refuse_unless_public(url: str, allow_hosts: str) -> None:
    """Refuse a URL found on the web (a search result) unless it is public or in `allow_hosts`.

    Stricter than the session's guard, which also allows the configured API hosts: a result
    pointing at the operator's own search instance is no more trusted than any other.
    :raise SourceRefused: the URL resolves to an address sources may not call.
    """
    try:
        check_url(url, AllowList.parse(allow_hosts.split(",")))
    except UnsafeTargetError as exc:
        raise SourceRefused(f"{url}: refused, {exc}") from exc


def _session(settings: Settings, raw_redis: redis.Redis | None) -> requests_cache.CachedSession:
    if raw_redis is not None and settings.source_cache_ttl_s > 0:
        backend: requests_cache.BaseCache = requests_cache.RedisCache(
            namespace=Keys(settings.key_prefix).source_http_cache(),
            connection=raw_redis,
            serializer="json",  # not pickle: reading the cache must never run code
            ttl_offset=settings.source_cache_ttl_s,  # keep stale entries a while to revalidate
        )
    else:
        backend = requests_cache.BaseCache()  # no Redis: nothing is cached
    session = requests_cache.CachedSession(
        backend=backend,
        expire_after=settings.source_cache_ttl_s or requests_cache.DO_NOT_CACHE,
        allowable_codes=(200, 404),
        stale_if_error=False,
        # API keys in the query never reach the cache (nor its keys).
        ignored_parameters=["key", "api_key", "access_token", "Authorization", "X-API-KEY"],
    )
    session.trust_env = False  # a proxy from the environment would hide the real peer
    session.max_redirects = MAX_REDIRECTS
    adapter = guarded_session(allow_list(settings)).get_adapter("http://")
    assert isinstance(adapter, HTTPAdapter)  # the guard's own adapter, retries added below
    adapter.max_retries = BudgetRetry(
        total=settings.source_retries,
        connect=settings.source_retries,
        read=settings.source_retries,
        status=settings.source_retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=0.2,
        backoff_jitter=0.2,
        respect_retry_after_header=True,
        raise_on_status=False,  # the last 5xx/429 comes back, and `_send` names its status
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class BytesRedis(redis.Redis):
    """The bytes-in, bytes-out client requests-cache and pybreaker expect."""

    def setex(self, name: str | bytes, time: int, value: bytes) -> object:
        # requests-cache still calls SETEX, which redis-py now deprecates: same command via SET.
        return self.set(name, value, ex=time)


@functools.cache
def outbound_http(settings: Settings) -> OutboundHttp:
    """Return this process's session for `settings` (built once; workers fork before the call)."""
    raw = None
    if settings.redis_url:
        # Bounded like the stores' client (keyspace/connection.py): a stalled Redis must not
        # stall a source past its budget.
        raw = BytesRedis.from_url(
            settings.redis_url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=15
        )
    return OutboundHttp(settings, raw)
