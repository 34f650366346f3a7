"""CI never skips the browser test silently: with CI set, a missing browser is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).with_name("test_widget_browser.py")
ROOT = Path(__file__).resolve().parents[2]


def run_browser_tests(**env: str) -> subprocess.CompletedProcess[str]:
    """Run the browser test module with no Chromium, so nothing reaches a live stack."""
    clean = {k: v for k, v in os.environ.items() if k != "CI"}
    clean.update(FACTDESK_TEST_CHROMIUM="/nonexistent/chromium", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(BROWSER_TESTS)],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_missing_browser_fails_the_run(ci: str) -> None:
    result = run_browser_tests(CI=ci)
    assert result.returncode == 1, result.stdout
    assert "1 failed, 2 skipped" in result.stdout
    assert "no Chromium at /nonexistent/chromium" in result.stdout


def test_outside_ci_a_missing_browser_only_skips() -> None:
    result = run_browser_tests()
    assert result.returncode == 0, result.stdout
    assert "3 skipped" in result.stdout
