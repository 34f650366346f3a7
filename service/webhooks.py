"""/v1/webhooks: register receivers, rotate their secrets, read and replay their deliveries."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from keyspace.webhooks import WebhookStore
from schemas.problem import ProblemSchema
from schemas.webhooks import (
    CallbackSecretSchema,
    DeliverySchema,
    NoInputSchema,
    WebhookCreateSchema,
    WebhookSchema,
    WebhookWithSecretSchema,
)
from service.auth import current_principal
from service.context import factdesk
from service.url_guard import refuse_unsafe_url
from workers.celery_app import TaskNames
from workers.webhooks.signing import generate_secret

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/v1/webhooks",
    description="Signed callbacks (Standard Webhooks) when checks and drafts finish.",
)


CALLBACK_SECRET_NEEDS_KEYS = (
    "The callback secret is only handed to an API key (create one with `factdesk keys "
    "create`), never to anonymous local requests; or register an endpoint (POST /v1/webhooks) "
    "to get a secret of its own."
)


def webhook_store() -> WebhookStore:
    return factdesk().stores.webhooks


@blp.route("")
class Webhooks(MethodView):
    @blp.response(200, WebhookSchema(many=True))
    def get(self) -> list[dict]:
        """List the registered endpoints (secrets are never listed)."""
        return webhook_store().list_endpoints()

    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookWithSecretSchema)
    @blp.alt_response(422, schema=ProblemSchema)
    def post(self, data: dict) -> tuple[dict, int, dict[str, str]]:
        """Register an endpoint; the response shows its `whsec_` secret, this once only."""
        refuse_unsafe_url(data["url"], "url")
        endpoint = webhook_store().create_endpoint(
            data["url"], data["events"], generate_secret(), data["description"]
        )
        return endpoint, 201, {"Location": url_for("webhooks.Webhook", webhook_id=endpoint["id"])}


@blp.route("/callback-secret")
class CallbackSecret(MethodView):
    @blp.response(200, CallbackSecretSchema)
    @blp.alt_response(403, schema=ProblemSchema)
    def get(self) -> dict:
        """The tenant's secret that signs deliveries to its checks' `callback_url`s.

        Each tenant has its own. Handed only to an API key: an anonymous local request could
        come from anything on the machine, which could then forge deliveries to receivers.
        """
        if current_principal().key_id is None:
            abort(403, message=CALLBACK_SECRET_NEEDS_KEYS)
        return {"secret": webhook_store().callback_secret(generate_secret)}


@blp.route("/<webhook_id>")
class Webhook(MethodView):
    @blp.response(200, WebhookSchema)
    @blp.alt_response(404, schema=ProblemSchema)
    def get(self, webhook_id: str) -> dict:
        """Fetch one endpoint."""
        return _endpoint_or_404(webhook_id)

    @blp.response(204)
    @blp.alt_response(404, schema=ProblemSchema)
    def delete(self, webhook_id: str) -> None:
        """Delete an endpoint; its pending deliveries are cancelled."""
        if not webhook_store().delete_endpoint(webhook_id):
            abort(404, message=f"No webhook {webhook_id}.")


@blp.route("/<webhook_id>/rotate-secret")
class RotateSecret(MethodView):
    accepts_empty_body = True  # an action: no body, or `{}`

    @blp.arguments(NoInputSchema, required=False)
    @blp.response(200, WebhookWithSecretSchema)
    @blp.alt_response(404, schema=ProblemSchema)
    def post(self, _: dict, webhook_id: str) -> dict:
        """Issue a new secret; the old one keeps signing (second signature) for 24 hours.

        Send no body (or `{}`).
        """
        grace = factdesk().settings.webhook_rotation_grace_s
        endpoint = webhook_store().rotate_secret(webhook_id, generate_secret(), grace)
        if endpoint is None:
            abort(404, message=f"No webhook {webhook_id}.")
        return endpoint


@blp.route("/<webhook_id>/enable")
class Enable(MethodView):
    accepts_empty_body = True  # an action: no body, or `{}`

    @blp.arguments(NoInputSchema, required=False)
    @blp.response(200, WebhookSchema)
    @blp.alt_response(404, schema=ProblemSchema)
    def post(self, _: dict, webhook_id: str) -> dict:
        """Put a disabled endpoint (after a 410, or failing for days) back in service.

        Send no body (or `{}`). Deliveries cancelled while it was disabled are not resent;
        redeliver the ones that matter.
        """
        endpoint = webhook_store().enable_endpoint(webhook_id)
        if endpoint is None:
            abort(404, message=f"No webhook {webhook_id}.")
        return endpoint


@blp.route("/<webhook_id>/deliveries")
class Deliveries(MethodView):
    @blp.response(200, DeliverySchema(many=True))
    @blp.alt_response(404, schema=ProblemSchema)
    def get(self, webhook_id: str) -> list[dict]:
        """The endpoint's last 100 deliveries, newest first, with every attempt."""
        _endpoint_or_404(webhook_id)
        return webhook_store().list_deliveries(webhook_id)


@blp.route("/<webhook_id>/deliveries/<delivery_id>/redeliver")
class Redeliver(MethodView):
    accepts_empty_body = True  # an action: no body, or `{}`

    @blp.arguments(NoInputSchema, required=False)
    @blp.response(202, DeliverySchema)
    @blp.alt_response(404, schema=ProblemSchema)
    @blp.alt_response(409, schema=ProblemSchema)
    def post(self, _: dict, webhook_id: str, delivery_id: str) -> dict:
        """Send a delivery again, with the same webhook-id (send no body, or `{}`)."""
        endpoint = _endpoint_or_404(webhook_id)
        if endpoint["state"] != "enabled":
            reason = endpoint.get("disabled_reason", "disabled")
            abort(409, message=f"Webhook {webhook_id} is disabled ({reason}).")
        store = webhook_store()
        delivery = store.get_delivery(delivery_id)
        if delivery is None or delivery.get("webhook_id") != webhook_id:
            abort(404, message=f"No delivery {delivery_id} for webhook {webhook_id}.")
        delivery = store.reopen(delivery_id)
        factdesk().celery.send_task(
            TaskNames.WEBHOOK_DELIVER,
            args=[delivery_id, delivery["attempts"] + 1, factdesk().tenant],
        )
        return delivery


def _endpoint_or_404(webhook_id: str) -> dict:
    endpoint = webhook_store().get_endpoint(webhook_id)
    if endpoint is None:
        abort(404, message=f"No webhook {webhook_id}.")
    return endpoint
