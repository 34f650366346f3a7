"""Log lines: one JSON object a line, with the ids bound for the work in hand."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator

import pytest

from workers import logs
from workers.task_logs import task_fields


@pytest.fixture
def lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    logger = logging.getLogger(f"factdesk.test.{id(stream)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(logs.make_handler("json", stream))
    yield logger, stream
    logger.handlers.clear()


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_line_is_a_json_object_with_the_bound_ids(lines) -> None:
    logger, stream = lines
    with logs.log_context(tenant="newsroom-a", check_id="chk_1"):
        logger.info("judging %s", "a claim")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
    logger.warning("outside")

    judging, failed, outside = records(stream)
    assert list(judging)[:4] == ["timestamp", "level", "logger", "message"]
    assert judging["message"] == "judging a claim" and judging["level"] == "INFO"
    assert judging["timestamp"].endswith("+00:00")
    assert (judging["tenant"], judging["check_id"]) == ("newsroom-a", "chk_1")
    assert failed["check_id"] == "chk_1" and "ValueError: boom" in failed["exc_info"]
    assert "tenant" not in outside and "check_id" not in outside


def test_an_explicit_extra_wins_over_the_context(lines) -> None:
    logger, stream = lines
    with logs.log_context(delivery_id="dlv_a", tenant="t"):
        logger.info("x", extra={"delivery_id": "dlv_b", "status_code": 500})
    (line,) = records(stream)
    assert line["delivery_id"] == "dlv_b" and line["status_code"] == 500 and line["tenant"] == "t"


def test_a_thread_sees_only_what_it_bound(lines) -> None:
    logger, stream = lines
    logs.bind(tenant="main-thread")
    try:
        thread = threading.Thread(target=lambda: logger.info("in a pool thread"))
        thread.start()
        thread.join()
    finally:
        logs.clear()
    assert "tenant" not in records(stream)[0]


def test_the_text_format_appends_the_ids() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("factdesk.test.text")
    logger.propagate = False
    logger.addHandler(logs.make_handler("text", stream))
    try:
        with logs.log_context(tenant="newsroom-a", check_id="chk_1"):
            logger.warning("slow source")
    finally:
        logger.handlers.clear()
    assert (
        stream.getvalue()
        .rstrip()
        .endswith("WARNING factdesk.test.text: slow source [tenant=newsroom-a check_id=chk_1]")
    )


def test_task_parameters_name_the_ids_of_each_task() -> None:
    from workers.tasks import run_check
    from workers.webhooks.tasks import deliver, draft_finished, fan_out

    assert task_fields(run_check, ["chk_1", "acme"], {}) == {"check_id": "chk_1", "tenant": "acme"}
    assert task_fields(fan_out, ["chk_1", "acme"], {}) == {"check_id": "chk_1", "tenant": "acme"}
    assert task_fields(deliver, ["dlv_1", 2, "acme"], {}) == {
        "delivery_id": "dlv_1",
        "attempt": 2,
        "tenant": "acme",
    }
    assert task_fields(draft_finished, [], {"draft_id": "drf_1", "tenant": "acme"}) == {
        "draft_id": "drf_1",
        "tenant": "acme",
    }
    assert task_fields(run_check, ["too", "many", "args"], {}) == {}
