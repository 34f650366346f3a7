"""Celery tasks for webhooks: fan an event out to its receivers, then deliver each message.

`fan_out` runs once per finished check (queued by `events.check_finished`) and creates one
delivery per receiver: every enabled endpoint subscribed to the event, plus the check's
`callback_url`; it also announces the drafts that check completes. `draft_finished` announces
a draft that had no claims to wait for.
Delivery ids derive from (event, subject, receiver), so a redelivered fan-out creates nothing
twice. `deliver` runs one attempt and schedules the next on the spec's schedule; it claims
each attempt number in Redis, so duplicate task messages (visibility-timeout redelivery of long
countdowns, a manual redelivery racing a retry) send at most once per attempt, while a worker
that dies mid-send leaves an expiring claim, and the redelivered message sends again (same
webhook-id): duplicates are possible, losses are not.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time

from celery import Task, shared_task

from keyspace.drafts import DraftStore
from keyspace.records import utcnow
from keyspace.webhooks import CANCELLED, FAILED, PENDING, SUCCEEDED, WebhookStore
from schemas.checks import CheckSchema
from vocabulary import DONE, FINAL_STATES
from workers.celery_app import TaskNames
from workers.context import WorkerContext, worker_context
from workers.ssrf import AllowList, guarded_session
from workers.webhooks.delivery import decide, retry_delay, send
from workers.webhooks.endpoint_guard import FailureClock, InFlight, endpoint_name
from workers.webhooks.signing import generate_secret

log = logging.getLogger(__name__)


BUSY_WAIT_S = (1.0, 4.0)  # an attempt that finds its endpoint's slots taken looks again then


def claim_hold_s(timeout_s: float) -> int:
    """How long one attempt's claim lasts: connect and read may each take the full timeout."""
    return int(2 * timeout_s) + 5


