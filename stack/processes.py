"""Start `factdesk worker` and `factdesk serve` as subprocesses and wait until they answer.

Real processes against a real Redis, each in its own process group with its output in a log
file; the test fixtures (tests/live_stack.py) and the benchmarks start their stacks this way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

from settings import PROJECT_ROOT, load_settings
from stack.embedded_redis import free_port

START_TIMEOUT_S = 60.0


def process_env(redis_url: str, **overrides: object) -> dict[str, str]:
    """Environment for a factdesk subprocess: `redis_url` plus FACTDESK_* overrides only.

    FACTDESK_* variables of this process are dropped, so a stack never inherits a setting
    by accident.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTDESK_")}
    env.update(REDIS_URL=redis_url, PYTHONUNBUFFERED="1")
    env.update({f"FACTDESK_{k.upper()}": str(v) for k, v in overrides.items()})
    return env


class Process:
    """A factdesk subprocess in its own process group, with its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "service.cli", *args],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = ""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean shutdown, no message handed back."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def wait_until(predicate: Callable[[], object], timeout_s: float, what: str) -> object:
    """Poll `predicate` until it returns something truthy, and return that.

    :raise TimeoutError: after `timeout_s`, naming `what` was awaited.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise TimeoutError(f"timed out after {timeout_s} s waiting for {what}")


def launch_worker(redis_url: str, log_dir: Path, **env: object) -> Process:
    """Start `factdesk worker` (concurrency 1) and return once it answers a Celery ping.

    :raise RuntimeError: when the worker exits; TimeoutError when it does not answer.
    """
    from workers.celery_app import create_celery

    process = Process(
        ["worker", "--concurrency=1", "--loglevel=INFO"],
        process_env(redis_url, **env),
        log_dir / f"worker-{uuid.uuid4().hex[:8]}.log",
    )
    celery = create_celery(load_settings(env={}, redis_url=redis_url))

    def answered() -> bool:
        if process.popen.poll() is not None:
            raise RuntimeError(f"worker exited:\n{process.log_tail()}")
        replies = celery.control.ping(timeout=0.5) or []
        return any(f"factdesk-{process.pid}@" in name for reply in replies for name in reply)

    try:
        wait_until(answered, START_TIMEOUT_S, "the worker to answer a ping")
    finally:
        celery.close()
    return process


def launch_api(redis_url: str, log_dir: Path, **env: object) -> Process:
    """Start `factdesk serve` on a free port and return once /healthz answers.

    :raise RuntimeError: when the API exits; TimeoutError when it does not answer.
    """
    port = free_port()
    process = Process(
        ["serve", f"--port={port}"], process_env(redis_url, **env), log_dir / f"api-{port}.log"
    )
    process.url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.popen.poll() is not None:
            raise RuntimeError(f"API exited:\n{process.log_tail()}")
        try:
            return requests.get(process.url + "/healthz", timeout=1).ok
        except requests.ConnectionError:
            return False

    wait_until(healthy, START_TIMEOUT_S, "the API to answer /healthz")
    return process
