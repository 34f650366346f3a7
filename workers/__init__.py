"""The checking side: Celery app and tasks, the verification engine, evidence sources."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workers.engine import Engine


@functools.cache
def service_engine() -> Engine:
    """The engine the service runs: the judge `FACTDESK_ENGINE_JUDGE` names, else the engine's
    default. The API asks it for the version in cache keys and the workers check with it, so
    both sides agree on which verdicts a cache entry may serve."""
    from settings import load_settings
    from workers.engine import Engine, default_engine

    settings = load_settings()
    if not settings.engine_judge and not settings.engine_threads:
        return default_engine()
    return Engine(judge=settings.engine_judge or None, threads=settings.engine_threads or None)


def engine_version() -> str:
    """Return the version the service's engine stamps on its verdicts (part of every cache key).

    Asked of the engine object itself (cheap: models load lazily), so a change of judge or
    model invalidates cached verdicts just like a new engine release.
    """
    return service_engine().version
