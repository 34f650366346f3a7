"""Outgoing webhooks: Standard Webhooks signing, an SSRF guard, and the delivery task."""

from workers.webhooks.signing import (
    WebhookVerificationError,
    generate_secret,
    sign,
    verify_webhook,
)

__all__ = ["WebhookVerificationError", "generate_secret", "sign", "verify_webhook"]
