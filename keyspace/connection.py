"""One way to open a Redis client, so timeouts and retries are the same everywhere."""

from __future__ import annotations

import redis

# Errors that mean "Redis is not there right now": the API answers 503 and workers retry.
REDIS_UNAVAILABLE: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
)


def connect(url: str) -> redis.Redis:
    """Return a client for `url` that fails fast when Redis is down instead of hanging.

    Long-poll waits pass their own timeout to the pub/sub read, so the socket timeout here
    only bounds ordinary commands.
    """
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=15,
    )
