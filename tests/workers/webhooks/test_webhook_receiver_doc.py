"""The copy-paste receiver in docs/cms-plugin.md works: spec vector in, forgeries out."""

from __future__ import annotations

import re
import types

import pytest
from flask import Flask

from settings import PROJECT_ROOT
from workers.webhooks.signing import generate_secret, sign

DOC = PROJECT_ROOT / "docs" / "cms-plugin.md"
# The Standard Webhooks reference library's known-answer vector (see test_webhook_signing.py).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_PAYLOAD = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def receiver_source() -> str:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    (source,) = [b for b in blocks if "factdesk-hook" in b]
    return source


def test_receiver_is_at_most_15_lines() -> None:
    lines = [line for line in receiver_source().splitlines() if line.strip()]
    assert len(lines) <= 15


@pytest.fixture
def receiver() -> tuple[Flask, list[object]]:
    handled: list[object] = []
    namespace: dict[str, object] = {"__name__": "receiver_doc"}
    exec(receiver_source(), namespace)  # noqa: S102 - running the documented snippet is the point
    namespace["SECRET"] = SPEC_SECRET
    namespace["handle"] = handled.append
    # Pin the clock to the vector's timestamp so its 2021 message is "fresh".
    namespace["time"] = types.SimpleNamespace(time=lambda: SPEC_TIMESTAMP + 10)
    return namespace["app"], handled  # type: ignore[return-value]


def post(app: Flask, body: str, **headers: str) -> int:
    base = {
        "webhook-id": SPEC_MSG_ID,
        "webhook-timestamp": str(SPEC_TIMESTAMP),
        "webhook-signature": SPEC_SIGNATURE,
        "content-type": "application/json",
    }
    base.update(headers)
    return app.test_client().post("/factdesk-hook", data=body, headers=base).status_code


def test_receiver_accepts_the_spec_vector(receiver) -> None:  # noqa: ANN001
    app, handled = receiver
    assert post(app, SPEC_PAYLOAD) == 204
    assert handled == [{"test": 2432232314}]


def test_receiver_accepts_a_rotation_header(receiver) -> None:  # noqa: ANN001
    app, handled = receiver
    other = sign(generate_secret(), SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD)
    assert post(app, SPEC_PAYLOAD, **{"webhook-signature": f"{other} {SPEC_SIGNATURE}"}) == 204


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ('{"test": 2432232315}', {}),  # tampered body
        (SPEC_PAYLOAD, {"webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="}),
        (SPEC_PAYLOAD, {"webhook-id": "msg_other"}),
        (
            SPEC_PAYLOAD,
            {
                "webhook-timestamp": str(SPEC_TIMESTAMP - 600),  # validly signed, stale
                "webhook-signature": sign(
                    SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP - 600, SPEC_PAYLOAD
                ),
            },
        ),
        (SPEC_PAYLOAD, {"webhook-signature": ""}),
    ],
)
def test_receiver_refuses_forgeries(receiver, body: str, headers: dict) -> None:  # noqa: ANN001
    app, handled = receiver
    assert post(app, body, **headers) == 401
    assert handled == []
