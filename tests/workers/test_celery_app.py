"""The Celery app is configured for checks that survive crashes (see docs/operations.md)."""

from __future__ import annotations

import pytest

from settings import load_settings
from workers.celery_app import QueueNames, TaskNames, create_celery
from workers.tasks import TRANSIENT_ERRORS, run_check


@pytest.fixture
def app():
    app = create_celery(
        load_settings(
            env={}, redis_url="redis://127.0.0.1:1/0", visibility_timeout_s=7, task_max_retries=5
        )
    )
    yield app
    app.close()


@pytest.fixture
def conf(app):
    return app.conf


def test_late_acks_and_one_message_at_a_time(conf) -> None:
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1


def test_redelivery_follows_the_visibility_timeout_setting(conf) -> None:
    assert conf.broker_transport_options["visibility_timeout"] == 7
    assert conf.broker_transport_options["unacked_restore_throttle"] == 1


def test_time_limits_come_from_settings_and_soft_fires_first(conf) -> None:
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit


def test_results_are_not_stored(conf) -> None:
    assert conf.task_ignore_result is True
    assert not conf.result_backend


def test_checks_have_a_named_task_on_their_own_queue(conf) -> None:
    assert run_check.name == TaskNames.CHECK
    assert conf.task_default_queue == QueueNames.CHECKS


def test_no_redis_url_is_refused() -> None:
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_celery(load_settings(env={}))


def test_transient_errors_retry_with_jittered_backoff_as_often_as_settings_say(app) -> None:
    task = app.tasks[TaskNames.CHECK]
    assert task.max_retries == 5
    assert set(task.autoretry_for) == set(TRANSIENT_ERRORS)
    assert task.retry_backoff and task.retry_jitter


def test_every_task_has_a_name_from_task_names(app) -> None:
    app.loader.import_default_modules()  # what a worker does at start: the TASK_MODULES
    names = {v for k, v in vars(TaskNames).items() if not k.startswith("_")}
    ours = {name for name in app.tasks if name.startswith("factdesk.")}
    assert ours == names
