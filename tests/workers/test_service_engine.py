"""`FACTDESK_ENGINE_JUDGE` picks the judge of the service's engine, for the API's cache keys and
the workers' checks alike."""

from __future__ import annotations

import pytest

import workers
from workers.engine import Document
from workers.engine.pipeline import default_judge


@pytest.fixture
def fresh_engine():
    workers.service_engine.cache_clear()
    yield
    workers.service_engine.cache_clear()


def test_the_configured_judge_checks_and_names_the_cache_version(monkeypatch, fresh_engine):
    monkeypatch.setenv("FACTDESK_ENGINE_JUDGE", "symbolic")
    assert "+symbolic." in workers.engine_version()
    verdict = workers.service_engine().check(
        "France endorsed Rutte", [Document("d", "France endorsed Rutte on Monday.")]
    )
    assert verdict.engine_version == workers.engine_version()
    assert verdict.label == "SUPPORTED"


def test_without_the_variable_the_engine_default_runs(monkeypatch, fresh_engine):
    monkeypatch.delenv("FACTDESK_ENGINE_JUDGE", raising=False)
    assert f"+{default_judge()}." in workers.engine_version()
