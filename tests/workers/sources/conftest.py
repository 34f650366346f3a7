"""A local site to fetch from, and outbound sessions pointed at it.

Fixtures:
  site          A `source_site.Site` on 127.0.0.1 (scripted answers per path).
  make_http     make_http(**settings) -> OutboundHttp with the test Redis, a private key prefix
                (no breaker or cache state shared between tests) and 127.0.0.1 allow-listed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from source_site import Site

from settings import load_settings
from workers.sources.http import BytesRedis, OutboundHttp


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def make_http(redis_url: str) -> Iterator[Callable[..., OutboundHttp]]:
    clients: list[redis.Redis] = []

    def make(**overrides: object) -> OutboundHttp:
        values: dict[str, object] = {
            "redis_url": redis_url,
            "key_prefix": f"fdsrc{uuid.uuid4().hex[:8]}",
            "source_allow_hosts": "127.0.0.1",
            "source_user_agent": "factdesk-test/1.0",
            **overrides,
        }
        settings = load_settings(env={}, **values)
        client = BytesRedis.from_url(redis_url)
        clients.append(client)
        return OutboundHttp(settings, client)

    yield make
    for client in clients:
        client.close()
