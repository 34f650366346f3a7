"""Fair dispatch: each tenant has at most `limit` check messages in the broker at a time.

All tenants share one FIFO broker queue. Were every queued check sent at once, one tenant's
10,000 claims would sit in front of another tenant's single check. Instead a tenant's checks
wait in its own pending list (`Keys.checks_pending`), and only `limit` of them are in flight
(`Keys.checks_in_flight`: sent, not yet finished). A new check enters the pending list in the
MULTI/EXEC that creates its record (`queue_pending`, called by keyspace/checks.py), so no
check is ever `queued` outside both: an API process that dies before sending leaves its
checks pending, where the sweeper finds them. When a check ends, the worker moves the
tenant's next pending check into the broker. A new check of another tenant therefore waits
behind at most `limit` messages of each other active tenant (docs/operations.md, "Fair
dispatch").

Every move is one Lua script, so two workers finishing at once never send the same pending
check twice and never exceed the limit. The callers (workers/dispatch.py) send the messages
the scripts hand out. In-flight accounting is a set of ids, not a counter, so it can be
repaired: the sweeper drops ids whose check is final or gone, and re-sends ids whose message
was lost (a crash between the script and the send).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import redis

from keyspace.keys import Keys

# No in-flight bound (FACTDESK_TENANT_IN_FLIGHT=0): more than any pending list can hold.
UNBOUNDED = 2**31

# KEYS = pending list, in-flight zset, tenants index, the tenant's unfinished-checks zset.
# ARGV = limit, now, tenant, n, then n ids to append to the pending list, then ids to drop from
# in flight (their check ended). Moves pending ids into the in-flight set while it holds fewer
# than `limit`; returns the moved ids, which the caller must send. A moved id's unfinished
# entry is stamped with the send time: the quota on unfinished checks counts a check as lost
# only that long after it was sent, never while it waits its turn.
_DISPATCH = """
local n = tonumber(ARGV[4])
for i = 5, 4 + n do redis.call('RPUSH', KEYS[1], ARGV[i]) end
for i = 5 + n, #ARGV do redis.call('ZREM', KEYS[2], ARGV[i]) end
local room = tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[2])
local moved = {}
while room > 0 do
  local id = redis.call('LPOP', KEYS[1])
  if not id then break end
  redis.call('ZADD', KEYS[2], ARGV[2], id)
  redis.call('ZADD', KEYS[4], 'XX', ARGV[2], id)
  moved[#moved + 1] = id
  room = room - 1
end
if redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2]) > 0 then
  redis.call('SADD', KEYS[3], ARGV[3])
else
  redis.call('SREM', KEYS[3], ARGV[3])
end
return moved
"""

# KEYS = pending list, in-flight zset. ARGV = ids whose send failed: back to the pending list's
# head, in order, if still in flight (a concurrent sweep may have dropped them).
_UNSEND = """
for i = #ARGV, 1, -1 do
  if redis.call('ZREM', KEYS[2], ARGV[i]) == 1 then redis.call('LPUSH', KEYS[1], ARGV[i]) end
end
return 0
"""

# KEYS = in-flight zset. ARGV = id, the score the caller saw, now. Restamps the id only if no
# one else has since: of several sweepers, exactly one re-sends a lost message.
_RECLAIM = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0
"""


def queue_pending(pipe: redis.client.Pipeline, keys: Keys, check_ids: Sequence[str]) -> None:
    """Queue on `pipe` the appending of new checks to `keys`' tenant's pending list, and the
    tenant's entry in the sweeper's worklist (call it inside the MULTI that creates them)."""
    if check_ids:
        assert keys.tenant is not None  # pending lists belong to a tenant
        pipe.rpush(keys.checks_pending(), *check_ids)
        pipe.sadd(keys.dispatch_tenants(), keys.tenant)


