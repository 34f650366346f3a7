"""Request and response bodies of /v1/webhooks."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from schemas.limits import MAX_URL_CHARS

EVENT_TYPES = ("check.completed", "check.failed", "draft.completed")


class WebhookCreateSchema(ma.Schema):
    url = ma.fields.Url(
        required=True,
        require_tld=False,
        schemes={"http", "https"},
        validate=validate.Length(max=MAX_URL_CHARS),
    )
    events = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(EVENT_TYPES)),
        load_default=lambda: list(EVENT_TYPES),
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata={"description": f"Default: all of {', '.join(EVENT_TYPES)}"},
    )
    description = ma.fields.String(load_default="", validate=validate.Length(max=200))

    @ma.post_load
    def _dedupe_events(self, data: dict, **kwargs: object) -> dict:
        data["events"] = [e for e in EVENT_TYPES if e in data["events"]]
        return data


class WebhookSchema(ma.Schema):
    id = ma.fields.String()
    url = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    description = ma.fields.String()
    state = ma.fields.String(metadata={"description": "enabled, or disabled (after a 410)"})
    disabled_reason = ma.fields.String()
    created_at = ma.fields.String()
    previous_secret_expires = ma.fields.Integer(
        metadata={"description": "Unix time the pre-rotation secret stops being signed with"}
    )


class WebhookWithSecretSchema(WebhookSchema):
    secret = ma.fields.String(metadata={"description": "whsec_…; shown only on create/rotate"})


class AttemptSchema(ma.Schema):
    attempt = ma.fields.Integer()
    at = ma.fields.Float(metadata={"description": "Unix time"})
    status_code = ma.fields.Integer(allow_none=True)
    latency_ms = ma.fields.Integer()
    error = ma.fields.String(allow_none=True)


class DeliverySchema(ma.Schema):
    id = ma.fields.String()
    webhook_id = ma.fields.String(allow_none=True)
    msg_id = ma.fields.String(metadata={"description": "The webhook-id header; same on retries"})
    event_type = ma.fields.String()
    url = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending, succeeded, failed, cancelled"})
    attempts = ma.fields.Integer()
    last_status_code = ma.fields.Integer()
    last_latency_ms = ma.fields.Integer()
    last_error = ma.fields.String()
    next_attempt_at = ma.fields.Float()
    created_at = ma.fields.String()
    attempt_log = ma.fields.List(ma.fields.Nested(AttemptSchema))


class NoInputSchema(ma.Schema):
    """The body of an action that takes no input: nothing, or `{}`."""

    class Meta:
        unknown = ma.RAISE


class CallbackSecretSchema(ma.Schema):
    secret = ma.fields.String(metadata={"description": "Signs deliveries to `callback_url`s"})
