"""Keep one slow or dead receiver from taking the webhook workers (issue #12, finding 1).

- `InFlight`: at most N attempts to one endpoint run at once, across every worker. A slot is a
  lease in a Redis sorted set (member = attempt token, score = expiry), so a worker that dies
  mid-attempt frees its slot when the lease runs out instead of leaking it.
- `FailureClock`: when did the endpoint start failing without a success since? Standard
  Webhooks suggests disabling an endpoint that has failed for days; the task disables it
  once this age passes FACTDESK_WEBHOOK_DISABLE_AFTER_S.

Both take their Redis key from the caller (keyspace owns key names).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis

# KEYS[1] = slots zset; ARGV = now, expiry, limit, token. Drop expired leases, then take a slot
# if one is free. One script, so two workers never both take the last slot.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(ARGV[2] - ARGV[1]) + 1)
  return 1
end
return 0
"""


def endpoint_name(webhook_id: str | None, url: str) -> str:
    """What the limits apply to: a registered endpoint, or a `callback_url`'s host."""
    if webhook_id:
        return webhook_id
    host = (urlsplit(url).hostname or "").lower()
    return "host_" + hashlib.sha256(host.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class InFlight:
    redis: redis.Redis
    key: str
    limit: int
    lease_s: float

    def acquire(self, token: str, now: float | None = None) -> bool:
        """Take a slot for `token`; False when `limit` attempts already run."""
        now = time.time() if now is None else now
        taken = self.redis.eval(_ACQUIRE, 1, self.key, now, now + self.lease_s, self.limit, token)
        return bool(taken)

    def release(self, token: str) -> None:
        self.redis.zrem(self.key, token)


@dataclass(frozen=True)
class FailureClock:
    redis: redis.Redis
    key: str  # a string key holding the Unix time of the first failure since a success
    ttl_s: int

    def failed(self, now: float | None = None) -> float:
        """Record a failed attempt; return for how many seconds the endpoint has been failing."""
        now = time.time() if now is None else now
        self.redis.set(self.key, repr(now), nx=True, ex=self.ttl_s)
        since = self.redis.get(self.key)
        return max(0.0, now - float(since)) if since else 0.0

    def succeeded(self) -> None:
        self.redis.delete(self.key)
