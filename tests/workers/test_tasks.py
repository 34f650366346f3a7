"""The check task: idempotent, records every attempt, ends in `done` or `failed`."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence

import pytest
from celery import Celery
from celery.exceptions import TimeLimitExceeded

from keyspace.stores import Stores
from settings import Settings
from workers import logs, tasks
from workers.celery_app import create_celery
from workers.context import WorkerContext
from workers.engine.types import Document, Evidence, Verdict
from workers.sources import SourceUnavailable
from workers.tasks import perform_check, run_check


class CountingEngine:
    """Quotes the first sentence as support; counts calls (the real engine is tested elsewhere)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, claim: str, documents: Sequence[Document]) -> Verdict:
        self.calls += 1
        doc = documents[0]
        evidence = Evidence(
            doc, sentence=0, start=0, end=doc.text.index("."), stance="supports", score=0.9
        )
        return Verdict(claim, "SUPPORTED", 0.9, (evidence,), engine_version="test")


@pytest.fixture
def engine() -> CountingEngine:
    return CountingEngine()


@pytest.fixture(autouse=True)
def celery_app(settings: Settings) -> Iterator[Celery]:
    """The current Celery app points at the test Redis (the finished-hook sends a task)."""
    app = create_celery(settings)
    app.set_current()
    yield app
    app.close()


@pytest.fixture
def ctx(
    settings: Settings, stores: Stores, engine: CountingEngine, celery_app: Celery
) -> WorkerContext:
    return WorkerContext(settings, stores, engine, celery_app)


@pytest.fixture
def queued(stores: Stores, demo_text: str) -> dict:
    article = stores.articles.create(demo_text, 10, {})
    record, _ = stores.checks.create(
        {
            "claim": "France endorsed Rutte",
            "article_id": article["id"],
            "article_revision": article["revision"],
            "sources": ["article"],
        },
        fingerprint=f"fp-{article['id']}",
    )
    return record


def test_check_runs_to_done_and_fills_the_cache(ctx, stores, engine, queued) -> None:
    perform_check(ctx, queued["id"])
    record = stores.checks.get(queued["id"])
    assert record["status"] == "done"
    assert record["attempts"] == 1
    assert record["verdict"]["label"] == "SUPPORTED"
    assert record["verdict"]["evidence"][0]["quote"]["exact"].startswith(" date 2024-03-13")
    assert stores.cache.get(queued["fingerprint"]) == record["verdict"]


def test_a_done_check_is_not_run_again(ctx, stores, engine, queued) -> None:
    perform_check(ctx, queued["id"])
    perform_check(ctx, queued["id"])  # a redelivered message
    assert engine.calls == 1
    assert stores.checks.get(queued["id"])["attempts"] == 1


def test_a_missing_check_is_skipped(ctx, engine) -> None:
    perform_check(ctx, "chk_missing")
    assert engine.calls == 0


def test_a_deleted_article_fails_the_check(ctx, stores, engine, queued, monkeypatch) -> None:
    monkeypatch.setattr(tasks, "worker_context", lambda tenant: ctx.for_tenant(tenant))
    stores.articles.delete(queued["article_id"])
    run_check.apply(args=[queued["id"], ctx.tenant])
    record = stores.checks.get(queued["id"])
    assert record["status"] == "failed"
    assert "deleted" in record["error"]
    assert engine.calls == 0


def test_a_transient_error_is_retried_then_fails(ctx, stores, queued, monkeypatch) -> None:
    monkeypatch.setattr(tasks, "worker_context", lambda tenant: ctx.for_tenant(tenant))
    calls: list[str] = []

    def unavailable(ctx: WorkerContext, check_id: str) -> None:
        calls.append(check_id)
        raise SourceUnavailable("wikipedia answered 503")

    monkeypatch.setattr(tasks, "perform_check", unavailable)
    # Run in this process, `apply` replays each retry at once instead of after the backoff.
    run_check.apply(args=[queued["id"], ctx.tenant])
    assert len(calls) == ctx.settings.task_max_retries + 1
    record = stores.checks.get(queued["id"])
    assert record["status"] == "failed"
    assert f"{ctx.settings.task_max_retries + 1} attempts" in record["error"]


def test_the_check_fails_when_retries_run_out(ctx, stores, queued, monkeypatch) -> None:
    monkeypatch.setattr(tasks, "worker_context", lambda tenant: ctx.for_tenant(tenant))

    def unavailable(ctx: WorkerContext, check_id: str) -> None:
        raise SourceUnavailable("wikipedia answered 503")

    monkeypatch.setattr(tasks, "perform_check", unavailable)
    run_check.apply(args=[queued["id"], ctx.tenant], retries=ctx.settings.task_max_retries)
    record = stores.checks.get(queued["id"])
    assert record["status"] == "failed"
    assert "503" in record["error"]


def test_a_bug_is_not_retried(ctx, stores, queued, monkeypatch) -> None:
    monkeypatch.setattr(tasks, "worker_context", lambda tenant: ctx.for_tenant(tenant))

    def bug(ctx: WorkerContext, check_id: str) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(tasks, "perform_check", bug)
    result = run_check.apply(args=[queued["id"], ctx.tenant])
    assert result.state == "FAILURE"
    record = stores.checks.get(queued["id"])
    assert record["status"] == "failed"
    assert "oops" not in record["error"]  # internals stay in the log


def test_the_hard_time_limit_marks_the_check_failed(ctx, stores, queued, monkeypatch) -> None:
    monkeypatch.setattr(tasks, "worker_context", lambda tenant: ctx.for_tenant(tenant))
    # What Celery does in the worker's parent after killing a child over the hard limit.
    run_check.on_failure(TimeLimitExceeded(150), "task-id", (queued["id"], ctx.tenant), {}, None)
    record = stores.checks.get(queued["id"])
    assert record["status"] == "failed"
    assert "time limit" in record["error"]


def test_the_hard_time_limit_line_names_the_check_and_its_tenant(
    ctx, stores, queued, monkeypatch
) -> None:
    monkeypatch.setattr(tasks, "worker_context", lambda tenant: ctx.for_tenant(tenant))
    stream = io.StringIO()
    handler = logs.make_handler("json", stream)
    tasks.log.addHandler(handler)
    try:
        # In the worker's parent process, where no task_prerun bound the task's ids.
        logs.clear()
        run_check.on_failure(TimeLimitExceeded(150), "task-1", (queued["id"], ctx.tenant), {}, None)
    finally:
        tasks.log.removeHandler(handler)
    (line,) = [json.loads(raw) for raw in stream.getvalue().splitlines() if "task failed" in raw]
    assert (line["check_id"], line["tenant"], line["task_id"]) == (
        queued["id"],
        ctx.tenant,
        "task-1",
    )
    assert logs.current() == {}  # unbound again afterwards


def test_the_cache_key_version_is_the_one_verdicts_carry(ctx, stores, queued) -> None:
    from workers import engine, engine_version

    verdict = engine.check("France endorsed Rutte", [])
    assert engine_version() == verdict.engine_version
