"""Articles through Flask's test client against the real Redis: CRUD, revisions, pagination,
external ids (each test under its own key prefix, so a listing holds only its articles)."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def article(client, demo_text: str) -> dict:
    response = client.post("/v1/articles", json={"text": demo_text, "title": "NATO race"})
    assert response.status_code == 201
    return response.get_json()


def test_create_returns_id_revision_and_sentence_count(client, demo_text: str) -> None:
    response = client.post("/v1/articles", json={"text": demo_text, "title": "NATO"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"].startswith("art_")
    assert len(body["revision"]) == 16
    assert body["sentence_count"] > 5
    assert body["char_count"] == len(demo_text)
    assert response.headers["Location"] == f"/v1/articles/{body['id']}"


def test_get_returns_the_exact_text_and_metadata(client, article: dict, demo_text) -> None:
    body = client.get(f"/v1/articles/{article['id']}").get_json()
    assert body["text"] == demo_text
    assert body["title"] == "NATO race"
    assert body["revisions"] == [article["revision"]]


def test_same_text_has_the_same_revision(client, demo_text: str) -> None:
    first = client.post("/v1/articles", json={"text": demo_text}).get_json()
    second = client.post("/v1/articles", json={"text": demo_text}).get_json()
    assert first["id"] != second["id"]
    assert first["revision"] == second["revision"]


def test_put_with_new_text_creates_a_new_revision(client, article: dict, demo_text) -> None:
    url = f"/v1/articles/{article['id']}"
    updated = client.put(url, json={"text": demo_text + " Update."}).get_json()
    assert updated["revision"] != article["revision"]
    assert updated["revision_count"] == 2
    body = client.get(url).get_json()
    assert body["text"] == demo_text + " Update."
    assert body["revisions"] == [article["revision"], updated["revision"]]
    assert body["title"] is None  # a PUT replaces metadata too


def test_put_with_same_text_keeps_the_revision(client, article: dict, demo_text) -> None:
    url = f"/v1/articles/{article['id']}"
    updated = client.put(url, json={"text": demo_text, "title": "Renamed"}).get_json()
    assert updated["revision"] == article["revision"]
    assert updated["revision_count"] == 1
    assert updated["title"] == "Renamed"


def test_delete_removes_the_article(client, article: dict) -> None:
    url = f"/v1/articles/{article['id']}"
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404


def test_put_on_a_missing_article_is_404(client) -> None:
    response = client.put("/v1/articles/art_missing", json={"text": "a"})
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_list_pages_in_creation_order(client) -> None:
    marker = uuid.uuid4().hex
    created = [
        client.post("/v1/articles", json={"text": f"{marker} {i}."}).get_json()["id"]
        for i in range(3)
    ]
    total = client.get("/v1/articles?limit=1").get_json()["total"]
    seen: list[str] = []
    for offset in range(0, total, 2):
        page = client.get(f"/v1/articles?limit=2&offset={offset}").get_json()
        assert len(page["items"]) <= 2
        seen.extend(item["id"] for item in page["items"])
    assert seen == created  # the test's own prefix holds only its articles


def test_repeated_external_id_with_same_text_returns_the_article(client, demo_text) -> None:
    body = {"text": demo_text, "external_id": f"ext-{uuid.uuid4().hex}"}
    first = client.post("/v1/articles", json=body)
    again = client.post("/v1/articles", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]


def test_repeated_external_id_with_other_text_is_409(client, demo_text: str) -> None:
    external_id = f"ext-{uuid.uuid4().hex}"
    client.post("/v1/articles", json={"text": demo_text, "external_id": external_id})
    response = client.post("/v1/articles", json={"text": "Other.", "external_id": external_id})
    assert response.status_code == 409
    assert "external_id" in response.get_json()["errors"]


def test_deleting_frees_the_external_id(client, demo_text: str) -> None:
    body = {"text": demo_text, "external_id": f"ext-{uuid.uuid4().hex}"}
    first = client.post("/v1/articles", json=body).get_json()
    client.delete(f"/v1/articles/{first['id']}")
    again = client.post("/v1/articles", json=body)
    assert again.status_code == 201
    assert again.get_json()["id"] != first["id"]
