"""The archive follows article create / update / delete through the change log in Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from keyspace.stores import Stores
from settings import load_settings
from workers.sources.archive import ArchiveSync, archive_for

NATO = "France and Germany endorsed Mark Rutte for NATO Secretary-General."
WEATHER = "Heavy rain is expected in Brussels on Friday."


@pytest.fixture
def private_stores(redis_url: str) -> Iterator[Stores]:
    settings = load_settings(env={}, redis_url=redis_url, key_prefix=f"fdarc{uuid.uuid4().hex[:8]}")
    stores = Stores.from_settings(settings, "newsroom-a")
    yield stores
    stores.redis.close()


def add(stores: Stores, text: str) -> dict:
    return stores.articles.create(text, 1, {"title": text.split()[0]})


def found(sync: ArchiveSync, claim: str, exclude: frozenset[str] = frozenset()) -> list:
    return [(d.id, d.revision) for d in sync.search(claim, 3, exclude)]


def test_articles_stored_before_the_worker_started_are_found(private_stores) -> None:
    nato = add(private_stores, NATO)
    add(private_stores, WEATHER)
    sync = ArchiveSync(private_stores.articles)
    [doc] = sync.search("Germany endorsed Rutte", 3, frozenset())
    assert (doc.id, doc.revision, doc.type, doc.title) == (
        nato["id"],
        nato["revision"],
        "archive",
        "France",
    )
    assert doc.text == NATO
    assert doc.retrieved_at.endswith("Z")


def test_create_update_and_delete_reach_a_running_index(private_stores) -> None:
    sync = ArchiveSync(private_stores.articles)
    assert found(sync, "Germany endorsed Rutte") == []
    nato = add(private_stores, NATO)
    assert found(sync, "Germany endorsed Rutte") == [(nato["id"], nato["revision"])]
    updated = private_stores.articles.update(nato["id"], "Italy endorsed Rutte.", 1, {})
    assert found(sync, "Italy endorsed Rutte") == [(nato["id"], updated["revision"])]
    assert found(sync, "Germany") == []
    private_stores.articles.delete(nato["id"])
    assert found(sync, "Italy endorsed Rutte") == []


def test_two_workers_agree(private_stores) -> None:
    first, second = ArchiveSync(private_stores.articles), ArchiveSync(private_stores.articles)
    first.catch_up()
    nato = add(private_stores, NATO)
    assert (
        found(first, "endorsed Rutte")
        == found(second, "endorsed Rutte")
        == [(nato["id"], nato["revision"])]
    )


def test_a_worker_behind_a_trimmed_log_rebuilds(private_stores) -> None:
    add(private_stores, "A first story, read by the worker.")
    sync = ArchiveSync(private_stores.articles)
    sync.catch_up()
    nato = add(private_stores, NATO)
    weather = add(private_stores, WEATHER)
    private_stores.articles.delete(weather["id"])
    log = private_stores.keys.article_changes()
    private_stores.redis.xtrim(log, maxlen=1, approximate=False)  # only the delete is left
    # Replaying the log alone would miss NATO's creation: only a rebuild finds it.
    assert found(sync, "endorsed Rutte") == [(nato["id"], nato["revision"])]
    assert found(sync, "rain Brussels") == []


def test_the_checks_own_article_can_be_excluded(private_stores) -> None:
    nato = add(private_stores, NATO)
    other = add(private_stores, "Le Monde: France endorsed Rutte.")
    sync = ArchiveSync(private_stores.articles)
    assert found(sync, "France endorsed Rutte", frozenset({nato["id"]})) == [
        (other["id"], other["revision"])
    ]


def test_each_tenant_searches_only_its_own_articles(private_stores) -> None:
    theirs = private_stores.for_tenant("newsroom-b")
    add(private_stores, NATO)
    archive_a = archive_for(private_stores.articles)
    archive_b = archive_for(theirs.articles)
    assert archive_a is not archive_b
    assert found(archive_b, "Germany endorsed Rutte") == []  # newsroom-a's article stays hidden
    weather = add(theirs, WEATHER)
    assert found(archive_b, "Heavy rain in Brussels") == [(weather["id"], weather["revision"])]
    assert [d for d, _ in found(archive_a, "Heavy rain in Brussels")] != [weather["id"]]
