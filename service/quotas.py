"""Quotas on the shared Redis: requests per minute and claims per day per API key, and failed
authentication per client address.

Requests go through flask-limiter (an application-wide limit keyed by the API key's id);
claims and failed authentications are counted with `limits`, flask-limiter's own counter
library, on the same Redis storage. Every counter lives under `Keys.rate_limits()`, so all API
processes share them. Anonymous loopback requests (a developer's machine before any key
exists) are not limited. Answers carry the IETF draft's `RateLimit-Policy` and `RateLimit`
headers (draft-ietf-httpapi-ratelimit-headers); a 429 also carries `Retry-After`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import redis
from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter
from flask_smorest import abort
from limits import RateLimitItem, parse, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from keyspace.keys import Keys
from service.context import Factdesk
from settings import Settings, env_name

REQUESTS_POLICY = "requests"


@dataclass(frozen=True)
class Quotas:
    limiter: Limiter
    counters: FixedWindowRateLimiter
    claims: RateLimitItem
    failed_auth: RateLimitItem


def quotas() -> Quotas:
    return current_app.extensions["factdesk_quotas"]


def init_app(app: Flask, settings: Settings, pool: redis.ConnectionPool) -> None:
    """Install the per-key request limit and the counters (call after authentication's hook,
    so the limiter sees the request's key). They share the stores' connection `pool`."""
    try:
        parse_many(settings.rate_limit)
    except ValueError as e:  # fail at start, not on the first request
        raise ValueError(f"{env_name('rate_limit')}={settings.rate_limit!r}: {e}") from e
    prefix = Keys(settings.key_prefix).rate_limits()
    options = {"key_prefix": prefix, "connection_pool": pool}
    storage: Storage = storage_from_string(settings.redis_url, **options)
    limiter = Limiter(
        key_func=_limited_key,
        application_limits=[settings.rate_limit],
        application_limits_exempt_when=lambda: _limited_key() == "",
        storage_uri=settings.redis_url,
        storage_options=options,
        strategy="fixed-window",
        headers_enabled=False,  # the IETF headers below instead of X-RateLimit-*
    )
    limiter.init_app(app)
    app.extensions["factdesk_quotas"] = Quotas(
        limiter=limiter,
        counters=FixedWindowRateLimiter(storage),
        claims=parse(f"{settings.claims_per_day}/day"),
        failed_auth=parse(f"{settings.failed_auth_per_minute}/minute"),
    )
    app.after_request(_rate_limit_headers)


def _limited_key() -> str:
    """The API key's id; "" (exempt) for anonymous requests and paths outside /v1."""
    principal = g.get("principal")
    return principal.key_id or "" if principal is not None else ""


def charge_claims(count: int) -> None:
    """Count `count` claims against the caller's daily quota, or refuse them all.

    :raise 429: (problem+json with Retry-After) when the claims do not fit in what is left today.
    """
    key_id = _limited_key()
    if not key_id or count <= 0:
        return
    q = quotas()
    # test, then hit: a refused request is not counted (hit alone would count it).
    if not q.counters.test(q.claims, "claims", key_id, cost=count):
        stats = q.counters.get_window_stats(q.claims, "claims", key_id)
        abort(
            429,
            message=f"This API key's claim quota ({q.claims.amount} a day) cannot take "
            f"{count} more claims; {stats.remaining} left.",
            errors={"claims": [f"Daily claim quota exceeded ({stats.remaining} left)."]},
            headers={"Retry-After": str(_seconds_until(stats.reset_time))},
        )
    q.counters.hit(q.claims, "claims", key_id, cost=count)


def bound_unfinished(fd: Factdesk, count: int) -> None:
    """Refuse `count` more checks when the tenant already has its bound queued or running.

    :raise 429: (problem+json naming `claims`, with Retry-After) when they do not fit.
    """
    bound = fd.settings.max_unfinished_checks
    if bound <= 0 or count <= 0:
        return
    # A check that has waited longer than a worker may hold it (visibility timeout) plus its
    # retries is lost or expired, not queued: it stops counting.
    stale_after_s = fd.settings.visibility_timeout_s + fd.settings.task_time_limit_s
    unfinished = fd.checks.unfinished_count(stale_after_s)
    if unfinished + count > bound:
        abort(
            429,
            message=f"This tenant has {unfinished} checks queued or running (at most {bound}); "
            f"{count} more do not fit. Retry once some have finished.",
            errors={"claims": [f"Too many unfinished checks ({unfinished} of {bound})."]},
            headers={"Retry-After": str(fd.settings.retry_after_s)},
        )


def charge_storage(stored_now: int, adding: int, limit: int) -> None:
    """Refuse a write that would take the tenant's stored article bytes over `limit`.

    :raise 429: (problem+json naming `text`) when it would; deleting articles frees space.
    """
    if limit > 0 and adding > 0 and stored_now + adding > limit:
        abort(
            429,
            message=f"This tenant stores {stored_now} of its {limit} bytes of article text; "
            f"{adding} more do not fit. Delete articles to free space.",
            errors={"text": ["Stored-bytes quota exceeded."]},
        )


def auth_failure_limited() -> int:
    """Seconds until this client address may try a key again; 0 when it may now."""
    q = quotas()
    if q.counters.test(q.failed_auth, "auth-failures", _client_address()):
        return 0
    reset = q.counters.get_window_stats(q.failed_auth, "auth-failures", _client_address())
    return _seconds_until(reset.reset_time)


def note_auth_failure() -> None:
    q = quotas()
    q.counters.hit(q.failed_auth, "auth-failures", _client_address())


def _client_address() -> str:
    # The socket peer: waitress trusts no X-Forwarded-For, so a client cannot pick its address.
    return request.remote_addr or "unknown"


def _seconds_until(reset_time: float) -> int:
    return max(1, math.ceil(reset_time - time.time()))


def _rate_limit_headers(response: Response) -> Response:
    """Add `RateLimit-Policy`/`RateLimit` for the request quota (and Retry-After on its 429)."""
    current = quotas().limiter.current_limit if _limited_key() else None
    if current is None:
        return response
    window = current.limit.get_expiry()
    reset = min(window, _seconds_until(current.reset_at))  # reset_at is rounded up to 1 s
    response.headers["RateLimit-Policy"] = (
        f'"{REQUESTS_POLICY}";q={current.limit.amount};w={window}'
    )
    response.headers["RateLimit"] = f'"{REQUESTS_POLICY}";r={max(0, current.remaining)};t={reset}'
    if response.status_code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(reset)
    return response
