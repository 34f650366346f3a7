"""/v1 needs `Authorization: Bearer fd_…` (a tenant's key with the endpoint's scope); probes
stay public; anonymous requests only from loopback while no key exists."""

from __future__ import annotations

import pytest

REMOTE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def anonymous(app):
    """A client that sends no key (the `client` fixture sends one)."""
    return app.test_client()


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Basic {key}", "{key}", "Bearer {key}x", "Bearer "]
)
def test_missing_or_wrong_key_is_401(anonymous, api_key: str, header: str | None) -> None:
    headers = {"Authorization": header.format(key=api_key)} if header else {}
    response = anonymous.get("/v1/articles", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "Authorization" in response.get_json()["errors"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_auth_is_checked_before_the_body(anonymous, api_key: str) -> None:
    response = anonymous.post("/v1/articles", data="not json", content_type="text/plain")
    assert response.status_code == 401


def test_a_valid_key_opens_the_api(client) -> None:
    assert client.get("/v1/articles").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/docs"])
def test_probes_and_reference_stay_public(anonymous, api_key: str, path: str) -> None:
    assert anonymous.get(path).status_code == 200


def test_without_any_key_loopback_is_anonymous_tenant_local(anonymous) -> None:
    created = anonymous.post("/v1/articles", json={"text": "A local article."})
    assert created.status_code == 201
    assert anonymous.get(f"/v1/articles/{created.get_json()['id']}").status_code == 200


def test_without_any_key_a_remote_address_is_401(anonymous) -> None:
    assert anonymous.get("/v1/articles", environ_base=REMOTE).status_code == 401


def test_once_a_key_exists_loopback_needs_it_too(anonymous, make_key) -> None:
    assert anonymous.get("/v1/articles").status_code == 200
    make_key()
    assert anonymous.get("/v1/articles").status_code == 401


def test_revocation_holds_on_the_next_request(app, stores, make_key) -> None:
    key = make_key()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/v1/articles", headers=headers).status_code == 200
    (record,) = stores.api_keys.list()
    stores.api_keys.revoke(record["id"])
    assert client.get("/v1/articles", headers=headers).status_code == 401


def test_a_key_without_the_scope_is_403_and_changes_nothing(app, stores, make_key) -> None:
    key = make_key(scopes=("read",))
    client = app.test_client()
    response = client.post(
        "/v1/articles", json={"text": "Nope."}, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "articles:write" in response.get_json()["detail"]
    assert stores.articles.page(0, 10) == ([], 0)


def test_failed_authentication_is_rate_limited_per_address(app, settings, api_key: str) -> None:
    client = app.test_client()
    for _ in range(settings.failed_auth_per_minute):
        assert (
            client.get("/v1/articles", headers={"Authorization": "Bearer fd_x"}).status_code == 401
        )
    refused = client.get("/v1/articles", headers={"Authorization": "Bearer fd_x"})
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # Even the right key waits: the address is locked out, not the key guessed at.
    assert (
        client.get("/v1/articles", headers={"Authorization": f"Bearer {api_key}"}).status_code
        == 429
    )
    other = client.get(
        "/v1/articles", headers={"Authorization": f"Bearer {api_key}"}, environ_base=REMOTE
    )
    assert other.status_code == 200


def test_the_openapi_document_names_the_bearer_scheme_and_each_scope(anonymous) -> None:
    spec = anonymous.get("/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    operation = spec["paths"]["/v1/articles/{article_id}"]["delete"]
    assert operation["security"] == [{"apiKey": ["articles:write"]}]
    assert {"401", "403", "429"} <= set(operation["responses"])
    assert "application/problem+json" in operation["responses"]["403"]["content"]
    assert "API key scope: <code>read</code>" in anonymous.get("/docs").get_data(as_text=True)
