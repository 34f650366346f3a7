"""The OpenAPI document and the /docs page are generated from the validating schemas."""

from __future__ import annotations

import json

from settings import PROJECT_ROOT

COMMITTED = PROJECT_ROOT / "docs" / "openapi.json"


def test_the_committed_openapi_document_is_the_one_the_code_serves(client) -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    served = client.get("/openapi.json").get_json()
    assert served == committed, "docs/openapi.json is stale: run `make openapi` and commit it"


def test_openapi_lists_every_v1_operation(client) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    operations = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert {
        ("/v1/articles", "get"),
        ("/v1/articles", "post"),
        ("/v1/articles/{article_id}", "get"),
        ("/v1/articles/{article_id}", "put"),
        ("/v1/articles/{article_id}", "delete"),
        ("/v1/checks", "post"),
        ("/v1/checks/{check_id}", "get"),
    } <= operations


def test_openapi_carries_the_limits(client) -> None:
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    assert schemas["CheckCreate"]["properties"]["claim"]["maxLength"] == 1000
    assert schemas["CheckCreate"]["required"] == ["claim"]
    assert set(schemas["Problem"]["properties"]) >= {"type", "title", "status", "detail"}


def test_openapi_documents_the_api_key_scheme(client) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_docs_page_is_self_contained_html(client) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/v1/checks/{check_id}" in page
    assert "<script" not in page and "https://cdn" not in page


def test_healthz_needs_nothing(client) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_openapi_documents_the_idempotency_header_and_wait(client) -> None:
    post = client.get("/openapi.json").get_json()["paths"]["/v1/checks"]["post"]
    params = {(p["in"], p["name"]) for p in post["parameters"]}
    assert {("header", "Idempotency-Key"), ("query", "wait")} <= params
