"""With FACTDESK_API_KEYS set, /v1 needs `Authorization: Bearer <key>`; probes stay public."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.app import create_app


@pytest.fixture
def locked(settings):
    return create_app(replace(settings, api_keys="key-one, key-two")).test_client()


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Basic key-one", "key-one", "Bearer key-one-and-more"]
)
def test_missing_or_wrong_key_is_401(locked, header) -> None:
    headers = {"Authorization": header} if header else {}
    response = locked.get("/v1/articles", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "Authorization" in response.get_json()["errors"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_auth_is_checked_before_the_body(locked) -> None:
    response = locked.post("/v1/articles", data="not json", content_type="text/plain")
    assert response.status_code == 401


@pytest.mark.parametrize("key", ["key-one", "key-two"])
def test_any_configured_key_opens_the_api(locked, key: str) -> None:
    response = locked.get("/v1/articles", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/docs"])
def test_probes_and_reference_stay_public(locked, path: str) -> None:
    assert locked.get(path).status_code == 200


def test_no_keys_means_no_auth(client) -> None:
    assert client.get("/v1/articles").status_code == 200
