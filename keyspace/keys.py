"""Every Redis key factdesk uses, built in one place.

Everything a tenant owns (articles, checks, drafts, webhooks, deliveries, the verdict cache,
idempotency keys, its callback secret) lives under `<prefix>:t:<tenant>:<kind>:<id>`: a lookup
with another tenant's id reads a key that does not exist, so isolation needs no ownership check
that a new endpoint could forget. Deployment-wide keys (tenants, API key hashes, rate-limit
counters) are `<prefix>:<kind>:...`. The prefix (FACTDESK_KEY_PREFIX) lets several deployments
or test runs share one Redis. Articles and webhook endpoints persist; check records and
idempotency keys expire after FACTDESK_CHECK_TTL_S; verdict-cache entries, drafts and webhook
deliveries expire too (their stores set the TTLs).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from kombu.transport.redis import PRIORITY_STEPS
from kombu.transport.redis import Channel as RedisChannel

# Tenant names go into key names, so they may never hold ':' (or anything a path could smuggle).
TENANT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class TenantRequired(RuntimeError):
    """A tenant-owned key was built without a tenant (a bug: every request and task has one)."""


def valid_tenant(name: str) -> bool:
    """True for names of 1-40 lowercase letters, digits and '-', starting with a letter/digit."""
    return bool(TENANT_NAME.match(name))


def _digest(value: str) -> str:
    # Hash user-supplied strings so a key never contains ':' or unbounded user text.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Keys:
    prefix: str = "fd"
    tenant: str | None = None

    def for_tenant(self, tenant: str) -> Keys:
        """Return the builders for `tenant`'s keys.

        :raise ValueError: when `tenant` is not a valid tenant name.
        """
        if not valid_tenant(tenant):
            raise ValueError(f"invalid tenant name {tenant!r}")
        return replace(self, tenant=tenant)

    @property
    def _owned(self) -> str:
        if self.tenant is None:
            raise TenantRequired("this key belongs to a tenant: use Keys.for_tenant()")
        return f"{self.prefix}:t:{self.tenant}"

    # --- deployment-wide: tenants and API keys (keyspace/tenants.py) ---------------------------

    def tenant_record(self, tenant: str) -> str:
        """Hash: a tenant's name, creation time and allowed browser origins."""
        return f"{self.prefix}:tenant:{tenant}"

    def tenants(self) -> str:
        """Set: every tenant name."""
        return f"{self.prefix}:tenants"

    def api_key(self, digest: str) -> str:
        """Hash: the key whose SHA-256 is `digest` (id, tenant, scopes); the key itself is never
        stored."""
        return f"{self.prefix}:apikey:{digest}"

    def api_key_ids(self) -> str:
        """Hash: key id -> digest, for listing and revoking by id (HLEN 0: no key exists)."""
        return f"{self.prefix}:apikeys"

    def cors_origins(self) -> str:
        """Set: every browser origin some tenant allows (answers CORS preflights, which carry
        no key)."""
        return f"{self.prefix}:cors-origins"

    def dispatch_tenants(self) -> str:
        """Set: tenants with checks pending or in flight (the dispatch sweeper's worklist)."""
        return f"{self.prefix}:dispatch-tenants"

    def rate_limits(self) -> str:
        """Prefix of flask-limiter's and the quota counters (they build the rest themselves)."""
        return f"{self.prefix}:limits"

    # --- deployment-wide: operational counters (keyspace/metrics.py, served by /metrics) ------

    def metric_checks_finished(self) -> str:
        """Hash: `<tenant>:<state>:<cached>` -> checks that reached that final state."""
        return f"{self.prefix}:metrics:checks-finished"

    def metric_webhook_attempts(self) -> str:
        """Hash: `<tenant>:<result>` -> webhook delivery attempts with that result."""
        return f"{self.prefix}:metrics:webhook-attempts"

    def metric_webhook_deliveries(self) -> str:
        """Hash: `<tenant>:<outcome>` -> webhook deliveries that reached that final state."""
        return f"{self.prefix}:metrics:webhook-deliveries"

    # --- tenant-owned ----------------------------------------------------------------------------

    def article(self, article_id: str) -> str:
        """Hash: the article's metadata and current revision."""
        return f"{self._owned}:article:{article_id}"

    def article_text(self, article_id: str, revision: str) -> str:
        """String: the text of one revision (kept after a PUT, so queued checks can finish)."""
        return f"{self._owned}:article:{article_id}:text:{revision}"

    def article_revisions(self, article_id: str) -> str:
        """List: the article's revisions, oldest first."""
        return f"{self._owned}:article:{article_id}:revisions"

    def article_index(self) -> str:
        """Sorted set: article ids scored by creation sequence, for stable pagination."""
        return f"{self._owned}:articles"

    def article_sequence(self) -> str:
        """Counter behind the index scores."""
        return f"{self._owned}:articles:seq"

    def stored_bytes(self) -> str:
        """Counter: UTF-8 bytes of every stored article revision (the stored-bytes quota)."""
        return f"{self._owned}:articles:bytes"

    def article_changes(self) -> str:
        """Stream: article text changes in order ({op: upsert|delete, id, revision}), which
        each worker's archive index replays (workers/sources/archive.py)."""
        return f"{self._owned}:articles:changes"

    def article_external_id(self, external_id: str) -> str:
        """String: the article id that owns a caller's external_id."""
        return f"{self._owned}:article-external:{_digest(external_id)}"

    def check(self, check_id: str) -> str:
        """Hash: one check record (status, timestamps, attempts, verdict JSON)."""
        return f"{self._owned}:check:{check_id}"

    def checks_unfinished(self) -> str:
        """Sorted set: ids of the tenant's queued or running checks, scored by submission time
        (the bound on a tenant's queued work)."""
        return f"{self._owned}:checks:unfinished"

    def checks_pending(self) -> str:
        """List: ids of queued checks not yet handed to the broker, oldest first (fair dispatch:
        keyspace/dispatch.py)."""
        return f"{self._owned}:checks:pending"

    def checks_in_flight(self) -> str:
        """Sorted set: ids of the tenant's checks that have a broker message, scored by when it
        was sent (at most FACTDESK_TENANT_IN_FLIGHT of them)."""
        return f"{self._owned}:checks:in-flight"

    def check_events(self, check_id: str) -> str:
        """Pub/sub channel: a message when the check reaches a final state (long-poll wakes up)."""
        return f"{self._owned}:check:{check_id}:events"

    def verdict_cache(self, fingerprint: str) -> str:
        """String with TTL: a verdict JSON for one claim/revision/sources/engine fingerprint."""
        return f"{self._owned}:cache:{fingerprint}"

    def idempotency(self, key: str) -> str:
        """String: `{body_hash, check_id}` for one Idempotency-Key header value."""
        return f"{self._owned}:idem:{_digest(key)}"

    # --- drafts (keyspace/drafts.py) ---------------------------------------------------------

    def draft(self, draft_id: str) -> str:
        """String with TTL: the draft record as JSON (text length, claims, check ids)."""
        return f"{self._owned}:draft:{draft_id}"

    def draft_notified(self, draft_id: str) -> str:
        """String with TTL: set once `draft.completed` went out, so it goes out once."""
        return f"{self._owned}:draft:{draft_id}:notified"

    def check_drafts(self, check_id: str) -> str:
        """Set with TTL: the drafts waiting on a check (for `draft.completed` webhooks)."""
        return f"{self._owned}:check:{check_id}:drafts"

    # --- webhooks (keyspace/webhooks.py) ------------------------------------------------------

    def webhook(self, webhook_id: str) -> str:
        """Hash: url, events, secret, the previous secret during a rotation, state."""
        return f"{self._owned}:webhook:{webhook_id}"

    def webhooks(self) -> str:
        """Sorted set: endpoint ids by creation time (listing without SCAN)."""
        return f"{self._owned}:webhooks"

    def webhook_deliveries(self, webhook_id: str) -> str:
        """List: the endpoint's delivery ids, newest first, capped."""
        return f"{self._owned}:webhook:{webhook_id}:deliveries"

    def webhook_callback_secret(self) -> str:
        """String: the generated secret that signs deliveries to `callback_url`s."""
        return f"{self._owned}:callback-secret"

    def webhook_in_flight(self, endpoint: str) -> str:
        """Sorted set with TTL: leases of the attempts running against one endpoint now
        (`endpoint`: a webhook id, or `host_<digest>` for a callback_url's host)."""
        return f"{self.prefix}:webhook-in-flight:{endpoint}"

    def webhook_failing_since(self, endpoint: str) -> str:
        """String with TTL: Unix time of the endpoint's first failure since its last success."""
        return f"{self.prefix}:webhook-failing:{endpoint}"

    def delivery(self, delivery_id: str) -> str:
        """Hash with TTL: one message to one URL (its webhook-id, payload and outcome)."""
        return f"{self._owned}:delivery:{delivery_id}"

    def delivery_attempts(self, delivery_id: str) -> str:
        """List with TTL: attempt JSON objects, oldest first."""
        return f"{self._owned}:delivery:{delivery_id}:attempts"

    def delivery_claim(self, delivery_id: str, attempt: int) -> str:
        """String with TTL: the worker running attempt `attempt` (see WebhookStore.claim)."""
        return f"{self._owned}:delivery:{delivery_id}:claim:{attempt}"

    def checks_done(self) -> str:
        """Stream: every verdict a worker reached ({id, claim, label, confidence, finished_at}),
        the corpus of this tenant's own reviews that the `factchecks` source searches."""
        return f"{self._owned}:checks:done"

    def source_snapshot(self, snapshot_id: str) -> str:
        """String: a `url` page's extracted text and provenance (JSON); workers/sources/url.py."""
        return f"{self.prefix}:src:snapshot:{snapshot_id}"

    def source_url(self, url: str) -> str:
        """String: a URL's latest snapshot id, its validators and until when it is fresh."""
        return f"{self.prefix}:src:url:{_digest(url)}"

    def source_breaker(self, host: str) -> str:
        """Namespace of pybreaker's keys for one host's circuit (state, counters, opened_at)."""
        return f"{self.prefix}:breaker:{_digest(host)[:16]}"

    def source_http_cache(self) -> str:
        """Namespace of requests-cache's keys: cached answers of external sources."""
        return f"{self.prefix}:httpcache"

    def pattern(self) -> str:
        """SCAN pattern matching every key of this tenant, or of the whole deployment without
        one (tests and maintenance only)."""
        return f"{self._owned}:*" if self.tenant is not None else f"{self.prefix}:*"


# --- Celery's keys (not ours; named here so every key the code reads is built in one place) ----
# kombu's Redis transport keeps each queue as a list named after the queue, plus one list per
# priority step other than 0; delivered but unacknowledged messages sit in one hash for all
# queues. Read only by /metrics, with kombu's own names (factdesk sets no priority_steps).
CELERY_UNACKED = RedisChannel.unacked_key


def celery_queue_lists(queue: str) -> list[str]:
    """The Redis lists that hold `queue`'s waiting messages, one per priority step."""
    return [queue if step == 0 else f"{queue}{RedisChannel.sep}{step}" for step in PRIORITY_STEPS]