@shared_task(
    name=TaskNames.WEBHOOK_FAN_OUT, acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def fan_out(check_id: str, tenant: str) -> None:
    """Create and queue the deliveries that `tenant`'s finished check calls for."""
    ctx = worker_context(tenant)
    record = ctx.checks.get(check_id)
    if record is None or record["status"] not in FINAL_STATES:
        return
    event = "check.completed" if record["status"] == DONE else "check.failed"
    payload = {"type": event, "timestamp": utcnow(), "data": CheckSchema().dump(record)}
    _publish(ctx, event, check_id, payload, callback_url=record.get("callback_url"))

    drafts = ctx.stores.drafts
    for draft_id in drafts.waiting_on(check_id):
        _announce_if_done(ctx, drafts, draft_id)


@shared_task(
    name=TaskNames.DRAFT_FINISHED, acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def draft_finished(draft_id: str, tenant: str) -> None:
    """Send `draft.completed` for a draft that waits on no check (it had no claims)."""
    ctx = worker_context(tenant)
    _announce_if_done(ctx, ctx.stores.drafts, draft_id)


def _announce_if_done(ctx: WorkerContext, drafts: DraftStore, draft_id: str) -> None:
    """Publish `draft.completed` once, when every claim of the draft is final."""
    view = drafts.view(draft_id, ctx.checks)
    if view is not None and view["status"] == "done" and drafts.mark_notified(draft_id):
        payload = {"type": "draft.completed", "timestamp": utcnow(), "data": view}
        _publish(ctx, "draft.completed", draft_id, payload, callback_url=None)


@shared_task(
    name=TaskNames.WEBHOOK_DELIVER,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def deliver(self: Task, delivery_id: str, attempt: int, tenant: str) -> None:
    """Run attempt number `attempt` of `tenant`'s delivery and schedule the next if it failed.

    At most FACTDESK_WEBHOOK_MAX_IN_FLIGHT attempts run against one endpoint at once; an attempt
    that finds them all taken waits a few seconds without counting as an attempt.
    """
    ctx = worker_context(tenant)
    settings = ctx.settings
    store = ctx.stores.webhooks
    delivery = store.get_delivery(delivery_id)
    if delivery is None:
        return
    hold_s = claim_hold_s(settings.webhook_timeout_s)
    endpoint = endpoint_name(delivery.get("webhook_id"), delivery["url"])
    slots = InFlight(
        ctx.stores.redis,
        ctx.stores.keys.webhook_in_flight(endpoint),
        settings.webhook_max_in_flight,
        hold_s,
    )
    token = f"{delivery_id}/{attempt}"
    if not slots.acquire(token):
        self.apply_async((delivery_id, attempt, tenant), countdown=random.uniform(*BUSY_WAIT_S))
        return
    try:
        _attempt(self, ctx, delivery, attempt, endpoint)
    finally:
        slots.release(token)


def _attempt(task: Task, ctx: WorkerContext, delivery: dict, attempt: int, endpoint: str) -> None:
    """Send attempt `attempt` (once: its number is claimed first), then decide what follows."""
    settings = ctx.settings
    store = ctx.stores.webhooks
    delivery_id = delivery["id"]
    wait = store.claim(delivery_id, attempt, claim_hold_s(settings.webhook_timeout_s))
    if wait is None:  # this attempt already ran (a duplicate message): nothing to do
        return
    if wait > 0:  # running elsewhere, or its worker died: look again once the claim expires
        task.apply_async((delivery_id, attempt, ctx.tenant), countdown=wait)
        return
    secrets = _signing_secrets(ctx, store, delivery.get("webhook_id"))
    if secrets is None:  # endpoint deleted or disabled since the event
        store.finish(delivery_id, CANCELLED)
        return

    session = guarded_session(AllowList.parse(settings.webhook_allow_hosts.split(",")))
    outcome = send(
        session,
        delivery["url"],
        delivery["msg_id"],
        delivery["body"],
        secrets,
        settings.webhook_timeout_s,
    )
    decision = decide(outcome)
    extra = {"delivery_id": delivery_id, "attempt": attempt, "status_code": outcome.status_code}
    failing = FailureClock(
        ctx.stores.redis,
        ctx.stores.keys.webhook_failing_since(endpoint),
        settings.webhook_disable_after_s + 24 * 3600,
    )
    if decision == "succeeded":
        failing.succeeded()
        store.record_attempt(delivery_id, attempt, outcome.as_log(), status=SUCCEEDED)
        return
    if decision == "gone" and delivery.get("webhook_id"):
        store.disable_endpoint(delivery["webhook_id"], "receiver answered 410 Gone")
        log.warning("webhook endpoint disabled after 410", extra=extra)
    if decision == "retry" and delivery.get("webhook_id"):
        failing_s = failing.failed()
        if failing_s >= settings.webhook_disable_after_s:
            # Standard Webhooks: an endpoint failing for days is disabled; its pending
            # deliveries are then cancelled instead of holding workers for days more.
            reason = f"failing for {int(failing_s)} s without a success"
            store.disable_endpoint(delivery["webhook_id"], reason)
            log.warning("webhook endpoint disabled: %s", reason, extra=extra)
            decision = "gone"
    delay = None
    if decision == "retry":
        delay = retry_delay(attempt, outcome, scale=settings.webhook_retry_scale)
    if delay is None:
        store.record_attempt(delivery_id, attempt, outcome.as_log(), status=FAILED)
        log.warning("webhook delivery failed for good", extra=extra)
        return
    # Queue the next attempt before recording this one: if the worker dies in between, this
    # message is redelivered and re-sends (a duplicate), rather than the retry being lost.
    task.apply_async((delivery_id, attempt + 1, ctx.tenant), countdown=delay)
    store.record_attempt(
        delivery_id, attempt, outcome.as_log(), status=PENDING, next_attempt_at=time.time() + delay
    )


def _publish(
    ctx: WorkerContext, event: str, subject_id: str, payload: dict, callback_url: str | None
) -> None:
    store = ctx.stores.webhooks
    receivers: list[tuple[str, str | None]] = [
        (endpoint["url"], endpoint["id"])
        for endpoint in store.list_endpoints()
        if endpoint["state"] == "enabled" and event in endpoint["events"]
    ]
    if callback_url:
        receivers.append((callback_url, None))
    for url, webhook_id in receivers:
        digest = hashlib.sha256(f"{event}|{subject_id}|{webhook_id}|{url}".encode()).hexdigest()
        delivery, _ = store.create_delivery(
            url=url,
            event_type=event,
            payload=payload,
            webhook_id=webhook_id,
            delivery_id="dlv_" + digest[:20],
        )
        if delivery["status"] == PENDING:
            deliver.delay(delivery["id"], delivery["attempts"] + 1, ctx.tenant)


def _signing_secrets(
    ctx: WorkerContext, store: WebhookStore, webhook_id: str | None
) -> list[str] | None:
    """Current secret first, then the pre-rotation one while its grace period lasts."""
    if webhook_id is None:
        return [store.callback_secret(generate_secret)]  # the tenant's own
    endpoint = store.get_endpoint(webhook_id)
    if endpoint is None or endpoint["state"] != "enabled":
        return None
    secrets = [endpoint["secret"]]
    if endpoint.get("previous_secret") and endpoint.get("previous_secret_expires", 0) > time.time():
        secrets.append(endpoint["previous_secret"])
    return secrets
