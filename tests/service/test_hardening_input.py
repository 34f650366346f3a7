"""Input that used to be a 500 is a 422 naming the field, and stores nothing (issue #12, finding 4).

Bodies are sent as raw JSON text: a JSON library on the client side would refuse to produce
most of these, but an HTTP client can send any bytes.
"""

from __future__ import annotations

import pytest

from keyspace.stores import Stores

PROBLEM = "application/problem+json"
JSON = "application/json"
LONE = "\\ud800"  # JSON text for a lone high surrogate
WIKI = '"sources": ["wikipedia"]'


def stored_keys(stores: Stores) -> set[str]:
    cache = stores.keys.pattern().replace("*", "cache:")
    return {
        k for k in stores.redis.scan_iter(match=stores.keys.pattern()) if not k.startswith(cache)
    }


def assert_422_naming(response, field: str) -> None:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    assert field in response.get_json()["errors"], response.get_json()


@pytest.fixture
def article_id(client, demo_text: str) -> str:
    return client.post("/v1/articles", json={"text": demo_text}).get_json()["id"]


CASES = [
    ("/v1/checks", f'{{"claim": "a {LONE} b", {WIKI}}}', "claim"),
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"{LONE}": 1}}}}', "metadata"),
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"k": "{LONE}"}}}}', "metadata.k"),
    (
        "/v1/checks",
        f'{{"claim": "c", {WIKI}, "metadata": {{"k": ["ok", "{LONE}"]}}}}',
        "metadata.k.1",
    ),
    ("/v1/checks", f'{{"claim": "c", "article_id": "art_{LONE}"}}', "article_id"),
    (
        "/v1/checks",
        f'{{"claim": "c", {WIKI}, "callback_url": "https://x.example/{LONE}"}}',
        "callback_url",
    ),
    ("/v1/articles", f'{{"text": "a {LONE} b"}}', "text"),
    ("/v1/articles", f'{{"text": "ok", "title": "{LONE}"}}', "title"),
    ("/v1/articles", f'{{"text": "ok", "external_id": "{LONE}"}}', "external_id"),
    ("/v1/checks:batch", f'{{"claims": ["fine", "{LONE}"], {WIKI}}}', "claims.1"),
    ("/v1/drafts", f'{{"text": "Rutte won. {LONE}", {WIKI}}}', "text"),
    ("/v1/webhooks", f'{{"url": "https://x.example/h", "description": "{LONE}"}}', "description"),
    # numbers Python parses but JSON (or I-JSON) does not carry
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"n": {"9" * 5000}}}}}', "metadata.n"),
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"n": NaN}}}}', "metadata.n"),
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"n": Infinity}}}}', "metadata.n"),
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"n": -Infinity}}}}', "metadata.n"),
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"n": 1e400}}}}', "metadata.n"),
    ("/v1/checks", f'{{"claim": "c", {WIKI}, "metadata": {{"n": {2**53}}}}}', "metadata.n"),
    # nesting
    (
        "/v1/checks",
        f'{{"claim": "c", {WIKI}, "metadata": {{"d": {"[" * 1500}{"]" * 1500}}}}}',
        "metadata",
    ),
    (
        "/v1/checks",
        f'{{"claim": "c", {WIKI}, "metadata": {{"d": {"[" * 100}{"]" * 100}}}}}',
        "metadata",
    ),
    ("/v1/checks", "[" * 5000 + "]" * 5000, "body"),
]


@pytest.mark.parametrize(("path", "body", "field"), CASES)
def test_unstorable_json_is_422_naming_the_field(client, stores, path, body, field) -> None:
    before = stored_keys(stores)
    assert_422_naming(client.post(path, data=body, content_type=JSON), field)
    assert stored_keys(stores) == before


def test_put_with_a_lone_surrogate_changes_nothing(client, article_id: str) -> None:
    response = client.put(
        f"/v1/articles/{article_id}", data=f'{{"text": "x {LONE}"}}', content_type=JSON
    )
    assert_422_naming(response, "text")
    assert client.get(f"/v1/articles/{article_id}").get_json()["revision_count"] == 1


def test_a_surrogate_in_a_path_id_is_404(client) -> None:
    response = client.get("/v1/articles/art_%ED%A0%80")
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_a_huge_offset_is_422_naming_it(client) -> None:
    assert_422_naming(client.get("/v1/articles?offset=9223372036854775807"), "offset")


def test_valid_unicode_and_ordinary_numbers_still_pass(client, article_id: str) -> None:
    body = (
        f'{{"claim": "Rutte \\ud83d\\ude00 won", "article_id": "{article_id}", '
        f'"metadata": {{"n": {2**53 - 1}, "f": 1.5, "neg": -3, "e": 1e10, '
        f'"deep": {"[" * 20}{"]" * 20}, "s": "caf\\u00e9"}}}}'
    )
    response = client.post("/v1/checks", data=body, content_type=JSON)
    assert response.status_code in (200, 202), response.get_data(as_text=True)
    record = response.get_json()
    assert record["claim"] == "Rutte \U0001f600 won"
    assert record["metadata"]["n"] == 2**53 - 1
