"""Sending checks to the broker fairly between tenants (the bookkeeping: keyspace/dispatch.py).

- `dispatch_pending`: the API created checks (they joined the tenant's pending list with their
  records, keyspace/checks.py); at most `FACTDESK_TENANT_IN_FLIGHT` of a tenant's checks are
  sent, the rest wait in its pending list.
- `check_ended`: a check task ended (done, failed, given up, or skipped as already final); its
  slot goes to the tenant's next pending check.
- `sweep`: repairs what a crash can leave behind, for every tenant with work: slots of checks
  that ended without freeing them (a worker killed between its verdict and the hand-over),
  slots free while checks wait (a Redis restart, a failed send, an API process that died
  between creating checks and sending them), messages lost between taking
  a slot and sending (re-sent once older than a broker message can legitimately wait: the
  visibility timeout plus the hard time limit). Each checks worker runs it at start and every
  `FACTDESK_DISPATCH_SWEEP_INTERVAL_S` in a thread of its main process.

A re-sent or duplicated message is harmless: the check task skips a check that is already
final (keyspace/checks.py `mark_running`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import redis
from celery import Celery
from celery.signals import worker_ready, worker_shutdown

from keyspace.connection import connect
from keyspace.dispatch import DispatchStore, tenants_with_work
from keyspace.keys import Keys
from settings import Settings
from vocabulary import FINAL_STATES, QUEUED
from workers.celery_app import QueueNames, TaskNames

log = logging.getLogger(__name__)


def send_checks(celery: Celery, dispatch: DispatchStore, check_ids: Sequence[str]) -> None:
    """Send one check message per id (ids the dispatch script moved in flight).

    When the broker refuses, the ids not sent go back to the head of the pending list (best
    effort: with Redis down that fails too, and the sweeper re-sends them later).
    """
    tenant = dispatch.keys.tenant
    for i, check_id in enumerate(check_ids):
        try:
            celery.send_task(TaskNames.CHECK, args=[check_id, tenant])
        except Exception:
            try:
                dispatch.unsend(check_ids[i:])
            except redis.RedisError:
                log.warning(
                    "dispatch: %d checks of %s wait for the sweeper", len(check_ids) - i, tenant
                )
            raise


def dispatch_pending(celery: Celery, dispatch: DispatchStore) -> None:
    """Send the pending checks of `dispatch`'s tenant that fit in its in-flight bound now."""
    send_checks(celery, dispatch, dispatch.take())


def check_ended(celery: Celery, dispatch: DispatchStore, check_id: str) -> None:
    """Hand the slot of a check whose task ended to the tenant's next pending check.

    Never raises: the check's own outcome is stored already, and whatever fails here the
    sweeper repairs.
    """
    try:
        send_checks(celery, dispatch, dispatch.finished([check_id]))
    except Exception:
        log.exception("dispatch: could not hand on the slot of check %s", check_id)


def sweep(client: redis.Redis, settings: Settings, celery: Celery) -> int:
    """Repair every tenant's dispatch once; return how many messages it sent."""
    root = Keys(settings.key_prefix)
    lost_after_s = settings.visibility_timeout_s + settings.task_time_limit_s
    sent = 0
    for tenant in tenants_with_work(client, root):
        dispatch = DispatchStore(client, root.for_tenant(tenant), settings.tenant_in_flight)
        in_flight = dispatch.in_flight()
        statuses = dispatch.statuses(list(in_flight))
        ended = [i for i, status in statuses.items() if status is None or status in FINAL_STATES]
        refill = dispatch.finished(ended)
        send_checks(celery, dispatch, refill)
        sent += len(refill)
        lost_before = time.time() - lost_after_s
        for check_id, sent_at in in_flight.items():
            lost = statuses[check_id] == QUEUED and sent_at < lost_before
            if lost and dispatch.reclaim(check_id, sent_at):
                log.warning("dispatch: re-sending check %s of %s (lost?)", check_id, tenant)
                send_checks(celery, dispatch, [check_id])
                sent += 1
    return sent


class Sweeper:
    """Runs `sweep` at once and then every interval, in a daemon thread, until stopped."""

    def __init__(self, settings: Settings, celery: Celery) -> None:
        self.settings = settings
        self.celery = celery
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="dispatch-sweeper", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        client = connect(self.settings.redis_url)
        while not self._stop.is_set():
            try:
                sent = sweep(client, self.settings, self.celery)
                if sent:
                    log.info("dispatch sweep sent %d checks", sent)
            except Exception:  # Redis away: the next round tries again
                log.warning("dispatch sweep failed", exc_info=True)
            self._stop.wait(self.settings.dispatch_sweep_interval_s)
        client.close()


_sweepers: list[Sweeper] = []


@worker_ready.connect
def start_sweeper(sender: object, **_: object) -> None:
    """Start the sweeper in a worker that consumes the checks queue (not a webhook-only one)."""
    app = getattr(sender, "app", None)
    if app is None:
        return
    consumed = set(app.amqp.queues.consume_from or ())
    if consumed and QueueNames.CHECKS not in consumed:
        return
    settings = app.conf.get("factdesk_settings")
    if settings is None:
        return
    _sweepers.append(Sweeper(settings, app).start())


@worker_shutdown.connect
def stop_sweeper(**_: object) -> None:
    while _sweepers:
        _sweepers.pop().stop()
