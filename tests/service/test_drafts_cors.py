"""CORS: browsers on configured CMS origins may call the API; others get no CORS headers."""

from __future__ import annotations

import pytest

from service.app import create_app
from settings import Settings, load_settings

CMS = "https://cms.newsroom.example"


@pytest.fixture
def cors_client(settings: Settings):
    configured = load_settings(
        env={},
        redis_url=settings.redis_url,
        key_prefix=settings.key_prefix,
        cors_origins=f"{CMS}, https://b.example",
    )
    return create_app(configured, {"TESTING": True}).test_client()


def test_allowed_origin_gets_cors_headers(cors_client) -> None:
    response = cors_client.get("/v1/drafts/dft_nope", headers={"Origin": CMS})
    assert response.status_code == 404  # CORS headers ride on errors too
    assert response.headers["Access-Control-Allow-Origin"] == CMS
    assert "Origin" in response.headers["Vary"]
    assert "location" in response.headers["Access-Control-Expose-Headers"]


def test_preflight_for_a_draft_post_is_answered(cors_client) -> None:
    response = cors_client.options(
        "/v1/drafts",
        headers={
            "Origin": CMS,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == CMS
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"]


def test_other_origins_get_no_cors_headers(cors_client) -> None:
    response = cors_client.get("/v1/drafts/dft_nope", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_no_origins_configured_means_same_origin_only(client) -> None:
    response = client.get("/healthz", headers={"Origin": CMS})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_wildcard_allows_any_origin(settings: Settings) -> None:
    configured = load_settings(env={}, redis_url=settings.redis_url, cors_origins="*")
    client = create_app(configured, {"TESTING": True}).test_client()
    response = client.get("/healthz", headers={"Origin": "https://any.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://any.example"
