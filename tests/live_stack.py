"""The test side of a live factdesk stack: the tests' key prefix, the demo article, assertions.

Processes start through `stack.processes` (shared with `factdesk run`'s Redis and the
benchmarks); these wrappers add the tests' key prefix and turn a timeout into a test failure.
Import them as `from live_stack import ...` (tests/ is on sys.path under pytest).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from settings import PROJECT_ROOT
from stack import processes
from stack.processes import Process

KEY_PREFIX = "fdtest"
# The tenant of the in-process `client` fixture's key (the live API's anonymous tenant is
# keyspace.tenants.LOCAL_TENANT).
TEST_TENANT = "newsroom-a"
DEMO_PATH = PROJECT_ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"

__all__ = [
    "DEMO_PATH",
    "KEY_PREFIX",
    "TEST_TENANT",
    "Process",
    "assert_spans_exact",
    "launch_api",
    "launch_worker",
    "wait_for",
]


def wait_for(predicate: Callable[[], object], timeout_s: float, what: str) -> object:
    """Poll `predicate` until it returns something truthy; fail the test after `timeout_s`."""
    try:
        return processes.wait_until(predicate, timeout_s, what)
    except TimeoutError as e:
        raise AssertionError(str(e)) from None


def launch_worker(redis_url: str, log_dir: Path, **env: object) -> Process:
    """Start `factdesk worker` under the tests' key prefix; return once it answers a ping."""
    return _failing_test(processes.launch_worker, redis_url, log_dir, env)


def launch_api(redis_url: str, log_dir: Path, **env: object) -> Process:
    """Start `factdesk serve` under the tests' key prefix; return once /healthz answers."""
    return _failing_test(processes.launch_api, redis_url, log_dir, env)


def _failing_test(
    launch: Callable[..., Process], redis_url: str, log_dir: Path, env: dict[str, object]
) -> Process:
    try:
        return launch(redis_url, log_dir, **{"key_prefix": KEY_PREFIX, **env})
    except (RuntimeError, TimeoutError) as e:
        raise AssertionError(str(e)) from None


def assert_spans_exact(verdict: dict, texts: dict[str, str]) -> int:
    """Assert every evidence span of a wire verdict quotes its source exactly; return the count."""
    parts = verdict.get("parts", [])
    spans = [*verdict["evidence"], *(e for part in parts for e in part["evidence"])]
    for evidence in spans:
        text = texts[evidence["source"]["id"]]
        start, end = evidence["span"]["start"], evidence["span"]["end"]
        assert 0 <= start < end <= len(text)
        assert text[start:end] == evidence["quote"]["exact"]
        assert (
            text[max(0, start - len(evidence["quote"]["prefix"])) : start]
            == (evidence["quote"]["prefix"])
        )
        assert text[end : end + len(evidence["quote"]["suffix"])] == evidence["quote"]["suffix"]
    return len(spans)
