"""Every rejected request is RFC 9457 problem+json naming the field, and stores nothing."""

from __future__ import annotations

import pytest

from keyspace.articles import ArticleStore
from keyspace.stores import Stores
from schemas.limits import MAX_ARTICLE_BYTES, MAX_BODY_BYTES, MAX_CLAIM_CHARS

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    if field is not None:
        assert field in body["errors"], body
    return body


def stored_keys(stores: Stores) -> set[str]:
    """Every key under the test's own prefix (no other test writes there)."""
    return set(stores.redis.scan_iter(match=stores.keys.pattern()))


@pytest.fixture
def article_id(client, demo_text: str) -> str:
    return client.post("/v1/articles", json={"text": demo_text}).get_json()["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * (MAX_ARTICLE_BYTES + 1)}, "text"),
        ({"text": "é" * (MAX_ARTICLE_BYTES // 2 + 1)}, "text"),  # bytes, not characters
        ({"text": "ok", "url": "not a url"}, "url"),
        ({"text": "ok", "published_at": "yesterday"}, "published_at"),
        ({"text": "ok", "colour": "red"}, "colour"),
        ({"text": 42}, "text"),
    ],
)
def test_invalid_article_is_422_naming_the_field(client, stores, body, field) -> None:
    before = stored_keys(stores)
    assert_problem(client.post("/v1/articles", json=body), 422, field)
    assert stored_keys(stores) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "claim"),
        ({"claim": "", "sources": ["wikipedia"]}, "claim"),
        ({"claim": " \n ", "sources": ["wikipedia"]}, "claim"),
        ({"claim": "x" * (MAX_CLAIM_CHARS + 1), "sources": ["wikipedia"]}, "claim"),
        ({"claim": "France endorsed Rutte", "sources": ["article"]}, "article_id"),
        ({"claim": "France endorsed Rutte", "article_id": "art_missing"}, "article_id"),
        ({"claim": "c", "sources": ["tarot"]}, "sources.0"),
        ({"claim": "c", "sources": []}, "sources"),
        ({"claim": "c", "sources": ["wikipedia"], "callback_url": "ftp://x"}, "callback_url"),
        ({"claim": "c", "sources": ["wikipedia"], "metadata": {"k": "v" * 5000}}, "metadata"),
        ({"claim": "c", "sources": ["wikipedia"], "priority": 1}, "priority"),
        ({"claim": "c", "sources": ["wikipedia"], "article_revision": "abc"}, "article_revision"),
    ],
)
def test_invalid_check_is_422_naming_the_field(client, stores, body, field) -> None:
    before = stored_keys(stores)
    assert_problem(client.post("/v1/checks", json=body), 422, field)
    assert stored_keys(stores) == before


def test_article_of_exactly_the_limit_is_accepted(client) -> None:
    text = "é" * (MAX_ARTICLE_BYTES // 2)  # 2 bytes each in UTF-8: exactly the limit
    response = client.post("/v1/articles", json={"text": text})
    assert response.status_code == 201
    client.delete(f"/v1/articles/{response.get_json()['id']}")


def test_claim_of_exactly_the_limit_is_accepted(client, article_id: str) -> None:
    claim = "x" * MAX_CLAIM_CHARS
    response = client.post("/v1/checks", json={"claim": claim, "article_id": article_id})
    assert response.status_code in {200, 202}


def test_unknown_article_revision_is_422(client, stores, article_id: str) -> None:
    before = stored_keys(stores)
    body = {"claim": "c", "article_id": article_id, "article_revision": "0000000000000000"}
    assert_problem(client.post("/v1/checks", json=body), 422, "article_revision")
    assert stored_keys(stores) == before


def test_body_that_is_not_json_is_400(client, stores) -> None:
    before = stored_keys(stores)
    response = client.post("/v1/articles", data="{not json", content_type="application/json")
    assert_problem(response, 400, "body")
    assert stored_keys(stores) == before


def test_json_that_is_not_an_object_is_422(client) -> None:
    assert_problem(client.post("/v1/checks", json=["claim"]), 422, "body")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_body_not_declared_json_is_415(client, stores, content_type) -> None:
    before = stored_keys(stores)
    response = client.post("/v1/articles", data='{"text": "a"}', content_type=content_type)
    assert_problem(response, 415, "Content-Type")
    assert stored_keys(stores) == before


def test_body_over_the_size_limit_is_413(client, stores) -> None:
    before = stored_keys(stores)
    body = '{"text": "' + "x" * MAX_BODY_BYTES + '"}'
    response = client.post("/v1/articles", data=body, content_type="application/json")
    assert_problem(response, 413)
    assert stored_keys(stores) == before


@pytest.mark.parametrize("path", ["/v1/articles/art_nope", "/v1/checks/chk_nope", "/v1/nothing"])
def test_unknown_resource_is_404(client, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_wrong_method_is_405_with_allow(client) -> None:
    response = client.delete("/v1/checks")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("wait", ["31", "-1", "soon"])
def test_wait_out_of_range_is_422(client, wait: str) -> None:
    assert_problem(client.get(f"/v1/checks/chk_{'0' * 20}?wait={wait}"), 422, "wait")


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=ten"])
def test_bad_pagination_is_422(client, query: str) -> None:
    field = query.split("=")[0]
    assert_problem(client.get(f"/v1/articles?{query}"), 422, field)


def test_problem_names_the_request_path(client) -> None:
    body = assert_problem(client.get("/v1/articles/art_nope"), 404)
    assert body["instance"] == "/v1/articles/art_nope"
    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"


def test_unexpected_error_is_a_generic_500(client, monkeypatch) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(ArticleStore, "page", explode)
    response = client.get("/v1/articles")
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert body["title"] == "Internal Server Error"
