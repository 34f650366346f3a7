"""The Redis keys of articles, checks, the verdict cache and idempotency, built in one place.

Keys are `<prefix>:<kind>:<id>`; the prefix (FACTDESK_KEY_PREFIX) lets several deployments or
test runs share one Redis. Of these keys only verdict-cache entries carry a TTL; the rest
persist. (Webhook deliveries and drafts, in keyspace/webhooks.py and drafts.py, expire.)
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

    def pattern(self) -> str:
        """SCAN pattern matching every factdesk key (tests and maintenance only)."""
        return f"{self.prefix}:*"
