"""The keyspace against a real Redis: key names, atomic writes, expiry, no KEYS."""

from __future__ import annotations

import pytest

from keyspace.articles import ExternalIdTaken
from keyspace.cache import VerdictCache, fingerprint, normalise_claim
from keyspace.checks import CheckStore, IdempotencyConflict
from keyspace.keys import Keys, TenantRequired
from keyspace.records import to_fields
from keyspace.stores import Stores


def test_keys_share_the_prefix_and_hide_user_text() -> None:
    keys = Keys("fdx").for_tenant("acme")
    built = [
        keys.article("a"),
        keys.article_text("a", "r"),
        keys.article_revisions("a"),
        keys.article_index(),
        keys.article_sequence(),
        keys.article_external_id("my:id x"),
        keys.check("c"),
        keys.check_events("c"),
        keys.verdict_cache("f"),
        keys.idempotency("key with spaces:and colons"),
    ]
    assert all(k.startswith("fdx:t:acme:") for k in built)
    assert len(set(built)) == len(built)
    assert " " not in keys.idempotency("key with spaces") + keys.article_external_id("a b")


def test_none_is_never_stored_as_a_string() -> None:
    assert to_fields({"a": None, "b": "x", "c": 3}) == {"b": "x", "c": "3"}
    with pytest.raises(ValueError, match="flag"):
        to_fields({"flag": True})
    with pytest.raises(ValueError, match="obj"):
        to_fields({"obj": object()})


def test_claim_normalisation_keeps_case_and_collapses_space() -> None:
    assert normalise_claim("  France\n endorsed\tRutte ") == "France endorsed Rutte"
    assert normalise_claim("Cafe\u0301") == "Café"
    assert normalise_claim("france") != normalise_claim("France")


def test_fingerprint_covers_claim_revision_sources_and_engine() -> None:
    base = fingerprint("c", "r1", ["article"], "v1")
    assert fingerprint(" c ", "r1", ["article"], "v1") == base
    assert fingerprint("c", "r1", ["article", "article"], "v1") == base
    for other in (
        fingerprint("d", "r1", ["article"], "v1"),
        fingerprint("c", "r2", ["article"], "v1"),
        fingerprint("c", "r1", ["article", "wikipedia"], "v1"),
        fingerprint("c", "r1", ["article"], "v2"),
    ):
        assert other != base


def test_article_write_is_all_or_nothing_on_a_taken_external_id(stores: Stores) -> None:
    first = stores.articles.create("One.", 1, {"external_id": "ext-atomic-1"})
    before = stores.redis.zcard(stores.keys.article_index())
    with pytest.raises(ExternalIdTaken) as taken:
        stores.articles.create("Two.", 1, {"external_id": "ext-atomic-1"})
    assert taken.value.article_id == first["id"]
    assert stores.redis.zcard(stores.keys.article_index()) == before
    stores.articles.delete(first["id"])


def test_delete_leaves_no_article_keys(stores: Stores) -> None:
    article = stores.articles.create("One.", 1, {"external_id": "ext-delete-1"})
    stores.articles.update(article["id"], "Two.", 1, {})
    assert stores.articles.delete(article["id"])
    leftover = list(stores.redis.scan_iter(match=stores.keys.article(article["id"]) + "*"))
    assert leftover == []
    assert stores.articles.find_by_external_id("ext-delete-1") is None


def test_articles_persist_while_checks_and_the_cache_expire(stores: Stores) -> None:
    article = stores.articles.create("Text.", 1, {})
    record, _ = stores.checks.create(
        {
            "claim": "c",
            "article_id": article["id"],
            "article_revision": article["revision"],
            "sources": ["article"],
        },
        fingerprint="fp-expiry-test",
    )
    stores.checks.mark_done(record["id"], {"label": "SUPPORTED"}, stores.cache)
    keys = stores.keys
    for key in (
        keys.article(article["id"]),
        keys.article_text(article["id"], article["revision"]),
    ):
        assert stores.redis.ttl(key) == -1, key
    assert 0 < stores.redis.ttl(keys.check(record["id"])) <= stores.checks.ttl_s
    assert 0 < stores.redis.ttl(keys.verdict_cache("fp-expiry-test")) <= stores.cache.ttl_s


def test_a_zero_ttl_disables_the_cache(stores: Stores) -> None:
    cache = VerdictCache(stores.redis, stores.keys, ttl_s=0)
    pipe = stores.redis.pipeline()
    cache.put(pipe, "fp-disabled", "{}")
    pipe.execute()
    assert cache.get("fp-disabled") is None
    assert not stores.redis.exists(stores.keys.verdict_cache("fp-disabled"))


def test_idempotency_key_returns_the_first_check_or_conflicts(stores: Stores) -> None:
    request = {"claim": "c", "sources": ["wikipedia"]}
    first, created = stores.checks.create(request, fingerprint="f", idempotency=("k-1", "h1"))
    again, created_again = stores.checks.create(request, fingerprint="f", idempotency=("k-1", "h1"))
    assert (created, created_again) == (True, False)
    assert again["id"] == first["id"]
    with pytest.raises(IdempotencyConflict):
        stores.checks.create(request, fingerprint="f", idempotency=("k-1", "h2"))


