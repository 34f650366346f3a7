"""`factdesk run` restarts a worker or the embedded Redis that dies (issue #12, finding 10)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
from live_stack import wait_for

from settings import PROJECT_ROOT
from stack.embedded_redis import free_port


class Run:
    def __init__(self, tmp_path: Path) -> None:
        self.log_path = tmp_path / "run.log"
        self.redis_port = free_port()
        self.api = f"http://127.0.0.1:{free_port()}"
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        env = {k: v for k, v in env.items() if not k.startswith("FACTDESK")}
        env.update(
            FACTDESK_DATA_DIR=str(tmp_path / "var"),
            FACTDESK_PORT=self.api.rsplit(":", 1)[1],
            FACTDESK_EMBEDDED_REDIS_PORT=str(self.redis_port),
            FACTDESK_WORKER_CONCURRENCY="1",
            FACTDESK_WEBHOOK_WORKER_CONCURRENCY="2",
            PYTHONUNBUFFERED="1",
        )
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def headers(self) -> dict[str, str]:
        """The local tenant's key that `factdesk run` made and printed (kept in its data dir)."""
        key = (self.log_path.parent / "var" / "local-api-key").read_text().strip()
        return {"Authorization": f"Bearer {key}"}

    def pid_of(self, name: str) -> int:
        """The pid the console last gave for `name` (started or restarted)."""
        found = re.findall(rf"^{name} (?:started|restarted) \(pid (\d+)\)", self.output(), re.M)
        assert found, self.output()[-3000:]
        return int(found[-1])

    def stop(self) -> int | None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self._log.close()
        return self.process.returncode


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    stack = Run(tmp_path)
    try:
        wait_for(
            lambda: "curl" in stack.output() or stack.process.poll() is not None,
            90,
            "the banner of factdesk run",
        )
        assert stack.process.poll() is None, stack.output()
        yield stack
    finally:
        stack.stop()


def _verdict(run: Run) -> dict:
    article_id = re.search(r"demo article id: (\S+)", run.output()).group(1)
    # A claim of its own: a verdict-cache hit would not need a worker.
    body = {"claim": f"France endorsed Rutte ({time.monotonic_ns()})", "article_id": article_id}

    def submitted() -> dict | None:
        response = requests.post(
            f"{run.api}/v1/checks?wait=30", json=body, headers=run.headers, timeout=40
        )
        assert response.status_code in (200, 202, 503), response.text
        return response.json() if response.status_code != 503 else None  # 503: retry shortly

    answer = wait_for(submitted, 30, "the API to accept a check")
    if answer["status"] != "done":  # a cache hit is done at once; otherwise wait for it
        url = f"{run.api}/v1/checks/{answer['id']}?wait=30"
        answer = requests.get(url, headers=run.headers, timeout=40).json()
    return answer


def test_a_killed_worker_is_restarted_and_checks_go_on(run: Run) -> None:
    pid = run.pid_of("checks worker")
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: run.pid_of("checks worker") != pid, 30, "the worker to be restarted")
    assert re.search(r"checks worker exited \(code -9\); restarting in \d", run.output())
    assert _verdict(run)["status"] == "done"


def test_a_killed_redis_is_restarted_with_its_data(run: Run) -> None:
    client = redis.Redis(port=run.redis_port)
    # Keys without a TTL must all survive; rate-limit counters and other expiring keys may
    # lapse while Redis is down, so a plain key count would not say whether the AOF held.
    before = {key for key in client.scan_iter(count=1000) if client.ttl(key) == -1}
    assert before, "factdesk run stored nothing durable to check"
    os.kill(int(client.info("server")["process_id"]), signal.SIGKILL)
    client.close()
    wait_for(lambda: "redis restarted" in run.output(), 30, "Redis to be restarted")
    assert re.search(r"redis exited \(code -9\); restarting in \d", run.output())
    client = redis.Redis(port=run.redis_port)
    wait_for(lambda: all(client.exists(key) for key in before), 10, "the data to be back (AOF)")
    client.close()
    wait_for(lambda: requests.get(f"{run.api}/readyz", timeout=5).ok, 60, "readiness")
    assert _verdict(run)["status"] == "done"
