"""Each request's access line (in process, real Redis): its request id, tenant and key id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from live_stack import TEST_TENANT

from workers import logs

MISSING_CHECK = "chk_" + "0" * 20


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logs.make_handler("json", stream)
    logger = logging.getLogger("factdesk.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_access_line_names_request_tenant_key_and_path_ids(
    client: FlaskClient, access_lines: io.StringIO
) -> None:
    response = client.get(f"/v1/checks/{MISSING_CHECK}", headers={"X-Request-Id": "abc-123"})
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] == "abc-123"

    (line,) = lines(access_lines)
    assert line["logger"] == "factdesk.access" and line["message"].endswith(" 404")
    assert (line["request_id"], line["tenant"]) == ("abc-123", TEST_TENANT)
    assert line["key_id"].startswith("key_")
    assert (line["check_id"], line["route"], line["status"]) == (
        MISSING_CHECK,
        "/v1/checks/<check_id>",
        404,
    )
    assert logs.current() == {}  # nothing stays bound to the thread after the request


@pytest.mark.parametrize("given", ["", "x" * 65, "has space", "a/b", "ünï", "id;drop"])
def test_a_request_id_that_is_no_plain_token_is_replaced(client: FlaskClient, given: str) -> None:
    response = client.get("/healthz", headers={"X-Request-Id": given})
    echoed = response.headers["X-Request-Id"]
    assert echoed != given and len(echoed) == 32 and echoed.isalnum()


def test_a_refused_request_is_logged_without_a_tenant(app, access_lines: io.StringIO) -> None:
    response = app.test_client().get("/v1/articles", headers={"Authorization": "Bearer fd_nope"})
    assert response.status_code == 401
    (line,) = lines(access_lines)
    assert line["status"] == 401 and "tenant" not in line and line["request_id"]


def test_successful_probes_write_no_access_line(
    client: FlaskClient, access_lines: io.StringIO
) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200
    assert lines(access_lines) == []
