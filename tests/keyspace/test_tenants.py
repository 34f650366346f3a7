"""API keys against a real Redis: stored only as hashes, scoped, revoked and rotated at once."""

from __future__ import annotations

import pytest

from keyspace.stores import Stores
from keyspace.tenants import API_KEY_PREFIX, SCOPES, hash_key, parse_scopes


def test_a_key_is_stored_only_as_its_hash(stores: Stores) -> None:
    key, record = stores.api_keys.create("acme", ["read"])
    assert key.startswith(API_KEY_PREFIX) and len(key) >= 40
    dump = {k: stores.redis.dump(k) for k in stores.redis.scan_iter(f"{stores.keys.prefix}:*")}
    assert not any(key.encode() in (value or b"") for value in dump.values())
    assert stores.redis.exists(stores.keys.api_key(hash_key(key)))
    assert stores.api_keys.authenticate(key) == {**record, "scopes": ["read"]}


def test_an_unknown_or_malformed_key_authenticates_nothing(stores: Stores) -> None:
    key, _ = stores.api_keys.create("acme")
    assert stores.api_keys.authenticate(key + "x") is None
    assert stores.api_keys.authenticate(key[len(API_KEY_PREFIX) :]) is None
    assert stores.api_keys.authenticate("") is None


def test_revoke_stops_the_key_and_keeps_the_others(stores: Stores) -> None:
    first, first_record = stores.api_keys.create("acme")
    second, _ = stores.api_keys.create("acme")
    assert stores.api_keys.revoke(first_record["id"])
    assert stores.api_keys.authenticate(first) is None
    assert stores.api_keys.authenticate(second) is not None
    assert not stores.api_keys.revoke(first_record["id"])


def test_rotate_replaces_the_key_with_the_same_tenant_and_scopes(stores: Stores) -> None:
    old, old_record = stores.api_keys.create("acme", ["read", "checks:write"])
    new, new_record = stores.api_keys.rotate(old_record["id"])
    assert stores.api_keys.authenticate(old) is None
    assert stores.api_keys.authenticate(new)["tenant"] == "acme"
    assert new_record["scopes"] == old_record["scopes"] == ["checks:write", "read"]
    assert [r["id"] for r in stores.api_keys.list("acme")] == [new_record["id"]]
    assert stores.api_keys.rotate("key_missing") is None


def test_any_keys_is_false_until_the_first_key(stores: Stores) -> None:
    assert not stores.api_keys.any_keys()
    _, record = stores.api_keys.create("acme")
    assert stores.api_keys.any_keys()
    stores.api_keys.revoke(record["id"])
    assert not stores.api_keys.any_keys()


def test_listing_filters_by_tenant_and_never_shows_keys(stores: Stores) -> None:
    a, _ = stores.api_keys.create("acme")
    stores.api_keys.create("globex")
    listed = stores.api_keys.list("acme")
    assert [r["tenant"] for r in listed] == ["acme"]
    assert a not in repr(stores.api_keys.list())
    assert listed[0]["hint"] == a[:8]


@pytest.mark.parametrize(("scopes", "error"), [([], "at least one"), (["admin"], "admin")])
def test_bad_scopes_are_refused(scopes: list[str], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_scopes(scopes)


def test_scopes_come_back_in_canonical_order() -> None:
    assert parse_scopes(["read", "checks:write", "read"]) == ("checks:write", "read")
    assert parse_scopes(SCOPES) == SCOPES


def test_an_invalid_tenant_name_makes_no_key(stores: Stores) -> None:
    with pytest.raises(ValueError, match="tenant"):
        stores.api_keys.create("Bad:Name")
    assert not stores.api_keys.any_keys()
