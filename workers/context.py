"""What a task needs from its worker process: settings, the Redis stores, the engine, Celery.

Built once per worker process (the engine loads its model once) and passed to the plain
functions the tasks call, so those functions can be tested with a context of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from celery import Celery, current_app

from keyspace.cache import VerdictCache
from keyspace.checks import CheckStore
from keyspace.stores import Stores
from keyspace.tenants import LOCAL_TENANT
from settings import Settings, load_settings
from workers.engine.types import Document, Verdict


@dataclass(frozen=True)
class WorkerContext:
    settings: Settings
    stores: Stores
    engine_check: Callable[[str, Sequence[Document]], Verdict]
    celery: Celery

    @property
    def tenant(self) -> str:
        return self.stores.tenant

    def for_tenant(self, tenant: str) -> WorkerContext:
        """This context with `tenant`'s stores: every task names the tenant it works for."""
        return replace(self, stores=self.stores.for_tenant(tenant))

    @property
    def checks(self) -> CheckStore:
        return self.stores.checks

    @property
    def cache(self) -> VerdictCache:
        return self.stores.cache


def worker_context(tenant: str) -> WorkerContext:
    """Return this worker process's context for `tenant` (the task payload names it)."""
    return _process_context().for_tenant(tenant)


@functools.cache
def _process_context() -> WorkerContext:
    """Built once per process (the engine loads its model once); its stores' tenant is only a
    placeholder, `worker_context` rebinds them to the task's tenant."""
    from workers import service_engine

    celery = current_app._get_current_object()
    settings = celery.conf.get("factdesk_settings") or load_settings()
    stores = Stores.from_settings(settings, LOCAL_TENANT)
    return WorkerContext(settings, stores, service_engine().check, celery)
