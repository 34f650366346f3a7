"""Standard Webhooks signatures: `sign()` for the sender, `verify_webhook()` for receivers.

The scheme (https://www.standardwebhooks.com): the signed content is "{id}.{timestamp}.{body}",
the MAC is HMAC-SHA256 under the base64-decoded secret, and the `webhook-signature` header holds
space-separated "v1,<base64>" entries so a sender can sign with an old and a new secret while a
secret is being rotated. `verify_webhook()` computes its expectation with `sign()`, so the two
cannot drift apart, and every malformed input ends as the one `WebhookVerificationError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterable, Mapping

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
TOLERANCE_SECONDS = 5 * 60  # the spec's replay window, both directions


class WebhookVerificationError(Exception):
    """A webhook's headers or signature do not prove it came from the holder of the secret."""


def generate_secret(n_bytes: int = 24) -> str:
    """Return a fresh random secret in the spec's `whsec_<base64>` form."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(n_bytes)).decode("ascii")


def secret_key(secret: str | bytes) -> bytes:
    """Decode a `whsec_` (or bare base64) secret into the HMAC key; raw bytes pass through."""
    if isinstance(secret, bytes):
        key = secret
    else:
        encoded = secret.removeprefix(SECRET_PREFIX)
        try:
            # Extra "=" is ignored by the decoder, so unpadded secrets decode too.
            key = base64.b64decode(encoded + "==", validate=True)
        except (binascii.Error, ValueError) as e:
            raise WebhookVerificationError("webhook secret is not valid base64") from e
    if not key:
        raise WebhookVerificationError("webhook secret is empty")
    return key


def sign(secret: str | bytes, msg_id: str, timestamp: int, body: str | bytes) -> str:
    """Return the "v1,<base64 HMAC-SHA256>" signature of one message."""
    payload = body if isinstance(body, bytes) else body.encode("utf-8")
    to_sign = f"{msg_id}.{timestamp}.".encode() + payload
    mac = hmac.new(secret_key(secret), to_sign, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(mac).decode('ascii')}"


def signature_header(
    secrets_: Iterable[str | bytes], msg_id: str, timestamp: int, body: str | bytes
) -> str:
    """Sign with every secret (current first) and join the entries with spaces."""
    return " ".join(sign(secret, msg_id, timestamp, body) for secret in secrets_)


def verify_webhook(
    secret: str | bytes,
    body: str | bytes,
    headers: Mapping[str, str],
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> object:
    """Check a received webhook and return its JSON body.

    Raises WebhookVerificationError when a header is missing or malformed, the timestamp is
    outside `tolerance` seconds of `now`, no `v1` entry matches, or the body is not JSON.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = lowered.get("webhook-id")
    timestamp_header = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not (msg_id and timestamp_header and signatures):
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")

    timestamp = _checked_timestamp(timestamp_header, tolerance, time.time() if now is None else now)
    expected = _signature_bytes(sign(secret, msg_id, timestamp, body))
    if not any(
        hmac.compare_digest(expected, candidate) for candidate in _v1_signatures(signatures)
    ):
        raise WebhookVerificationError("no matching signature")
    try:
        return json.loads(body)
    except ValueError as e:
        raise WebhookVerificationError("body is not JSON") from e


def _checked_timestamp(header: str, tolerance: int, now: float) -> int:
    try:
        timestamp = int(header)
    except ValueError as e:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from e
    if timestamp < now - tolerance:
        raise WebhookVerificationError("message timestamp too old")
    if timestamp > now + tolerance:
        raise WebhookVerificationError("message timestamp too new")
    return timestamp


def _v1_signatures(header: str) -> list[bytes]:
    """Decode every "v1,<base64>" entry; skip other versions and entries that are not signatures."""
    found = []
    for entry in header.split():
        version, _, encoded = entry.partition(",")
        if version != SIGNATURE_VERSION or not encoded:
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def _signature_bytes(signature: str) -> bytes:
    return base64.b64decode(signature.partition(",")[2])
