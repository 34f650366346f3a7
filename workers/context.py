"""What a task needs from its worker process: settings, the Redis stores, the engine, Celery.

Built once per worker process (the engine loads its model once) and passed to the plain
functions the tasks call, so those functions can be tested with a context of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from celery import Celery, current_app

from keyspace.cache import VerdictCache
from keyspace.checks import CheckStore
from keyspace.stores import Stores
from settings import Settings, load_settings
from workers.engine.types import Document, Verdict


@dataclass(frozen=True)
class WorkerContext:
    settings: Settings
    stores: Stores
    engine_check: Callable[[str, Sequence[Document]], Verdict]
    celery: Celery

    @property
    def checks(self) -> CheckStore:
        return self.stores.checks

    @property
    def cache(self) -> VerdictCache:
        return self.stores.cache


@functools.cache
def worker_context() -> WorkerContext:
    """Return this worker process's context, built once (the engine loads its model once)."""
    from workers import service_engine

    celery = current_app._get_current_object()
    settings = celery.conf.get("factdesk_settings") or load_settings()
    return WorkerContext(settings, Stores.from_settings(settings), service_engine().check, celery)
