"""The `factdesk` command line, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from settings import PROJECT_ROOT

DEMO = PROJECT_ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"


def factdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},  # `check` needs no Redis and no settings
    )


def test_check_prints_the_verdict_json_without_redis(check_spans) -> None:
    result = factdesk("check", "France endorsed Rutte", "--article", str(DEMO))
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["label"] == "SUPPORTED"
    check_spans(verdict, {DEMO.stem: DEMO.read_text(encoding="utf-8")})


def test_check_needs_an_article() -> None:
    result = factdesk("check", "France endorsed Rutte")
    assert result.returncode == 2
    assert "--article" in result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    result = factdesk("bake")
    assert result.returncode == 2


def test_eval_hands_its_arguments_to_the_evaluation_command() -> None:
    result = factdesk("eval", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: factdesk eval")
    assert "FILE" in result.stdout
