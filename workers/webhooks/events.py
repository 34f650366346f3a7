"""The hook from "a check reached a final state" to webhook delivery.

Called in the worker (after the engine ran) and in the API (a verdict served from the cache),
so it only sends one small task message; the fan-out itself runs on a worker.
"""

from __future__ import annotations

import celery
from flask import current_app as flask_app
from flask import has_app_context

from workers.webhooks.tasks import FAN_OUT


def check_finished(check_id: str) -> None:
    """Queue the webhook fan-out for a check that is now `done` or `failed`."""
    _celery().send_task(FAN_OUT, args=[check_id])


def _celery() -> celery.Celery:
    # Inside the API the app's own Celery instance knows the broker; inside a worker the
    # current Celery app is the one that runs this task.
    if has_app_context() and "factdesk" in flask_app.extensions:
        return flask_app.extensions["factdesk"].celery
    return celery.current_app._get_current_object()
