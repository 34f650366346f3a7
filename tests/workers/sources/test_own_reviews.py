"""This deployment's own reviews: every verdict reached is findable by the `factchecks` source."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from keyspace.stores import Stores
from settings import load_settings
from workers.sources.own_reviews import OwnReviews, as_related, own_reviews_for


@pytest.fixture
def private_stores(redis_url: str) -> Iterator[Stores]:
    settings = load_settings(env={}, redis_url=redis_url, key_prefix=f"fdown{uuid.uuid4().hex[:8]}")
    stores = Stores.from_settings(settings, "newsroom-a")
    yield stores
    stores.redis.close()


def reviewed(stores: Stores, claim: str, label: str = "SUPPORTED") -> str:
    record, _ = stores.checks.create({"claim": claim, "sources": ["wikipedia"]}, fingerprint="f")
    stores.checks.mark_running(record["id"])
    stores.checks.mark_done(record["id"], {"label": label, "confidence": 0.9}, stores.cache)
    return record["id"]


def test_a_reviewed_claim_is_found_by_a_similar_one(private_stores) -> None:
    reviews = OwnReviews(private_stores.redis, private_stores.keys)
    check_id = reviewed(private_stores, "France endorsed Mark Rutte for NATO Secretary-General")
    reviewed(private_stores, "The weather in Rome was sunny on Friday")
    [(score, review)] = reviews.search("France endorsed Rutte for NATO chief", limit=5)
    assert review.check_id == check_id
    assert 0.5 <= score < 1
    reviewed(private_stores, "Germany endorsed Rutte", "REFUTED")  # after the first search
    assert [r.label for _, r in reviews.search("Germany endorsed Rutte", limit=5)] == ["REFUTED"]


def test_claims_sharing_few_words_are_not_related(private_stores) -> None:
    reviews = OwnReviews(private_stores.redis, private_stores.keys)
    reviewed(private_stores, "France endorsed Mark Rutte for NATO Secretary-General in 2024")
    assert reviews.search("France won the football world cup in 2018", limit=5) == []


def test_a_failed_check_is_no_review(private_stores) -> None:
    record, _ = private_stores.checks.create({"claim": "Italy endorsed Rutte"}, fingerprint="f")
    private_stores.checks.mark_failed(record["id"], "no source answered")
    assert (
        OwnReviews(private_stores.redis, private_stores.keys).search("Italy endorsed Rutte", 5)
        == []
    )


def test_an_own_review_reads_like_a_published_fact_check(private_stores) -> None:
    check_id = reviewed(private_stores, "Hungary opposed Rutte", "REFUTED")
    [(score, review)] = OwnReviews(private_stores.redis, private_stores.keys).search(
        "Hungary opposed Rutte", limit=5
    )
    item = as_related(review, base_url="https://fd.example.org/", publisher="Desk", score=score)
    assert item["url"] == f"https://fd.example.org/v1/checks/{check_id}/claimreview"
    assert (item["publisher"], item["origin"], item["match_score"]) == ("Desk", "own", 1.0)
    assert item["textual_rating"] and item["review_date"].endswith("Z")


def test_a_tenant_finds_only_its_own_reviews(private_stores) -> None:
    theirs = private_stores.for_tenant("newsroom-b")
    reviewed(private_stores, "France endorsed Mark Rutte for NATO Secretary-General")
    mine = own_reviews_for(private_stores.redis, private_stores.keys)
    other = own_reviews_for(theirs.redis, theirs.keys)
    assert mine is not other
    assert other.search("France endorsed Rutte for NATO chief", limit=5) == []
    assert len(mine.search("France endorsed Rutte for NATO chief", limit=5)) == 1
