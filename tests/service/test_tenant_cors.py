"""Per-tenant browser origins: a key is usable from the origins its tenant allows, only."""

from __future__ import annotations

import pytest

from service.cli import main

CMS = "https://cms.herald.example"
OTHER_CMS = "https://cms.globe.example"


@pytest.fixture
def herald(app, stores, make_key):
    key = make_key("herald")
    stores.api_keys.create("globe")
    assert stores.api_keys.set_cors_origins("herald", [CMS + "/"])
    assert stores.api_keys.set_cors_origins("globe", [OTHER_CMS])
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_a_preflight_from_a_tenants_origin_is_answered(app, herald) -> None:
    response = app.test_client().options(
        "/v1/drafts",
        headers={
            "Origin": CMS,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.headers["Access-Control-Allow-Origin"] == CMS
    assert "authorization" in response.headers["Access-Control-Allow-Headers"]


def test_a_preflight_from_an_unknown_origin_gets_no_cors_headers(app, herald) -> None:
    response = app.test_client().options(
        "/v1/drafts",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_key_works_from_its_tenants_origin(herald) -> None:
    response = herald.get("/v1/articles", headers={"Origin": CMS})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == CMS


def test_the_key_is_refused_from_another_tenants_origin(herald, stores) -> None:
    response = herald.post(
        "/v1/articles", json={"text": "From the wrong CMS."}, headers={"Origin": OTHER_CMS}
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "Origin" in response.get_json()["errors"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert stores.for_tenant("herald").articles.page(0, 5) == ([], 0)  # nothing stored


def test_same_origin_and_originless_requests_need_no_listing(client) -> None:
    assert client.get("/v1/articles", headers={"Origin": "http://localhost"}).status_code == 200
    assert client.get("/v1/articles").status_code == 200


def test_clearing_a_tenants_origins_removes_them_from_preflights(app, herald, stores) -> None:
    stores.api_keys.set_cors_origins("herald", [])
    assert not stores.api_keys.origin_allowed_somewhere(CMS)
    assert stores.api_keys.origin_allowed_somewhere(OTHER_CMS)  # globe still allows its own


def test_an_origin_must_be_scheme_host_port(stores) -> None:
    stores.api_keys.create("herald")
    with pytest.raises(ValueError, match="origin"):
        stores.api_keys.set_cors_origins("herald", ["cms.herald.example/path"])


def test_the_cli_sets_origins(monkeypatch, settings, stores, capsys) -> None:
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    monkeypatch.setenv("FACTDESK_KEY_PREFIX", settings.key_prefix)
    stores.api_keys.create("herald")
    assert main(["keys", "origins", "--tenant", "herald", CMS]) == 0
    assert stores.api_keys.tenant("herald")["cors_origins"] == [CMS]
    assert main(["keys", "origins", "--tenant", "nobody", CMS]) == 1
    assert main(["keys", "origins", "--tenant", "herald", "javascript:alert(1)"]) == 2
