"""Drafts: a posted text, its claims (with offsets) and the check behind each claim.

Keys (under the deployment prefix):
- `<p>:draft:<id>` string: the draft record as JSON (text length, claims, check ids). Drafts
  are working copies, so they expire after DRAFT_TTL_S.
- `<p>:check:<check_id>:drafts` set: the drafts waiting on a check, so the worker that finishes
  the check can tell when a draft is complete (for `draft.completed` webhooks).
- `<p>:draft:<id>:notified` string: set once `draft.completed` went out, so it goes out once.
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

    def _draft(self, draft_id: str) -> str:
        return f"{self.keys.prefix}:draft:{draft_id}"

    def _waiting(self, check_id: str) -> str:
        return f"{self.keys.prefix}:check:{check_id}:drafts"

    def _notified(self, draft_id: str) -> str:
        return f"{self.keys.prefix}:draft:{draft_id}:notified"

    def create(self, request: dict[str, object], claims: list[dict]) -> dict:
        """Store a draft whose `claims` each carry a `check_id`."""
        draft_id = new_draft_id()
        record = {**request, "id": draft_id, "created_at": utcnow(), "claims": claims}
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(self._draft(draft_id), dumps(record), ex=DRAFT_TTL_S)
        for claim in claims:
            pipe.sadd(self._waiting(claim["check_id"]), draft_id)
            pipe.expire(self._waiting(claim["check_id"]), DRAFT_TTL_S)
        pipe.execute()
        return record

    def get(self, draft_id: str) -> dict | None:
        raw = self.redis.get(self._draft(draft_id))
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
            annotations.append({
                **claim,
                "status": status or FAILED,  # a check that vanished will never finish
                "verdict": json.loads(verdict) if verdict else None,
            })
        finished = all(a["status"] in FINAL_STATES for a in annotations)
        view = {key: value for key, value in draft.items() if key != "claims"}
        return {**view, "status": "done" if finished else "checking", "annotations": annotations}

    def waiting_on(self, check_id: str) -> list[str]:
        return sorted(self.redis.smembers(self._waiting(check_id)))

    def mark_notified(self, draft_id: str) -> bool:
        """True the first time only: the caller may send `draft.completed`."""
        return bool(self.redis.set(self._notified(draft_id), "1", nx=True, ex=DRAFT_TTL_S))
