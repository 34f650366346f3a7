"""A tenant's own reviews (every verdict its checks reached), searched by claim.

The done log (a Redis stream the worker appends to in the transaction that stores a verdict) is
the corpus itself: each worker process replays it into an in-memory index of claims, so no
check record is ever scanned. Its oldest entries drop off past `DONE_LOG_LENGTH`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import redis

from keyspace.keys import Keys
from schemas.claimreview import rating
from workers.sources.archive_index import ArchiveIndex
from workers.sources.factchecks import match_score

BATCH = 1000
# Own reviews count as related when they share at least half their content words with the claim
# (the cosine of `factchecks.match_score`): fewer, and they are about something else.
MIN_MATCH = 0.5


@dataclass(frozen=True)
class Review:
    check_id: str
    claim: str
    label: str
    confidence: float
    finished_at: str


class OwnReviews:
    """An index of this deployment's reviewed claims, caught up from the done log."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis, self.keys = client, keys
        self.index = ArchiveIndex()
        self.reviews: dict[str, Review] = {}
        self.last_id = "0-0"
        self._lock = threading.Lock()

    def catch_up(self) -> None:
        with self._lock:
            while True:
                answer = self.redis.xread({self.keys.checks_done(): self.last_id}, count=BATCH)
                entries = answer[0][1] if answer else []
                if not entries:
                    return
                for entry_id, fields in entries:
                    self.last_id = entry_id
                    if not fields.get("label"):
                        continue  # not a verdict (a record written without one)
                    review = Review(
                        fields["id"],
                        fields["claim"],
                        fields["label"],
                        float(fields["confidence"]),
                        fields["finished_at"],
                    )
                    self.index.upsert(review.check_id, "1", review.claim)
                    self.reviews[review.check_id] = review

    def search(self, claim: str, limit: int) -> list[tuple[float, Review]]:
        """Return (match score, review) for claims like `claim`, best first, at most `limit`."""
        self.catch_up()
        hits = self.index.search(claim, limit * 4)  # BM25 finds candidates, the overlap ranks
        scored = [
            (match_score(claim, self.reviews[h.article_id].claim), self.reviews[h.article_id])
            for h in hits
        ]
        scored.sort(key=lambda pair: -pair[0])
        return [(round(score, 4), r) for score, r in scored if score >= MIN_MATCH][:limit]


def as_related(review: Review, *, base_url: str, publisher: str, score: float) -> dict:
    """One own review in the shape of `related_fact_checks`."""
    _, name = rating(review.label, review.confidence)
    return {
        "publisher": publisher,
        "url": f"{base_url.rstrip('/')}/v1/checks/{review.check_id}/claimreview",
        "title": None,
        "textual_rating": name,
        "review_date": review.finished_at,
        "claim_reviewed": review.claim,
        "claimant": None,
        "match_score": score,
        "origin": "own",
    }


_own: dict[str, OwnReviews] = {}
_own_lock = threading.Lock()


def own_reviews_for(client: redis.Redis, keys: Keys) -> OwnReviews:
    """Return this process's index of own reviews for one tenant of a deployment: a tenant
    sees only its own verdicts (the done log is the tenant's too)."""
    scope = keys.pattern()  # "<prefix>:t:<tenant>:*"
    with _own_lock:
        if scope not in _own:
            _own[scope] = OwnReviews(client, keys)
        return _own[scope]
