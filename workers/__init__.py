"""The checking side: Celery app and tasks, the verification engine, evidence sources."""


def engine_version() -> str:
    """Return the version the default engine stamps on its verdicts (part of every cache key).

    Asked of the engine object itself (cheap: models load lazily), so a change of judge or
    model invalidates cached verdicts just like a new engine release.
    """
    from workers.engine import default_engine

    return default_engine().version
