"""The hook from "a check reached a final state" to webhook delivery.

Called in the worker (after the engine ran) and in the API (a verdict served from the cache),
so it only sends one small task message; the fan-out itself runs on a worker. The caller
passes its Celery app: the API's own, or the worker's.
"""

from __future__ import annotations

from celery import Celery

from workers.celery_app import TaskNames


def check_finished(celery: Celery, check_id: str, tenant: str) -> None:
    """Queue the webhook fan-out for `tenant`'s check that is now `done` or `failed`."""
    celery.send_task(TaskNames.WEBHOOK_FAN_OUT, args=[check_id, tenant])


def draft_finished(celery: Celery, draft_id: str, tenant: str) -> None:
    """Queue `draft.completed` for a draft that waits on no check (it had no claims)."""
    celery.send_task(TaskNames.DRAFT_FINISHED, args=[draft_id, tenant])
