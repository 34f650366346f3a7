"""GET /v1/webhooks/callback-secret: readable only behind API keys (real Redis, in-process app)."""

from __future__ import annotations

import uuid

from keyspace.stores import Stores
from service.app import create_app
from settings import load_settings
from workers.webhooks.signing import generate_secret

PATH = "/v1/webhooks/callback-secret"


def client_for(redis_url: str, **settings: object):
    prefix = f"fdsecret{uuid.uuid4().hex}"  # a deployment of its own: no secret stored yet
    configured = load_settings(env={}, redis_url=redis_url, key_prefix=prefix, **settings)
    return create_app(configured, {"TESTING": True}).test_client(), configured


def test_without_api_keys_the_secret_is_refused_with_a_problem(redis_url: str) -> None:
    client, _ = client_for(redis_url, webhook_callback_secret="whsec_c2VjcmV0c2VjcmV0")
    response = client.get(PATH)
    assert response.status_code == 403
    assert response.content_type.startswith("application/problem+json")
    problem = response.get_json()
    assert "FACTDESK_API_KEYS" in problem["detail"]
    assert "whsec_" not in response.get_data(as_text=True)


def test_with_api_keys_a_key_holder_reads_the_secret_the_worker_signs_with(
    redis_url: str,
) -> None:
    client, settings = client_for(redis_url, api_keys="k-one,k-two")
    assert client.get(PATH).status_code == 401  # no key
    response = client.get(PATH, headers={"Authorization": "Bearer k-two"})
    assert response.status_code == 200
    secret = response.get_json()["secret"]
    assert secret.startswith("whsec_")
    again = client.get(PATH, headers={"Authorization": "Bearer k-one"}).get_json()["secret"]
    assert again == secret  # generated once, then kept
    stores = Stores.from_settings(settings)
    worker_view = stores.webhooks
    assert worker_view.callback_secret(settings.webhook_callback_secret, generate_secret) == secret
    stores.redis.close()


def test_a_configured_secret_is_the_one_handed_out(redis_url: str) -> None:
    configured = "whsec_c2VjcmV0c2VjcmV0"
    client, _ = client_for(redis_url, api_keys="k", webhook_callback_secret=configured)
    response = client.get(PATH, headers={"Authorization": "Bearer k"})
    assert response.get_json() == {"secret": configured}