@dataclass(frozen=True)
class DispatchStore:
    redis: redis.Redis
    keys: Keys  # bound to one tenant
    limit: int  # check messages in the broker per tenant; 0: no bound

    @property
    def _limit(self) -> int:
        return self.limit if self.limit > 0 else UNBOUNDED

    def _run(self, add: Sequence[str] = (), ended: Sequence[str] = ()) -> list[str]:
        keys = [
            self.keys.checks_pending(),
            self.keys.checks_in_flight(),
            self.keys.dispatch_tenants(),
            self.keys.checks_unfinished(),
        ]
        args = [self._limit, time.time(), self.keys.tenant, len(add), *add, *ended]
        return list(self.redis.eval(_DISPATCH, len(keys), *keys, *args))

    def enqueue(self, check_ids: Sequence[str]) -> list[str]:
        """Append ids to the tenant's pending list; return those to send now.

        Not for checks created by CheckStore: those are pending already (use `take`).
        """
        return self._run(add=check_ids)

    def take(self) -> list[str]:
        """Move pending checks in flight while there is room; return those to send now."""
        return self._run()

    def finished(self, check_ids: Sequence[str] = ()) -> list[str]:
        """Free the slots of checks that ended; return the pending checks to send now."""
        return self._run(ended=check_ids)

    def unsend(self, check_ids: Sequence[str]) -> None:
        """Put checks whose message could not be sent back at the head of the pending list."""
        if check_ids:
            keys = [self.keys.checks_pending(), self.keys.checks_in_flight()]
            self.redis.eval(_UNSEND, len(keys), *keys, *check_ids)

    def reclaim(self, check_id: str, seen_score: float) -> bool:
        """Restamp an in-flight check whose message was lost; True: the caller sends it again."""
        key = self.keys.checks_in_flight()
        return bool(self.redis.eval(_RECLAIM, 1, key, check_id, repr(seen_score), time.time()))

    def forget(self, check_ids: Sequence[str]) -> None:
        """Remove discarded checks from the pending list and the in-flight set."""
        if not check_ids:
            return
        pipe = self.redis.pipeline(transaction=True)
        for check_id in check_ids:
            pipe.lrem(self.keys.checks_pending(), 1, check_id)
        pipe.zrem(self.keys.checks_in_flight(), *check_ids)
        pipe.execute()

    def in_flight(self) -> dict[str, float]:
        """The tenant's in-flight checks and when each was sent (Unix time)."""
        return dict(self.redis.zrange(self.keys.checks_in_flight(), 0, -1, withscores=True))

    def pending_count(self) -> int:
        return int(self.redis.llen(self.keys.checks_pending()))

    def statuses(self, check_ids: Sequence[str]) -> dict[str, str | None]:
        """Each check's record status; None when the record is gone (discarded or expired)."""
        pipe = self.redis.pipeline(transaction=False)
        for check_id in check_ids:
            pipe.hget(self.keys.check(check_id), "status")
        return dict(zip(check_ids, pipe.execute(), strict=True))


def tenants_with_work(client: redis.Redis, root: Keys) -> list[str]:
    """Tenants that have checks pending or in flight, in name order."""
    return sorted(client.smembers(root.dispatch_tenants()))


@dataclass(frozen=True)
class TenantBacklog:
    """How many of a tenant's checks wait in its pending list, and how many are in flight."""

    tenant: str
    pending: int
    in_flight: int


def backlogs(client: redis.Redis, root: Keys) -> list[TenantBacklog]:
    """The backlog of every tenant with work, in name order (two round trips)."""
    tenants = tenants_with_work(client, root)
    pipe = client.pipeline(transaction=False)
    for tenant in tenants:
        keys = root.for_tenant(tenant)
        pipe.llen(keys.checks_pending())
        pipe.zcard(keys.checks_in_flight())
    counts = iter(pipe.execute()) if tenants else iter(())
    return [TenantBacklog(tenant, int(next(counts)), int(next(counts))) for tenant in tenants]
