"""Fair dispatch bookkeeping on the real Redis: a tenant's in-flight bound, FIFO hand-over, and
no check handed out twice when workers finish at the same moment."""

from __future__ import annotations

import threading

from keyspace.checks import NewCheck
from keyspace.dispatch import DispatchStore, TenantBacklog, backlogs, tenants_with_work
from keyspace.keys import Keys
from keyspace.stores import Stores

IDS = [f"chk_{i:04d}" for i in range(50)]


def dispatch(stores: Stores, limit: int, tenant: str | None = None) -> DispatchStore:
    keys = stores.keys.for_tenant(tenant) if tenant else stores.keys
    return DispatchStore(stores.redis, keys, limit)


def test_at_most_limit_checks_are_in_flight_and_the_rest_wait_in_order(stores) -> None:
    store = dispatch(stores, 3)
    assert store.enqueue(IDS[:10]) == IDS[:3]
    assert set(store.in_flight()) == set(IDS[:3])
    assert store.pending_count() == 7
    assert store.enqueue(IDS[10:12]) == []  # no room: behind the first submission
    assert store.finished([IDS[1]]) == [IDS[3]]
    assert store.finished([IDS[0], IDS[2]]) == [IDS[4], IDS[5]]
    assert set(store.in_flight()) == {IDS[3], IDS[4], IDS[5]}


def test_a_check_that_ends_twice_frees_one_slot(stores) -> None:
    store = dispatch(stores, 2)
    store.enqueue(IDS[:6])
    assert store.finished([IDS[0]]) == [IDS[2]]
    assert store.finished([IDS[0]]) == []  # a duplicate delivery ending again: no extra send
    assert len(store.in_flight()) == 2


def test_workers_finishing_at_once_hand_out_every_check_exactly_once(stores) -> None:
    limit = 4
    store = dispatch(stores, limit)
    handed_out = list(store.enqueue(IDS))
    lock = threading.Lock()
    most_in_flight = [0]

    def worker() -> None:
        while True:
            with lock:
                if not handed_out:
                    return
                check_id = handed_out.pop(0)
            moved = store.finished([check_id])
            in_flight = len(store.in_flight())
            with lock:
                handed_out.extend(moved)
                seen.extend(moved)
                most_in_flight[0] = max(most_in_flight[0], in_flight)

    seen: list[str] = list(handed_out)
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == IDS  # each once: none lost, none sent twice
    assert most_in_flight[0] <= limit
    assert store.in_flight() == {} and store.pending_count() == 0


def test_checks_whose_send_failed_go_back_to_the_head_in_order(stores) -> None:
    store = dispatch(stores, 2)
    sent = store.enqueue(IDS[:5])
    store.unsend(sent)
    assert store.in_flight() == {}
    assert store.enqueue([]) == IDS[:2]  # the same two, first again


def test_of_two_sweepers_only_one_reclaims_a_lost_message(stores) -> None:
    store = dispatch(stores, 2)
    store.enqueue(IDS[:1])
    seen = store.in_flight()[IDS[0]]
    assert store.reclaim(IDS[0], seen) is True
    assert store.reclaim(IDS[0], seen) is False  # restamped by the first
    assert store.reclaim("chk_not_in_flight", seen) is False


def test_forgotten_checks_leave_the_pending_list_and_the_in_flight_set(stores) -> None:
    store = dispatch(stores, 2)
    store.enqueue(IDS[:4])
    store.forget([IDS[0], IDS[3]])
    assert set(store.in_flight()) == {IDS[1]}
    assert store.finished([IDS[1]]) == [IDS[2]]


def test_no_bound_sends_everything_at_once(stores) -> None:
    assert dispatch(stores, 0).enqueue(IDS) == IDS


def test_the_worklist_names_tenants_with_work_until_they_have_none(stores) -> None:
    root = Keys(stores.keys.prefix)
    a, b = dispatch(stores, 1, "newsroom-a"), dispatch(stores, 1, "newsroom-b")
    a.enqueue(IDS[:2])
    b.enqueue(IDS[2:3])
    assert tenants_with_work(stores.redis, root) == ["newsroom-a", "newsroom-b"]
    b.finished(IDS[2:3])
    assert tenants_with_work(stores.redis, root) == ["newsroom-a"]
    a.finished(IDS[:1])
    a.finished(IDS[1:2])
    assert tenants_with_work(stores.redis, root) == []


def test_pending_and_in_flight_keys_belong_to_the_tenant() -> None:
    keys = Keys("fd").for_tenant("newsroom-a")
    assert keys.checks_pending().startswith("fd:t:newsroom-a:")
    assert keys.checks_in_flight().startswith("fd:t:newsroom-a:")


def test_a_new_queued_check_is_pending_from_the_moment_it_exists(stores) -> None:
    root = Keys(stores.keys.prefix)
    cached = NewCheck({"claim": "b", "sources": ["article"]}, "fp-b", verdict={"label": "X"})
    new = [NewCheck({"claim": "a", "sources": ["article"]}, "fp-a"), cached]
    records, _ = stores.checks.create_many(new)
    # Written with the record (one MULTI/EXEC): a crash before the send loses nothing.
    assert stores.redis.lrange(stores.keys.checks_pending(), 0, -1) == [records[0]["id"]]
    assert tenants_with_work(stores.redis, root) == [stores.tenant]
    assert stores.dispatch.take() == [records[0]["id"]]  # a cache hit (done) is never pending


def test_backlogs_count_each_tenants_pending_and_in_flight_checks(stores) -> None:
    root = Keys(stores.keys.prefix)
    dispatch(stores, 2, "newsroom-a").enqueue(IDS[:5])
    dispatch(stores, 2, "newsroom-b").enqueue(IDS[5:6])
    assert backlogs(stores.redis, root) == [
        TenantBacklog("newsroom-a", pending=3, in_flight=2),
        TenantBacklog("newsroom-b", pending=0, in_flight=1),
    ]
    dispatch(stores, 2, "newsroom-b").finished(IDS[5:6])
    assert [b.tenant for b in backlogs(stores.redis, root)] == ["newsroom-a"]
