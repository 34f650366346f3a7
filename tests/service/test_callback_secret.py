"""GET /v1/webhooks/callback-secret: each tenant's own secret, handed only to an API key."""

from __future__ import annotations

from keyspace.stores import Stores
from workers.webhooks.signing import generate_secret

PATH = "/v1/webhooks/callback-secret"


def test_anonymous_local_requests_are_refused_the_secret(app) -> None:
    response = app.test_client().get(PATH)  # loopback, no key exists: anonymous
    assert response.status_code == 403
    assert response.content_type.startswith("application/problem+json")
    assert "factdesk keys create" in response.get_json()["detail"]
    assert "whsec_" not in response.get_data(as_text=True)


def test_a_key_holder_reads_the_secret_the_worker_signs_with(client, stores: Stores) -> None:
    response = client.get(PATH)
    assert response.status_code == 200
    secret = response.get_json()["secret"]
    assert secret.startswith("whsec_")
    assert client.get(PATH).get_json()["secret"] == secret  # generated once, then kept
    assert stores.webhooks.callback_secret(generate_secret) == secret  # what fan-out signs with


def test_each_tenant_has_its_own_secret(app, make_key) -> None:
    first, second = make_key("newsroom-a"), make_key("newsroom-b")
    client = app.test_client()
    secrets = {
        client.get(PATH, headers={"Authorization": f"Bearer {key}"}).get_json()["secret"]
        for key in (first, second)
    }
    assert len(secrets) == 2


def test_the_secret_needs_the_webhooks_manage_scope(app, make_key) -> None:
    key = make_key(scopes=("read", "checks:write"))
    response = app.test_client().get(PATH, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403
    assert "whsec_" not in response.get_data(as_text=True)
