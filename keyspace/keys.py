"""Every Redis key factdesk uses, built in one place.

Keys are `<prefix>:<kind>:<id>`; the prefix (FACTDESK_KEY_PREFIX) lets several deployments or
test runs share one Redis. Articles, checks, idempotency keys and webhook endpoints persist;
verdict-cache entries, drafts and webhook deliveries expire (their stores set the TTLs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def _digest(value: str) -> str:
    # Hash user-supplied strings so a key never contains ':' or unbounded user text.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Keys:
    prefix: str = "fd"

    def article(self, article_id: str) -> str:
        """Hash: the article's metadata and current revision."""
        return f"{self.prefix}:article:{article_id}"

    def article_text(self, article_id: str, revision: str) -> str:
        """String: the text of one revision (kept after a PUT, so queued checks can finish)."""
        return f"{self.prefix}:article:{article_id}:text:{revision}"

    def article_revisions(self, article_id: str) -> str:
        """List: the article's revisions, oldest first."""
        return f"{self.prefix}:article:{article_id}:revisions"

    def article_index(self) -> str:
        """Sorted set: article ids scored by creation sequence, for stable pagination."""
        return f"{self.prefix}:articles"

    def article_sequence(self) -> str:
        """Counter behind the index scores."""
        return f"{self.prefix}:articles:seq"

    def article_changes(self) -> str:
        """Stream: article text changes in order ({op: upsert|delete, id, revision}), which
        each worker's archive index replays (workers/sources/archive.py)."""
        return f"{self.prefix}:articles:changes"

    def article_external_id(self, external_id: str) -> str:
        """String: the article id that owns a caller's external_id."""
        return f"{self.prefix}:article-external:{_digest(external_id)}"

    def check(self, check_id: str) -> str:
        """Hash: one check record (status, timestamps, attempts, verdict JSON)."""
        return f"{self.prefix}:check:{check_id}"

    def check_events(self, check_id: str) -> str:
        """Pub/sub channel: a message when the check reaches a final state (long-poll wakes up)."""
        return f"{self.prefix}:check:{check_id}:events"

    def verdict_cache(self, fingerprint: str) -> str:
        """String with TTL: a verdict JSON for one claim/revision/sources/engine fingerprint."""
        return f"{self.prefix}:cache:{fingerprint}"

    def idempotency(self, key: str) -> str:
        """String: `{body_hash, check_id}` for one Idempotency-Key header value."""
        return f"{self.prefix}:idem:{_digest(key)}"

    # --- drafts (keyspace/drafts.py) ---------------------------------------------------------

    def draft(self, draft_id: str) -> str:
        """String with TTL: the draft record as JSON (text length, claims, check ids)."""
        return f"{self.prefix}:draft:{draft_id}"

    def draft_notified(self, draft_id: str) -> str:
        """String with TTL: set once `draft.completed` went out, so it goes out once."""
        return f"{self.prefix}:draft:{draft_id}:notified"

    def check_drafts(self, check_id: str) -> str:
        """Set with TTL: the drafts waiting on a check (for `draft.completed` webhooks)."""
        return f"{self.prefix}:check:{check_id}:drafts"

    # --- webhooks (keyspace/webhooks.py) ------------------------------------------------------

    def webhook(self, webhook_id: str) -> str:
        """Hash: url, events, secret, the previous secret during a rotation, state."""
        return f"{self.prefix}:webhook:{webhook_id}"

    def webhooks(self) -> str:
        """Sorted set: endpoint ids by creation time (listing without SCAN)."""
        return f"{self.prefix}:webhooks"

    def webhook_deliveries(self, webhook_id: str) -> str:
        """List: the endpoint's delivery ids, newest first, capped."""
        return f"{self.prefix}:webhook:{webhook_id}:deliveries"

    def webhook_callback_secret(self) -> str:
        """String: the generated secret that signs deliveries to `callback_url`s."""
        return f"{self.prefix}:webhook:callback-secret"

    def webhook_in_flight(self, endpoint: str) -> str:
        """Sorted set with TTL: leases of the attempts running against one endpoint now
        (`endpoint`: a webhook id, or `host_<digest>` for a callback_url's host)."""
        return f"{self.prefix}:webhook-in-flight:{endpoint}"

    def webhook_failing_since(self, endpoint: str) -> str:
        """String with TTL: Unix time of the endpoint's first failure since its last success."""
        return f"{self.prefix}:webhook-failing:{endpoint}"

    def delivery(self, delivery_id: str) -> str:
        """Hash with TTL: one message to one URL (its webhook-id, payload and outcome)."""
        return f"{self.prefix}:delivery:{delivery_id}"

    def delivery_attempts(self, delivery_id: str) -> str:
        """List with TTL: attempt JSON objects, oldest first."""
        return f"{self.prefix}:delivery:{delivery_id}:attempts"

    def delivery_claim(self, delivery_id: str, attempt: int) -> str:
        """String with TTL: the worker running attempt `attempt` (see WebhookStore.claim)."""
        return f"{self.prefix}:delivery:{delivery_id}:claim:{attempt}"

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
        """SCAN pattern matching every factdesk key (tests and maintenance only)."""
        return f"{self.prefix}:*"
