"""Signatures against the Standard Webhooks spec's own known-answer vector and failure modes."""

from __future__ import annotations

import time

import pytest

from workers.webhooks.signing import (
    WebhookVerificationError,
    generate_secret,
    secret_key,
    sign,
    signature_header,
    verify_webhook,
)

# The known-answer vector of the spec's reference library: repo standard-webhooks/standard-webhooks,
# libraries/python/tests/test_webhooks.py, test_sign_function.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_PAYLOAD = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def spec_headers(**overrides: str) -> dict[str, str]:
    headers = {
        "webhook-id": SPEC_MSG_ID,
        "webhook-timestamp": str(SPEC_TIMESTAMP),
        "webhook-signature": SPEC_SIGNATURE,
    }
    headers.update(overrides)
    return headers


def verify_spec(headers: dict[str, str], secret: str = SPEC_SECRET, body: str = SPEC_PAYLOAD):
    return verify_webhook(secret, body, headers, now=SPEC_TIMESTAMP)


def test_sign_matches_the_spec_vector() -> None:
    assert sign(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD) == SPEC_SIGNATURE


def test_sign_accepts_bytes_body_and_secret_without_prefix() -> None:
    bare = SPEC_SECRET.removeprefix("whsec_")
    assert sign(bare, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD.encode()) == SPEC_SIGNATURE


def test_verify_accepts_the_spec_vector_and_returns_json() -> None:
    assert verify_spec(spec_headers()) == {"test": 2432232314}


def test_verify_accepts_header_names_in_any_case() -> None:
    headers = {name.title(): value for name, value in spec_headers().items()}
    assert verify_spec(headers) == {"test": 2432232314}


def test_verify_finds_the_valid_entry_among_several_signatures() -> None:
    wrong = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
    other_version = "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
    header = " ".join([wrong, other_version, SPEC_SIGNATURE, wrong])
    assert verify_spec(spec_headers(**{"webhook-signature": header})) == {"test": 2432232314}


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_raises(missing: str) -> None:
    headers = spec_headers()
    del headers[missing]
    with pytest.raises(WebhookVerificationError):
        verify_spec(headers)


def test_non_integer_timestamp_raises() -> None:
    with pytest.raises(WebhookVerificationError, match="integer"):
        verify_spec(spec_headers(**{"webhook-timestamp": "hello"}))


def test_old_timestamp_raises() -> None:
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(SPEC_SECRET, SPEC_PAYLOAD, spec_headers(), now=SPEC_TIMESTAMP + 301)


def test_new_timestamp_raises() -> None:
    with pytest.raises(WebhookVerificationError, match="too new"):
        verify_webhook(SPEC_SECRET, SPEC_PAYLOAD, spec_headers(), now=SPEC_TIMESTAMP - 301)


def test_wrong_signature_raises() -> None:
    # The spec vector with its last base64 character changed.
    forged = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="
    with pytest.raises(WebhookVerificationError, match="no matching"):
        verify_spec(spec_headers(**{"webhook-signature": forged}))


def test_tampered_body_raises() -> None:
    with pytest.raises(WebhookVerificationError):
        verify_spec(spec_headers(), body='{"test": 2432232315}')


def test_wrong_secret_raises() -> None:
    with pytest.raises(WebhookVerificationError):
        verify_spec(spec_headers(), secret=generate_secret())


@pytest.mark.parametrize("entry", ["v1", "v1,", "v1,not*base64", "garbage", "v1,abc"])
def test_malformed_signature_entries_raise_the_library_error(entry: str) -> None:
    with pytest.raises(WebhookVerificationError):
        verify_spec(spec_headers(**{"webhook-signature": entry}))


def test_malformed_secret_raises_the_library_error() -> None:
    with pytest.raises(WebhookVerificationError):
        secret_key("whsec_***")
    with pytest.raises(WebhookVerificationError):
        secret_key("whsec_")


def test_signed_body_that_is_not_json_raises() -> None:
    body = "not json"
    signature = sign(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, body)
    headers = spec_headers(**{"webhook-signature": signature})
    with pytest.raises(WebhookVerificationError, match="JSON"):
        verify_spec(headers, body=body)


def test_generated_secret_round_trips() -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_")
    assert len(secret_key(secret)) == 24
    now = int(time.time())
    body = '{"type": "check.completed"}'
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": sign(secret, "msg_1", now, body),
    }
    assert verify_webhook(secret, body, headers) == {"type": "check.completed"}


def test_rotation_header_verifies_under_old_and_new_secret() -> None:
    old, new = generate_secret(), generate_secret()
    now = int(time.time())
    body = "{}"
    header = signature_header([new, old], "msg_2", now, body)
    assert len(header.split(" ")) == 2
    headers = {"webhook-id": "msg_2", "webhook-timestamp": str(now), "webhook-signature": header}
    assert verify_webhook(old, body, headers) == {}
    assert verify_webhook(new, body, headers) == {}
