"""Drafts: a posted text, its claims (with offsets) and the check behind each claim.

Drafts are working copies, so every draft key (`Keys.draft*`, `Keys.check_drafts`) expires
after DRAFT_TTL_S. Each check knows the drafts waiting on it, so the worker that finishes the
check can tell when a draft is complete (for `draft.completed` webhooks).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

import redis

from keyspace.checks import CheckStore
from keyspace.keys import Keys
from keyspace.records import dumps, utcnow
from vocabulary import FAILED, FINAL_STATES

DRAFT_TTL_S = 7 * 24 * 3600


def new_draft_id() -> str:
    return "dft_" + secrets.token_hex(10)


@dataclass(frozen=True)
class DraftStore:
    redis: redis.Redis
    keys: Keys

    def create(self, request: dict[str, object], claims: list[dict]) -> dict:
        """Store a draft whose `claims` each carry a `check_id`."""
        pipe = self.redis.pipeline(transaction=True)
        record = self.write(pipe, request, claims)
        pipe.execute()
        return record

    def write(
        self, pipe: redis.client.Pipeline, request: dict[str, object], claims: list[dict]
    ) -> dict:
        """Queue on `pipe` the writes of a new draft (inside the MULTI that creates its
        checks, so no check can finish before the draft waits on it); return its record."""
        draft_id = new_draft_id()
        record = {**request, "id": draft_id, "created_at": utcnow(), "claims": claims}
        pipe.set(self.keys.draft(draft_id), dumps(record), ex=DRAFT_TTL_S)
        for claim in claims:
            pipe.sadd(self.keys.check_drafts(claim["check_id"]), draft_id)
            pipe.expire(self.keys.check_drafts(claim["check_id"]), DRAFT_TTL_S)
        return record

    def discard(self, draft: dict) -> None:
        """Remove a draft whose checks could not be queued (the client got an error)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(self.keys.draft(draft["id"]))
        for claim in draft["claims"]:
            pipe.srem(self.keys.check_drafts(claim["check_id"]), draft["id"])
        pipe.execute()

    def get(self, draft_id: str) -> dict | None:
        raw = self.redis.get(self.keys.draft(draft_id))
        return json.loads(raw) if raw else None

    def view(self, draft_id: str, checks: CheckStore) -> dict | None:
        """Return the draft with each claim's current check status and verdict.

        The draft is "done" once every claim's check reached a final state.
        """
        draft = self.get(draft_id)
        if draft is None:
            return None
        pipe = self.redis.pipeline(transaction=False)
        for claim in draft["claims"]:
            pipe.hmget(checks.keys.check(claim["check_id"]), "status", "verdict")
        annotations = []
        for claim, (status, verdict) in zip(draft["claims"], pipe.execute(), strict=True):
            annotations.append(
                {
                    **claim,
                    "status": status or FAILED,  # a check that vanished will never finish
                    "verdict": json.loads(verdict) if verdict else None,
                }
            )
        finished = all(a["status"] in FINAL_STATES for a in annotations)
        view = {key: value for key, value in draft.items() if key != "claims"}
        return {**view, "status": "done" if finished else "checking", "annotations": annotations}

    def waiting_on(self, check_id: str) -> list[str]:
        return sorted(self.redis.smembers(self.keys.check_drafts(check_id)))

    def mark_notified(self, draft_id: str) -> bool:
        """True the first time only: the caller may send `draft.completed`."""
        key = self.keys.draft_notified(draft_id)
        return bool(self.redis.set(key, "1", nx=True, ex=DRAFT_TTL_S))
