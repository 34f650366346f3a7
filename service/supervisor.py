"""Keep what `factdesk run` starts alive: restart a child that dies, with backoff, and say so.

`factdesk run` starts the embedded Redis (unless REDIS_URL is set) and the workers next to the
API. Before, a worker or Redis that died stayed dead while the API kept answering 503 (issue
#12, finding 10). The supervisor polls its children from a thread; a dead child is restarted
after 1 s, then 2, 4 … up to 30 s while it keeps dying, and from 1 s again once it has stayed up
for a minute. Every death and restart is printed on the console.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from stack.embedded_redis import EmbeddedRedis


class Child(Protocol):
    """A process the supervisor can (re)start and watch."""

    name: str

    def start(self) -> None: ...

    def exit_code(self) -> int | None:
        """None while running; the exit status (or -1 when unknown) once it has died."""
        ...

    def pid(self) -> int | None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Backoff:
    initial_s: float = 1.0
    max_s: float = 30.0
    stable_s: float = 60.0  # up this long: the next death restarts after `initial_s` again

    def delay(self, consecutive_deaths: int) -> float:
        return min(self.max_s, self.initial_s * 2 ** max(0, consecutive_deaths - 1))


@dataclass
class _State:
    child: Child
    started_at: float = 0.0
    deaths: int = 0  # consecutive: reset once the child stays up `stable_s`
    restart_at: float | None = None  # set while a dead child waits for its restart


@dataclass
class Supervisor:
    children: Sequence[Child]
    backoff: Backoff = field(default_factory=Backoff)
    say: Callable[[str], None] = lambda line: print(line, flush=True)
    clock: Callable[[], float] = time.monotonic
    _states: list[_State] = field(default_factory=list, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)

    def start_all(self) -> None:
        """Start every child in order (Redis before the workers that need it)."""
        for child in self.children:
            child.start()
            self._states.append(_State(child, started_at=self.clock()))
            self.say(f"{child.name} started (pid {child.pid()})")

    def poll(self) -> None:
        """One round: notice deaths, restart children whose backoff has passed."""
        now = self.clock()
        for state in self._states:
            if state.restart_at is None:
                code = state.child.exit_code()
                if code is None:
                    continue
                stable = now - state.started_at >= self.backoff.stable_s
                state.deaths = 1 if stable else state.deaths + 1
                delay = self.backoff.delay(state.deaths)
                state.restart_at = now + delay
                self.say(f"{state.child.name} exited (code {code}); restarting in {delay:g} s")
            elif now >= state.restart_at:
                self._restart(state, now)

    def _restart(self, state: _State, now: float) -> None:
        try:
            state.child.start()
        except Exception as e:  # a start that fails is one more death, retried later
            state.deaths += 1
            delay = self.backoff.delay(state.deaths)
            state.restart_at = now + delay
            self.say(f"{state.child.name} failed to start ({e}); retrying in {delay:g} s")
            return
        state.restart_at = None
        state.started_at = self.clock()
        self.say(f"{state.child.name} restarted (pid {state.child.pid()})")

    def watch(self, interval_s: float = 0.5) -> None:
        """Poll from a daemon thread until `stop_all`."""

        def loop() -> None:
            while not self._stopping.wait(interval_s):
                self.poll()

        self._thread = threading.Thread(target=loop, name="factdesk-supervisor", daemon=True)
        self._thread.start()

    def stop_all(self) -> None:
        """Stop watching, then stop the children in reverse start order."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for state in reversed(self._states):
            state.child.stop()


class CommandChild:
    """A subprocess started from an argv (e.g. `python -m service.cli worker ...`)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self._argv = argv
        self._env = env
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(self._argv, env=self._env)

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)


class EmbeddedRedisChild:
    """The embedded Redis (stack.embedded_redis.EmbeddedRedis): same port, same AOF on restart."""

    name = "redis"

    def __init__(self, server: EmbeddedRedis) -> None:
        self.server = server

    def start(self) -> None:
        self.server.start()

    def exit_code(self) -> int | None:
        return self.server.returncode

    def pid(self) -> int | None:
        return self.server.pid

    def stop(self) -> None:
        self.server.stop()
