"""The Celery app, configured from settings; the API and the worker build it the same way.

Reliability choices (see docs/operations.md): late acks + reject on worker loss + prefetch 1, so
a check whose worker dies is handed to another worker instead of being lost. With Redis as the
broker, an unacknowledged message comes back after `visibility_timeout`; it must exceed the hard
time limit of a check, or a slow check would run twice.
"""

from __future__ import annotations

from celery import Celery

from settings import Settings, load_settings


class TaskNames:
    """Every task's name; the API sends tasks by these names without importing the tasks."""

    CHECK = "factdesk.check"
    WEBHOOK_FAN_OUT = "factdesk.webhooks.fan_out"
    WEBHOOK_DELIVER = "factdesk.webhooks.deliver"
    DRAFT_FINISHED = "factdesk.webhooks.draft_finished"


class QueueNames:
    """Checks and webhook traffic have queues of their own, so a receiver that hangs or fails
    can only delay other deliveries, never checks (issue #12, finding 1). A plain
    `factdesk worker` serves both; `factdesk run` starts one worker per queue."""

    CHECKS = "factdesk.checks"
    WEBHOOKS = "factdesk.webhooks"
    ALL = (CHECKS, WEBHOOKS)


# Every webhook task runs on the webhook queue; everything else on the checks queue.
TASK_ROUTES = {
    name: {"queue": QueueNames.WEBHOOKS}
    for name in (TaskNames.WEBHOOK_FAN_OUT, TaskNames.WEBHOOK_DELIVER, TaskNames.DRAFT_FINISHED)
}


# Modules whose tasks a worker registers; integrations append theirs here.
TASK_MODULES = ["workers.tasks", "workers.webhooks.tasks"]


def create_celery(settings: Settings | None = None) -> Celery:
    """Return a Celery app whose broker is the settings' Redis."""
    settings = settings or load_settings()
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set; `factdesk run` starts an embedded Redis")
    app = Celery("factdesk", include=TASK_MODULES)
    app.conf.update(
        broker_url=settings.redis_url,
        # No result backend: check records live in our keyspace and nobody reads task results.
        # With one, every send_task would also SUBSCRIBE the sender to a result channel.
        task_ignore_result=True,
        task_default_queue=QueueNames.CHECKS,
        task_routes=TASK_ROUTES,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_soft_time_limit_s,
        task_time_limit=settings.task_time_limit_s,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        # On a broker reconnect, running late-ack tasks are redelivered anyway; cancelling them
        # avoids two workers running the same check.
        worker_cancel_long_running_tasks_on_connection_loss=True,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout_s,
            "unacked_restore_interval": settings.unacked_restore_interval_s,
            # Sweep on every interval, so `unacked_restore_interval` alone sets the pace.
            "unacked_restore_throttle": 1,
            "socket_timeout": 10,
            "socket_connect_timeout": 5,
        },
        worker_hijack_root_logger=False,
        # The check task retries transient errors (Celery's retry_backoff with jitter) this
        # many times; a setting, so tests and operators can change it without code.
        task_annotations={TaskNames.CHECK: {"max_retries": settings.task_max_retries}},
    )
    app.conf.factdesk_settings = settings
    return app
