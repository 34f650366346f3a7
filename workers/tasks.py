"""Celery tasks: thin wrappers that take ids, re-read state and call plain functions.

`run_check` is idempotent: a check already `done` or `failed` is skipped, so a redelivered
message (worker killed, visibility timeout) never runs a finished check again. Only the named
transient errors are retried, after Celery's exponential backoff with full jitter (so checks
that failed together do not retry together); when retries run out the check is marked `failed`.
"""

from __future__ import annotations

import logging
import time

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import worker_process_init

from keyspace.connection import REDIS_UNAVAILABLE
from keyspace.records import utcnow
from keyspace.tenants import LOCAL_TENANT
from workers.celery_app import TaskNames
from workers.context import WorkerContext, worker_context
from workers.dispatch import check_ended
from workers.engine.types import Document
from workers.logs import log_context
from workers.sources import SourceUnavailable
from workers.sources.gather import NoSourceAnswered, gather_documents
from workers.verdicts import verdict_to_wire
from workers.webhooks.events import check_finished

log = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (SourceUnavailable, *REDIS_UNAVAILABLE)
# Sources and Redis that blip usually come back within seconds: 1 s, 2 s, 4 s ... (each drawn
# at random below that bound), never more than this.
RETRY_BACKOFF_MAX_S = 60


class CheckTask(Task):
    """Marks the check `failed` whatever ends the task abnormally: retries run out, a bug, or
    the hard time limit.

    Celery calls `on_failure` for all of them (for the hard limit, in the worker's parent
    process, after the child was killed), so no check is left `running` forever.
    """

    def on_failure(
        self, exc: BaseException, task_id: str, args: tuple, kwargs: dict, einfo: object
    ) -> None:
        check_id = args[0] if args else kwargs.get("check_id")
        tenant = args[1] if len(args) > 1 else kwargs.get("tenant")
        if check_id is None or tenant is None:
            return
        # The parent process (hard time limit) ran no task_prerun: bind the ids here.
        with log_context(task_id=task_id, tenant=tenant, check_id=check_id):
            self._give_up(exc, check_id, tenant)

    def _give_up(self, exc: BaseException, check_id: str, tenant: str) -> None:
        """Mark the check `failed` with a reason for `exc`, and hand its slot on."""
        if isinstance(exc, TRANSIENT_ERRORS):
            attempts = self.request.retries + 1
            log.warning("check %s: giving up after %d attempts: %r", check_id, attempts, exc)
            reason = f"Gave up after {attempts} attempts: {exc}"
        elif isinstance(exc, TimeLimitExceeded):
            log.error("check %s: task failed: %r", check_id, exc)
            reason = "The check exceeded the hard time limit."
        else:
            log.error("check %s: task failed: %r", check_id, exc)
            reason = "Internal error while checking; it has been logged."
        ctx = worker_context(tenant)
        _fail(ctx, check_id, reason)
        check_ended(ctx.celery, ctx.stores.dispatch, check_id)


@shared_task(
    name=TaskNames.CHECK,
    base=CheckTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX_S,
    retry_jitter=True,
    # max_retries: Settings.task_max_retries, through the app's task_annotations.
)
def run_check(self: Task, check_id: str, tenant: str) -> None:
    """Run `tenant`'s check to a final state (`done` with a verdict, or `failed`).

    The tenant travels in the task payload, so the record, the verdict cache and the webhooks
    it triggers are all read and written under that tenant's keys.
    """
    ctx = worker_context(tenant)
    try:
        perform_check(ctx, check_id)
    except SoftTimeLimitExceeded:
        _fail(ctx, check_id, "The check took longer than the time limit.")
    except NoSourceAnswered as exc:  # the article was deleted, every source refused
        _fail(ctx, check_id, str(exc))
    # The task ended (a transient error would have raised: it retries, keeping its slot).
    check_ended(ctx.celery, ctx.stores.dispatch, check_id)


def perform_check(ctx: WorkerContext, check_id: str) -> None:
    """Judge the claim of check `check_id` and store the verdict (no-op if already final)."""
    record = ctx.checks.mark_running(check_id)
    if record is None:
        log.info("check %s: missing or already final, skipping", check_id)
        return
    gathered = gather_documents(ctx, record)
    if ctx.settings.engine_delay_s:
        time.sleep(ctx.settings.engine_delay_s)  # test-only: lets tests kill a worker mid-check
    verdict = ctx.engine_check(record["claim"], gathered.documents)
    wire = verdict_to_wire(
        verdict,
        checked_at=utcnow(),
        sources_unavailable=gathered.unavailable,
        related_fact_checks=gathered.related_fact_checks,
    )
    ctx.checks.mark_done(check_id, wire, ctx.cache, cacheable=gathered.cacheable)
    check_finished(ctx.celery, check_id, ctx.tenant)


def _fail(ctx: WorkerContext, check_id: str, error: str) -> None:
    if ctx.checks.mark_failed(check_id, error):
        check_finished(ctx.celery, check_id, ctx.tenant)


WARM_UP = Document(id="warm-up", text="The engine loads its model before the first check.")


@worker_process_init.connect
def warm_up(**_: object) -> None:
    """Load the engine (and its model) as each pool process starts, not on its first check."""
    try:
        worker_context(LOCAL_TENANT).engine_check("The engine loads its model.", [WARM_UP])
    except Exception:  # a failed warm-up must not kill the pool; the first check will retry it
        log.exception("engine warm-up failed")
