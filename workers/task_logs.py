"""A worker's logging: our format instead of Celery's, and each task's ids on its every line.

Tasks name what they work on by their parameters (`run_check(check_id, tenant)`,
`deliver(delivery_id, attempt, tenant)`, …). Before a task runs, the parameters whose names
are context fields are bound (workers/logs.py), so every line logged while it runs, Celery's
own "succeeded in" included, carries them; they are dropped when it ends. A prefork child and
each thread of a threads pool run one task at a time, so the binding never leaks to another.
"""

from __future__ import annotations

import inspect

from celery import Task
from celery.signals import setup_logging, task_postrun, task_prerun

from workers import logs


def install(log_format: str) -> None:
    """Make this worker process (and the pool processes it forks) log in `log_format`, from
    now on: Celery warns about its setup before it sets up logging."""
    logs.configure_logging(log_format)

    def configure(loglevel: int | None = None, **_: object) -> None:
        logs.configure_logging(log_format, loglevel or "INFO")

    # A receiver of setup_logging makes Celery leave logging (and stdout) to us, in the main
    # process and again in every pool process it starts.
    setup_logging.connect(configure, weak=False)
    task_prerun.connect(bind_task, weak=False)
    task_postrun.connect(unbind_task, weak=False)


def task_fields(task: Task, args: tuple | list, kwargs: dict) -> dict[str, object]:
    """The task's arguments that are context fields, by parameter name."""
    try:
        bound = inspect.signature(task.run).bind_partial(*args, **kwargs)
    except TypeError:  # a message that does not fit the signature fails in the task itself
        return {}
    return {name: value for name, value in bound.arguments.items() if name in logs.CONTEXT_FIELDS}


def bind_task(
    task_id: str | None = None,
    task: Task | None = None,
    args: tuple | list = (),
    kwargs: dict | None = None,
    **_: object,
) -> None:
    logs.clear()
    fields = task_fields(task, args, kwargs or {}) if task is not None else {}
    logs.bind(task_id=task_id, **fields)


def unbind_task(**_: object) -> None:
    logs.clear()
