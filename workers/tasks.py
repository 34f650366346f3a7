"""Celery tasks: thin wrappers that take ids, re-read state and call plain functions.

`run_check` is idempotent: a check already `done` or `failed` is skipped, so a redelivered
message (worker killed, visibility timeout) never runs a finished check again. Only the named
transient errors are retried; when retries run out the check is marked `failed`.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from celery import Task, current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import worker_process_init

from keyspace.cache import VerdictCache
from keyspace.checks import CheckStore
from keyspace.connection import REDIS_UNAVAILABLE
from keyspace.records import utcnow
from keyspace.stores import Stores
from schemas.verdicts import verdict_to_wire
from settings import Settings, load_settings
from workers.celery_app import TaskNames
from workers.engine.types import Document, Verdict
from workers.sources import SourceUnavailable
from workers.sources.gather import NoSourceAnswered, gather_documents

log = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (SourceUnavailable, *REDIS_UNAVAILABLE)


class CheckTask(Task):
    """Marks the check `failed` whatever ends the task abnormally: a bug, or the hard time limit.

    Celery calls `on_failure` for both (for the hard limit, in the worker's parent process, after
    the child was killed), so no check is left `running` forever.
    """

    def on_failure(
        self, exc: BaseException, task_id: str, args: tuple, kwargs: dict, einfo: object
    ) -> None:
        check_id = args[0] if args else kwargs.get("check_id")
        if check_id is None:
            return
        if isinstance(exc, TimeLimitExceeded):
            reason = "The check exceeded the hard time limit."
        else:
            reason = "Internal error while checking; it has been logged."
        log.error("check %s: task failed: %r", check_id, exc)
        _fail(worker_context(), check_id, reason)


@shared_task(
    name=TaskNames.CHECK, base=CheckTask, bind=True, acks_late=True, reject_on_worker_lost=True
)
def run_check(self: Task, check_id: str) -> None:
    """Run one check to a final state (`done` with a verdict, or `failed`)."""
    ctx = worker_context()
    try:
        perform_check(ctx, check_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= ctx.settings.task_max_retries:
            log.warning("check %s: giving up after %d retries", check_id, self.request.retries)
            _fail(ctx, check_id, f"Gave up after {self.request.retries + 1} attempts: {exc}")
            return
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    except SoftTimeLimitExceeded:
        _fail(ctx, check_id, "The check took longer than the time limit.")
    except NoSourceAnswered as exc:  # the article was deleted, every source refused
        _fail(ctx, check_id, str(exc))


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
    on_check_finished(check_id)


def on_check_finished(check_id: str) -> None:
    """Run whatever follows a final state (webhook delivery hooks in here).

    Called once per check by the worker after `done`/`failed`, and by the API when a check is
    answered from the cache.
    """
    from workers.webhooks.events import check_finished  # late: webhooks import this module

    check_finished(check_id)


def _fail(ctx: WorkerContext, check_id: str, error: str) -> None:
    if ctx.checks.mark_failed(check_id, error):
        on_check_finished(check_id)


def _backoff(retries: int) -> float:
    # 1 s, 2 s, 4 s ...: sources and Redis that blip usually come back within seconds.
    return float(2**retries)


@dataclass(frozen=True)
class WorkerContext:
    settings: Settings
    stores: Stores
    engine_check: Callable[[str, Sequence[Document]], Verdict]

    @property
    def checks(self) -> CheckStore:
        return self.stores.checks

    @property
    def cache(self) -> VerdictCache:
        return self.stores.cache


@functools.cache
def worker_context() -> WorkerContext:
    """Return this worker process's context, built once (the engine loads its model once)."""
    settings = current_app.conf.get("factdesk_settings") or load_settings()
    from workers import service_engine

    return WorkerContext(settings, Stores.from_settings(settings), service_engine().check)


WARM_UP = Document(id="warm-up", text="The engine loads its model before the first check.")


@worker_process_init.connect
def warm_up(**_: object) -> None:
    """Load the engine (and its model) as each pool process starts, not on its first check."""
    try:
        worker_context().engine_check("The engine loads its model.", [WARM_UP])
    except Exception:  # a failed warm-up must not kill the pool; the first check will retry it
        log.exception("engine warm-up failed")
