"""`factdesk keys create|list|revoke|rotate` against a real Redis."""

from __future__ import annotations

import json

import pytest

from keyspace.stores import Stores
from service.cli import main
from service.keys_cli import LOCAL_KEY_FILE, local_key


@pytest.fixture(autouse=True)
def deployment(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    monkeypatch.setenv("FACTDESK_KEY_PREFIX", settings.key_prefix)


def create(capsys, *args: str) -> tuple[str, str]:
    assert main(["keys", "create", *args]) == 0
    header, key, _ = capsys.readouterr().out.splitlines()
    return header.split()[0], key


def test_create_prints_the_key_once_and_stores_only_its_hash(capsys, stores: Stores) -> None:
    key_id, key = create(capsys, "--tenant", "acme", "--scopes", "read,checks:write")
    assert key.startswith("fd_")
    assert stores.api_keys.authenticate(key)["scopes"] == ["checks:write", "read"]
    assert main(["keys", "list"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in listed] == [key_id]
    assert key not in json.dumps(listed)


def test_create_refuses_an_unknown_scope_and_a_bad_tenant(capsys, stores: Stores) -> None:
    assert main(["keys", "create", "--tenant", "acme", "--scopes", "admin"]) == 2
    assert "admin" in capsys.readouterr().err
    assert main(["keys", "create", "--tenant", "Ac:me"]) == 2
    assert not stores.api_keys.any_keys()


def test_revoke_and_rotate(capsys, stores: Stores) -> None:
    key_id, key = create(capsys, "--tenant", "acme")
    assert main(["keys", "rotate", key_id]) == 0
    new_key = capsys.readouterr().out.splitlines()[2]
    assert stores.api_keys.authenticate(key) is None
    new_record = stores.api_keys.authenticate(new_key)
    assert new_record["tenant"] == "acme"
    assert main(["keys", "revoke", new_record["id"]]) == 0
    assert stores.api_keys.authenticate(new_key) is None
    assert main(["keys", "revoke", new_record["id"]]) == 1


def test_the_local_key_is_kept_and_replaced_once_revoked(tmp_path, settings, stores) -> None:
    from dataclasses import replace

    local = replace(settings, data_dir=tmp_path)
    first = local_key(local)
    assert local_key(local) == first
    assert (tmp_path / LOCAL_KEY_FILE).stat().st_mode & 0o777 == 0o600
    stores.api_keys.revoke(stores.api_keys.authenticate(first)["id"])
    second = local_key(local)
    assert second != first and stores.api_keys.authenticate(second)["tenant"] == "local"


def test_without_redis_url_the_cli_says_which_redis_to_name(monkeypatch) -> None:
    monkeypatch.delenv("REDIS_URL")
    with pytest.raises(SystemExit, match="REDIS_URL"):
        main(["keys", "list"])
