"""The supervisor of `factdesk run` restarts dead children with backoff (issue #12, finding 10)."""

from __future__ import annotations

import pytest

from service.supervisor import Backoff, Supervisor


class FakeChild:
    def __init__(self, name: str, fail_starts: int = 0) -> None:
        self.name = name
        self.starts = 0
        self.code: int | None = None
        self.fail_starts = fail_starts
        self.stopped = False

    def start(self) -> None:
        if self.starts and self.fail_starts > 0:
            self.fail_starts -= 1
            raise RuntimeError("port busy")
        self.starts += 1
        self.code = None

    def exit_code(self) -> int | None:
        return self.code

    def pid(self) -> int | None:
        return 1000 + self.starts

    def stop(self) -> None:
        self.stopped = True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def supervisor(clock: Clock, *children: FakeChild) -> tuple[Supervisor, list[str]]:
    said: list[str] = []
    sup = Supervisor(children, Backoff(1, 8, 60), say=said.append, clock=clock)
    sup.start_all()
    return sup, said


def test_a_dead_child_is_restarted_after_the_backoff_and_the_console_says_so(clock) -> None:
    worker = FakeChild("worker")
    sup, said = supervisor(clock, worker)
    assert said == ["worker started (pid 1001)"]
    worker.code = -9
    sup.poll()
    assert said[-1] == "worker exited (code -9); restarting in 1 s"
    clock.now += 0.5
    sup.poll()
    assert worker.starts == 1  # not before the backoff
    clock.now += 0.6
    sup.poll()
    assert worker.starts == 2 and said[-1] == "worker restarted (pid 1002)"


def test_backoff_doubles_while_a_child_keeps_dying_and_resets_once_it_is_stable(clock) -> None:
    worker = FakeChild("worker")
    sup, said = supervisor(clock, worker)
    delays = []
    for _ in range(5):
        worker.code = 1
        sup.poll()
        delays.append(said[-1].rsplit(" in ", 1)[1])
        clock.now += 100 if len(delays) == 5 else 10  # too soon to count as stable
        sup.poll()
    assert delays == ["1 s", "2 s", "4 s", "8 s", "8 s"]
    clock.now += 61  # up for over a minute
    worker.code = 1
    sup.poll()
    assert said[-1].endswith("restarting in 1 s")


def test_a_failed_restart_is_retried_with_more_backoff(clock) -> None:
    redis = FakeChild("redis", fail_starts=1)
    sup, said = supervisor(clock, redis)
    redis.code = 0
    sup.poll()
    clock.now += 1
    sup.poll()
    assert said[-1] == "redis failed to start (port busy); retrying in 2 s"
    clock.now += 2
    sup.poll()
    assert said[-1] == "redis restarted (pid 1002)" and redis.code is None


def test_only_the_dead_child_is_restarted_and_stop_all_stops_in_reverse(clock) -> None:
    redis, worker = FakeChild("redis"), FakeChild("worker")
    sup, _ = supervisor(clock, redis, worker)
    worker.code = 1
    sup.poll()
    clock.now += 1
    sup.poll()
    assert (redis.starts, worker.starts) == (1, 2)
    sup.stop_all()
    assert redis.stopped and worker.stopped