def test_wait_final_returns_as_soon_as_the_check_is_done(stores: Stores) -> None:
    import threading
    import time

    record, _ = stores.checks.create({"claim": "c", "sources": ["wikipedia"]}, fingerprint="f")
    timer = threading.Timer(
        0.3, stores.checks.mark_done, args=(record["id"], {"label": "REFUTED"}, stores.cache)
    )
    started = time.monotonic()
    timer.start()
    done = stores.checks.wait_final(record["id"], timeout_s=10)
    assert done["status"] == "done"
    assert time.monotonic() - started < 5
    assert stores.checks.wait_final("chk_missing", timeout_s=0.1) is None


def test_a_final_check_cannot_be_marked_running_again(stores: Stores) -> None:
    record, _ = stores.checks.create({"claim": "c", "sources": ["wikipedia"]}, fingerprint="f")
    assert stores.checks.mark_running(record["id"])["attempts"] == 1
    assert stores.checks.mark_failed(record["id"], "boom")
    assert stores.checks.mark_running(record["id"]) is None
    assert stores.checks.get(record["id"])["attempts"] == 1


def test_a_done_check_is_never_turned_into_a_failure(stores: Stores) -> None:
    record, _ = stores.checks.create({"claim": "c", "sources": ["wikipedia"]}, fingerprint="f")
    stores.checks.mark_done(record["id"], {"label": "SUPPORTED"}, stores.cache)
    assert not stores.checks.mark_failed(record["id"], "late error")
    assert stores.checks.get(record["id"])["status"] == "done"


def test_tenant_owned_keys_need_a_tenant_and_differ_per_tenant() -> None:
    root = Keys("fdx")
    with pytest.raises(TenantRequired):
        root.article("a")
    assert root.for_tenant("a").check("c") != root.for_tenant("b").check("c")
    assert root.api_key("d").startswith("fdx:apikey:")  # deployment-wide, no tenant


@pytest.mark.parametrize("name", ["", "A", "a:b", "-a", "a b", "x" * 41, "café"])
def test_a_tenant_name_that_could_break_a_key_is_refused(name: str) -> None:
    with pytest.raises(ValueError):
        Keys("fdx").for_tenant(name)


def test_the_callback_secret_is_no_webhook_id() -> None:
    # `DELETE /v1/webhooks/callback-secret` once deleted the secret: the names must differ.
    keys = Keys("fdx").for_tenant("acme")
    assert keys.webhook_callback_secret() != keys.webhook("callback-secret")


def test_check_records_and_idempotency_keys_expire_after_the_retention(
    stores: Stores, settings
) -> None:
    record, _ = stores.checks.create(
        {"claim": "c", "sources": ["wikipedia"]}, fingerprint="fp", idempotency=("k", "h")
    )
    assert 0 < stores.redis.ttl(stores.keys.check(record["id"])) <= settings.check_ttl_s
    assert 0 < stores.redis.ttl(stores.keys.idempotency("k")) <= settings.check_ttl_s
    keep = CheckStore(stores.redis, stores.keys, ttl_s=0)
    kept, _ = keep.create({"claim": "c", "sources": ["wikipedia"]}, fingerprint="fp")
    assert stores.redis.ttl(stores.keys.check(kept["id"])) == -1


def test_deliveries_expire_after_the_retention(stores: Stores, settings) -> None:
    delivery, _ = stores.webhooks.create_delivery(
        url="https://example.org/h", event_type="check.completed", payload={}, webhook_id=None
    )
    assert 0 < stores.redis.ttl(stores.keys.delivery(delivery["id"])) <= settings.delivery_ttl_s


def test_unfinished_checks_are_counted_until_final_or_stale(stores: Stores) -> None:
    done, _ = stores.checks.create({"claim": "a", "sources": ["wikipedia"]}, fingerprint="f")
    failed, _ = stores.checks.create({"claim": "b", "sources": ["wikipedia"]}, fingerprint="f")
    stores.checks.create({"claim": "c", "sources": ["wikipedia"]}, fingerprint="f", verdict={})
    assert stores.checks.unfinished_count(3600) == 2  # the cache hit was born done
    stores.checks.mark_done(done["id"], {"label": "SUPPORTED"}, stores.cache)
    stores.checks.mark_failed(failed["id"], "x")
    assert stores.checks.unfinished_count(3600) == 0
    stores.checks.create({"claim": "d", "sources": ["wikipedia"]}, fingerprint="f")
    assert stores.checks.unfinished_count(-1) == 1  # waiting its turn: never stale
    assert stores.dispatch.take()  # sent: the stale clock starts
    assert stores.checks.unfinished_count(-1) == 0  # sent longer ago than the bound: dropped
