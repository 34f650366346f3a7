"""POST /v1/webhooks/{id}/enable puts an automatically disabled endpoint back in service."""

from __future__ import annotations

from keyspace.stores import Stores

PUBLIC_URL = "https://93.184.216.34/hook"  # a public address: the SSRF guard lets it register


def test_a_disabled_endpoint_can_be_enabled_again(client, stores: Stores) -> None:
    endpoint = client.post("/v1/webhooks", json={"url": PUBLIC_URL}).get_json()
    stores.webhooks.disable_endpoint(endpoint["id"], "failing for 432000 s without a success")
    failing = stores.keys.webhook_failing_since(endpoint["id"])
    stores.redis.set(failing, "1000")
    assert client.get(f"/v1/webhooks/{endpoint['id']}").get_json()["state"] == "disabled"

    response = client.post(f"/v1/webhooks/{endpoint['id']}/enable")
    assert response.status_code == 200, response.get_data(as_text=True)
    enabled = response.get_json()
    assert enabled["state"] == "enabled" and "disabled_reason" not in enabled
    assert "secret" not in enabled
    assert client.get(f"/v1/webhooks/{endpoint['id']}").get_json()["state"] == "enabled"
    assert stores.redis.get(failing) is None  # the failure clock starts afresh
    client.delete(f"/v1/webhooks/{endpoint['id']}")


def test_enabling_an_unknown_endpoint_is_404(client) -> None:
    response = client.post(f"/v1/webhooks/wh_{'0' * 20}/enable")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
